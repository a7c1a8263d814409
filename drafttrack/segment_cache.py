"""A derived cache of segmentations, keyed by the sha256 of the text.

SQLite in WAL mode in a folder the caller gives (the store's ``cache_dir``): many readers and
writers may use it at once, a corrupt file is deleted and rebuilt silently, and the folder can
be deleted at any time. ``connect`` is reusable by other modules for their own tables.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from drafttrack.cache_db import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from drafttrack.cache_db import DB_NAME as DB_NAME
from drafttrack.cache_db import SEGMENTER_VERSION as SEGMENTER_VERSION
from drafttrack.cache_db import connect as connect
from drafttrack.cache_db import delete as _delete
from drafttrack.collector import collector_paused
from drafttrack.model import Clause
from drafttrack.segment import segment


class SegmentCache:
    """Segmentations of texts, stored by content hash.

    Opened without ``quick_check`` (it reads the whole file, which grows with every version):
    a damaged database shows as ``sqlite3.DatabaseError`` on use and is then deleted, and a
    damaged entry fails to decode and is segmented afresh.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = connect(self.directory, check=False)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
            self._conn = conn
        return self._conn

    def close(self) -> None:
        """Close the connection (reopened on next use)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> SegmentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, text: str) -> list[Clause] | None:
        """The cached clauses of ``text``, or None."""
        return self.get_sha(_digest(text))

    def get_sha(self, sha: str) -> list[Clause] | None:
        """The cached clauses of the text whose UTF-8 sha256 is ``sha``, or None."""
        try:
            row = (
                self._db()
                .execute("SELECT data FROM segments WHERE key = ?", (f"{SEGMENTER_VERSION}:{sha}",))
                .fetchone()
            )
        except sqlite3.DatabaseError:
            self._reset()
            return None
        if row is None:
            return None
        try:
            with collector_paused():  # tens of thousands of new objects, none garbage
                clauses = [_clause(item) for item in json.loads(row[0])]
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        if not all(isinstance(c.text, str) and isinstance(c.key, str) for c in clauses):
            return None
        return clauses

    def put(self, text: str, clauses: list[Clause]) -> None:
        """Store the clauses of ``text`` (best effort: a read-only folder is no error)."""
        data = json.dumps([_row(c) for c in clauses], ensure_ascii=False).encode("utf-8")
        try:
            self._db().execute(
                "INSERT OR REPLACE INTO segments (key, data) VALUES (?, ?)", (_key(text), data)
            )
        except sqlite3.DatabaseError:
            self._reset()
        except OSError:
            pass

    def segment(self, text: str) -> list[Clause]:
        """``segment(text)``, from the cache when it holds it."""
        cached = self.get(text)
        if cached is not None:
            return cached
        clauses = segment(text)
        self.put(text, clauses)
        return clauses

    def warm(self, text: str) -> None:
        """Segment ``text`` now so that later comparisons find it cached."""
        if self.get(text) is None:
            self.put(text, segment(text))

    def _reset(self) -> None:
        """Drop a corrupt database so the next use rebuilds it."""
        self.close()
        _delete(self.directory / DB_NAME)


def warm(directory: Path, text: str) -> None:
    """Cache the segmentation of ``text`` in ``directory`` (called when a version is added)."""
    try:
        with SegmentCache(directory) as cache:
            cache.warm(text)
    except (sqlite3.Error, OSError):
        return


def cached_segment(directory: Path | None, text: str) -> list[Clause]:
    """Segment through the cache in ``directory``; without a usable cache, segment directly."""
    return cached_segments(directory, text)[0]


def cached_segments(directory: Path | None, *texts: str) -> list[list[Clause]]:
    """``cached_segment`` of several texts through one connection."""
    if directory is None:
        return [segment(text) for text in texts]
    out: list[list[Clause]] = []
    try:
        with SegmentCache(directory) as cache:
            for text in texts:
                out.append(cache.segment(text))
    except (sqlite3.Error, OSError):
        out.extend(segment(text) for text in texts[len(out) :])
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _key(text: str) -> str:
    return f"{SEGMENTER_VERSION}:{_digest(text)}"


def _row(c: Clause) -> list[object]:
    return [c.key, c.number, list(c.path), c.text, c.kind, list(c.lines), list(c.numbering)]


def _clause(item: list[Any]) -> Clause:
    key, number, path, text, kind, lines, numbering = item
    return Clause(key, number, tuple(path), text, kind, (lines[0], lines[1]), tuple(numbering))
