"""A derived cache of same-language comparisons, keyed by what decides them.

A comparison of two texts depends only on the two texts, the clause keys given to their clauses
and the options that change it (``front_matter_as_text``), and on the engine that made it: the
key is a hash of the texts' sha256, both key lists, the options and ``cache_db.code_stamp()``
(so a changed engine never reads an older engine's result). The value is the whole
:class:`Comparison` as JSON (every field of every change and clause), decoded into the same
objects the engine returns, so what is shown from it is byte for byte what a fresh comparison
shows. SQLite in WAL mode in the store's cache folder (``compare.sqlite``); best effort: a
damaged or read-only file is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from drafttrack.cache_db import code_stamp, connect, delete, trim
from drafttrack.collector import collector_paused
from drafttrack.compare import Comparison
from drafttrack.model import Change, Clause, WordOp

DB_NAME = "compare.sqlite"
FORMAT = 1
"""Bump when the encoding below changes."""

KEEP = 200
"""Comparisons kept; the oldest are dropped beyond this many."""
TOTAL_BYTES = 256 * 1024 * 1024
"""Or beyond this many bytes of them (a 20,000-word pair with 440 changes takes 0.4 MB)."""

_CLAUSE = ("key", "number", "path", "text", "kind", "lines", "numbering")
_CHANGE = ("kind", "old", "new", "moved", "renumbered", "editorial", "editorial_kinds",
           "similarity", "words", "divergences")  # fmt: skip
ENCODABLE = (
    tuple(f.name for f in fields(Clause)) == _CLAUSE
    and tuple(f.name for f in fields(Change)) == _CHANGE
    and tuple(f.name for f in fields(Comparison)) == ("changes", "languages")
)
"""False when the model gained a field this encoding does not know: nothing is cached then."""


def text_sha(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(
    old_sha: str,
    new_sha: str,
    old_keys: Sequence[str] | None,
    new_keys: Sequence[str] | None,
    front_matter_as_text: bool,
) -> str:
    """The cache key of one same-language comparison."""
    parts = [FORMAT, code_stamp(), old_sha, new_sha, list(old_keys or ()), list(new_keys or ())]
    parts.append(front_matter_as_text)
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _clause_row(c: Clause) -> list[Any]:
    return [c.key, c.number, list(c.path), c.text, c.kind, list(c.lines), list(c.numbering)]


def _clause(row: list[Any]) -> Clause:
    key, number, path, text, kind, lines, numbering = row
    return Clause(key, number, tuple(path), text, kind, (lines[0], lines[1]), tuple(numbering))


def encode(comparison: Comparison) -> str:
    """A same-language comparison as JSON."""
    rows = [
        [c.kind, [_clause_row(x) for x in c.old], [_clause_row(x) for x in c.new], c.moved,
         c.renumbered, c.editorial, list(c.editorial_kinds), c.similarity,
         [[w.op, w.text] for w in c.words], c.divergences]
        for c in comparison.changes
    ]  # fmt: skip
    return json.dumps(rows, ensure_ascii=False)


def decode(data: str) -> Comparison:
    """The comparison :func:`encode` wrote."""
    changes = []
    with collector_paused():
        for row in json.loads(data):
            kind, old, new, moved, renumbered, editorial, kinds, similarity, words, div = row
            changes.append(
                Change(
                    kind, [_clause(x) for x in old], [_clause(x) for x in new], moved,
                    renumbered, editorial, list(kinds), similarity,
                    [WordOp(op, text) for op, text in words], div,
                )
            )  # fmt: skip
    return Comparison(changes)


def _db(folder: Path) -> sqlite3.Connection:
    db = connect(folder, DB_NAME, check=False)
    db.execute(
        "CREATE TABLE IF NOT EXISTS pairs (key TEXT PRIMARY KEY, data TEXT NOT NULL,"
        " size INTEGER NOT NULL)"
    )
    return db


def get(folder: Path, key: str) -> Comparison | None:
    """The cached comparison under ``key``, or None (missing, damaged, unreadable)."""
    if not ENCODABLE or not (folder / DB_NAME).is_file():
        return None
    try:
        db = _db(folder)
        try:
            row = db.execute("SELECT data FROM pairs WHERE key=?", (key,)).fetchone()
        finally:
            db.close()
        return None if row is None else decode(row[0])
    except sqlite3.OperationalError:  # locked, read-only, out of space: a miss
        return None
    except sqlite3.DatabaseError:  # a damaged file: gone, rebuilt by the next put
        delete(folder / DB_NAME)
        return None
    except (sqlite3.Error, OSError, ValueError, TypeError, IndexError):
        return None


def put(folder: Path, key: str, comparison: Comparison) -> None:
    """Keep ``comparison`` under ``key`` (best effort)."""
    if not ENCODABLE or comparison.languages is not None:
        return
    try:
        data = encode(comparison)
        db = _db(folder)
        try:
            db.execute("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)", (key, data, len(data)))
            trim(db, "pairs", KEEP, TOTAL_BYTES)
        finally:
            db.close()
    except sqlite3.OperationalError:
        return
    except sqlite3.DatabaseError:
        delete(folder / DB_NAME)
    except (sqlite3.Error, OSError, ValueError, TypeError):
        return
