"""The SQLite files of the derived caches: a WAL connection helper, and the segmenter version
that invalidates what was derived from an older segmentation.

Kept apart from ``segment_cache`` (which imports the segmenter) so that a reader of the stored
index (``index_read``) needs only ``sqlite3``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

DB_NAME = "engine.sqlite"
"""The segment cache's file (``connect``'s default)."""

SEGMENTER_VERSION = 3
"""Bump when segmentation changes: entries of other versions are ignored (and overwritten)."""

BUSY_TIMEOUT_MS = 30_000


def connect(directory: Path, name: str = DB_NAME, *, check: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) a WAL-mode SQLite file in ``directory``; rebuild it if corrupt.

    Autocommit mode: each statement is its own transaction unless the caller opens one.
    ``check`` runs ``PRAGMA quick_check``, which reads the whole file; a caller that handles
    ``sqlite3.DatabaseError`` on every use can skip it (a file that is no database at all is
    still detected when opened).
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    try:
        return _open(path, check)
    except sqlite3.DatabaseError:
        delete(path)
        return _open(path, check)


def _open(path: Path, check: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if check:
            conn.execute("PRAGMA quick_check(1)").fetchone()
        else:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def delete(path: Path) -> None:
    """Remove a database file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_STAMP: list[str] = []


def code_stamp() -> str:
    """A fingerprint of the installed code (each module's path, size and modification time under
    ``drafttrack/`` and ``repo_store/``): cached results made by other code are never read."""
    if not _STAMP:
        root = str(Path(__file__).resolve().parents[1])
        digest = hashlib.sha256()
        for package in ("drafttrack", "repo_store"):
            for folder, dirs, files in os.walk(os.path.join(root, package)):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".py"):
                        path = os.path.join(folder, name)
                        st = os.stat(path)
                        digest.update(
                            f"{path[len(root) :]}\0{st.st_size}\0{st.st_mtime_ns}\n".encode()
                        )
        _STAMP.append(digest.hexdigest()[:32])
    return _STAMP[0]
