"""Derived cache of quote attribution: embeddings by text hash, and entry lists by store state.

Tables in the derived index (``index_cache``: SQLite, WAL) in the folder the caller passes (the
store's ``cache_dir``). Every vector
is keyed by the embedder's name and the sha256 of the embedded text, so each distinct text is
embedded once, whatever version or document it occurs in. The stacked matrix of a whole entry
list is kept as well (keyed by the hash of its window hashes), so a warm quote reads one blob.
Deleting the file loses nothing: it is rebuilt on the next quote. A damaged file is replaced.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from time import time
from typing import TYPE_CHECKING

from drafttrack.index_cache import FILE_NAME, connect
from drafttrack.quote.entries import Entry

if TYPE_CHECKING:
    import numpy as np

    from drafttrack.quote.embedder import Embedder

_TABLES = """
CREATE TABLE IF NOT EXISTS q_vectors (
    model TEXT NOT NULL, sha BLOB NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (model, sha)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS q_matrices (
    model TEXT NOT NULL, sha BLOB NOT NULL, rows INTEGER NOT NULL, used REAL NOT NULL,
    mat BLOB NOT NULL, PRIMARY KEY (model, sha)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS q_entries (
    state TEXT PRIMARY KEY, used REAL NOT NULL, data BLOB NOT NULL
) WITHOUT ROWID;
"""

KEEP = 8
"""Stacked matrices (per model) and entry lists kept: the most recently used store states."""


def text_hash(text: str) -> bytes:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def open_cache_db(folder: Path) -> sqlite3.Connection:
    """Open the derived index in ``folder`` (``index_cache.connect``: WAL, rebuilt when
    damaged) and add the quote tables to it."""
    conn = connect(folder)
    try:
        conn.executescript(_TABLES)
    except sqlite3.DatabaseError:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{folder / FILE_NAME}{suffix}").unlink(missing_ok=True)
        conn = connect(folder)
        conn.executescript(_TABLES)
    return conn


class QuoteCache:
    """Embeddings and entry lists for one store, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._conn = open_cache_db(folder)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the database."""
        self._conn.close()

    def __enter__(self) -> QuoteCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entries -----------------------------------------------------------------------------

    def entries(self, state: str, build: Callable[[], list[Entry]]) -> list[Entry]:
        """The entry list for a store state (e.g. head commit + document), built once."""
        with self._lock:
            q = "SELECT data FROM q_entries WHERE state=?"
            row = self._conn.execute(q, (state,)).fetchone()
        if row is not None:
            return [Entry.from_json(d) for d in json.loads(row[0])]
        entries = build()
        data = json.dumps([e.to_json() for e in entries], ensure_ascii=False).encode("utf-8")
        with self._lock, closing(self._conn.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            cur.execute("INSERT OR REPLACE INTO q_entries VALUES (?, ?, ?)", (state, time(), data))
            cur.execute(
                "DELETE FROM q_entries WHERE state NOT IN "
                "(SELECT state FROM q_entries ORDER BY used DESC LIMIT ?)",
                (KEEP,),
            )
            cur.execute("COMMIT")
        return entries

    # -- vectors -----------------------------------------------------------------------------

    def matrix(self, texts: Sequence[str], embedder: Embedder) -> np.ndarray:
        """Vectors of ``texts`` (one row each), embedding only texts never seen before."""
        import numpy as np

        hashes = [text_hash(t) for t in texts]
        key = hashlib.sha256(b"".join(hashes)).digest()
        with self._lock:
            row = self._conn.execute(
                "SELECT rows, mat FROM q_matrices WHERE model=? AND sha=?", (embedder.name, key)
            ).fetchone()
        if row is not None and row[0] == len(texts):
            return np.frombuffer(row[1], dtype=np.float32).reshape(len(texts), embedder.dim)
        found = self._lookup(embedder, hashes)
        missing = list({h: t for h, t in zip(hashes, texts, strict=True) if h not in found}.items())
        if missing:
            vecs = embedder.embed([t for _, t in missing])
            fresh = {h: vecs[i].astype(np.float32) for i, (h, _) in enumerate(missing)}
            self._store(embedder.name, fresh)
            found.update(fresh)
        mat = np.empty((len(texts), embedder.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            mat[i] = found[h]
        self._store_matrix(embedder.name, key, mat)
        return mat

    def derived(self, model: str, key: bytes, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A float32 vector derived from cached data (e.g. hubness), computed once per ``key``."""
        import numpy as np

        with self._lock:
            row = self._conn.execute(
                "SELECT rows, mat FROM q_matrices WHERE model=? AND sha=?", (model, key)
            ).fetchone()
        if row is not None:
            return np.frombuffer(row[1], dtype=np.float32)
        value = np.ascontiguousarray(compute(), dtype=np.float32)
        self._store_matrix(model, key, value)
        return value

    def _lookup(self, embedder: Embedder, hashes: list[bytes]) -> dict[bytes, np.ndarray]:
        import numpy as np

        wanted = set(hashes)
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            rows = self._conn.execute(
                "SELECT sha, vec FROM q_vectors WHERE model=?", (embedder.name,)
            ).fetchall()
        for sha, vec in rows:
            if sha in wanted:
                found[sha] = np.frombuffer(vec, dtype=np.float32)
        return found

    def _store(self, model: str, vectors: dict[bytes, np.ndarray]) -> None:
        with self._lock, closing(self._conn.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            cur.executemany(
                "INSERT OR REPLACE INTO q_vectors VALUES (?, ?, ?)",
                [(model, h, v.tobytes()) for h, v in vectors.items()],
            )
            cur.execute("COMMIT")

    def _store_matrix(self, model: str, key: bytes, mat: np.ndarray) -> None:
        with self._lock, closing(self._conn.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            cur.execute(
                "INSERT OR REPLACE INTO q_matrices VALUES (?, ?, ?, ?, ?)",
                (model, key, len(mat), time(), mat.tobytes()),
            )
            cur.execute(
                "DELETE FROM q_matrices WHERE model=? AND sha NOT IN "
                "(SELECT sha FROM q_matrices WHERE model=? ORDER BY used DESC LIMIT ?)",
                (model, model, KEEP),
            )
            cur.execute("COMMIT")
