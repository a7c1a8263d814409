"""What the read-only commands printed, kept per store HEAD: a warm ``docs``, ``log``, ``show``
or ``diff`` answered again without click, GitPython or the engine.

The normal path's output of one of these commands depends on nothing but the store at HEAD,
the command's own words and the code; so when it ran to success at a HEAD that did not move
meanwhile, without a word on stderr, its bytes are kept (``answers.sqlite`` in the store's
derived-data folder) under the HEAD, the exact arguments (version names included: no name is
resolved here, so none can resolve otherwise), the output encoding, whether it is a terminal,
and a stamp of the code. The fast path (``drafttrack.cli.fast``) prints them again when all of
these are the same; anything else, a damaged file or entry included, is a miss and the normal
path answers (and keeps its answer for next time).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from drafttrack.cache_db import BUSY_TIMEOUT_MS, checksum, code_stamp, connect, delete, trim

DB_NAME = "answers.sqlite"
KEEP = 64
"""Answers kept at one HEAD (the most recent); answers at other HEADs are dropped."""
TOTAL_BYTES = 64 * 1024 * 1024
"""At most this many bytes of answers are kept (the most recent)."""
MAX_BYTES = 16 * 1024 * 1024
"""Larger outputs are not kept."""


def answer_key(words: list[str], encoding: str, terminal: bool) -> str:
    """The key of one command line's answer: its words (after the store option), the output
    encoding, whether it goes to a terminal (colour, escapes kept) and the code stamp."""
    return "\0".join([code_stamp(), encoding, "terminal" if terminal else "stream", *words])


def lookup(folder: Path, head: str, key: str) -> bytes | None:
    """The kept answer, or None (no file, no entry, another HEAD, a damaged entry or file).
    Opens the file read-only and writes nothing."""
    path = folder / DB_NAME
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            q = "SELECT data, digest FROM outputs WHERE head=? AND key=?"
            row = db.execute(q, (head, key)).fetchone()
        finally:
            db.close()
    except (sqlite3.Error, UnicodeError):  # UnicodeError: an argument that is no text
        return None
    if row is None or not isinstance(row[0], bytes):
        return None
    data: bytes = row[0]
    return data if checksum(data) == row[1] else None


def keep(folder: Path, head: str, key: str, data: bytes) -> None:
    """Keep ``data`` as the answer under ``key`` at ``head`` (best effort, never an error)."""
    if len(data) > MAX_BYTES:
        return
    try:
        db = connect(folder, DB_NAME, check=False)
    except (sqlite3.Error, OSError):
        return
    try:
        db.execute(
            "CREATE TABLE IF NOT EXISTS outputs (head TEXT NOT NULL, key TEXT NOT NULL,"
            " data BLOB NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,"
            " PRIMARY KEY (head, key))"
        )
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM outputs WHERE head<>?", (head,))
        db.execute(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
            (head, key, data, checksum(data), len(data)),
        )
        trim(db, "outputs", KEEP, TOTAL_BYTES)
        db.execute("COMMIT")
    except (sqlite3.OperationalError, UnicodeError):
        pass  # derived data only: a locked or read-only file keeps nothing
    except sqlite3.DatabaseError:
        db.close()
        delete(folder / DB_NAME)  # a damaged file: the next answer starts it afresh
    finally:
        db.close()
