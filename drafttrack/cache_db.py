"""The SQLite files of the derived caches: a WAL connection helper, and the segmenter version
that invalidates what was derived from an older segmentation.

Kept apart from ``segment_cache`` (which imports the segmenter) so that a reader of the stored
index (``index_read``) needs only ``sqlite3``.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from pathlib import Path

DB_NAME = "engine.sqlite"
"""The segment cache's file (``connect``'s default)."""

SEGMENTER_VERSION = 4
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

LIBRARIES = ("click", "markdown_it", "rapidfuzz", "diff_match_patch", "fast_diff_match_patch",
             "numpy", "git")  # fmt: skip
"""Libraries whose behaviour shows in what is derived (their files are stamped too)."""


def code_stamp() -> str:
    """A fingerprint of the installed code: each module's path, size and modification time under
    ``drafttrack/`` and ``repo_store/``, and of the :data:`LIBRARIES`' entry files (an upgrade
    rewrites them), so that cached results made by other code are never read."""
    if not _STAMP:
        from importlib.util import find_spec

        root = str(Path(__file__).resolve().parents[1])
        paths = []
        for package in ("drafttrack", "repo_store"):
            for folder, dirs, files in os.walk(os.path.join(root, package)):
                dirs.sort()
                paths += [os.path.join(folder, n) for n in sorted(files) if n.endswith(".py")]
        for name in LIBRARIES:
            try:
                spec = find_spec(name)
            except (ImportError, ValueError):
                spec = None
            paths.append(spec.origin if spec is not None and spec.origin else name)
        lines = []
        for path in paths:
            try:
                st = os.stat(path)
                lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n")
            except OSError:
                lines.append(f"{path}\0-\n")
        _STAMP.append(checksum("".join(lines).encode("utf-8", "surrogatepass")))
    return _STAMP[0]


def checksum(data: bytes) -> str:
    """A 64-bit checksum of ``data`` (CRC-32 and Adler-32; ``zlib`` is loaded at start-up where
    ``hashlib`` costs milliseconds): it tells damaged or other data apart, it is no signature."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def trim(db: sqlite3.Connection, table: str, keep: int, total: int) -> None:
    """Drop the oldest rows of ``table`` (by rowid) beyond the newest ``keep`` rows or beyond
    ``total`` bytes in its ``size`` column (``table`` is one of this package's own names)."""
    db.execute(
        f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM (SELECT rowid,"
        f" row_number() OVER w AS n, sum(size) OVER w AS bytes FROM {table}"
        " WINDOW w AS (ORDER BY rowid DESC)) WHERE n > ? OR bytes > ?)",
        (keep, total),
    )
