"""Derived cache of quote attribution, in the store's ``cache_dir`` (deleting it loses nothing).

- Vectors of texts (clause windows), keyed by the embedder's name and the sha256 of the text:
  each distinct text is embedded once, whatever version or document it occurs in. SQLite in WAL
  mode through the engine's reusable ``segment_cache.connect`` (a damaged file is rebuilt).
- Snapshots for warm quotes, one set of files per store state: the entry list (JSON) and the
  stacked window matrix with its clause offsets and hub values (``.npy``, memory-mapped), so a
  warm quote opens no database and embeds nothing but the quote. Files are written atomically
  (temporary file, then rename); the most recently used ``KEEP`` sets are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafttrack.lineage import VersionLike
from drafttrack.quote.entries import Entry, build_entries
from drafttrack.segment_cache import connect

if TYPE_CHECKING:
    import numpy as np

    from drafttrack.quote.embedder import Embedder

DB_NAME = "quote.sqlite"
FOLDER = "quote"
KEEP = 8
"""Snapshots kept per kind (the most recently used store states and document filters)."""

_TABLE = """CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL, sha BLOB NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (model, sha)
) WITHOUT ROWID"""
_CANDIDATES = """CREATE TABLE IF NOT EXISTS candidates (
    state BLOB NOT NULL, sha BLOB NOT NULL, idx BLOB NOT NULL, PRIMARY KEY (state, sha)
) WITHOUT ROWID"""


def text_hash(text: str) -> bytes:
    """The cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class QuoteCache:
    """Vectors and snapshots for one store, under ``folder`` (the store's ``cache_dir``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / FOLDER
        self._conn: sqlite3.Connection | None = None

    def close(self) -> None:
        """Close the vector database if it was opened."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> QuoteCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- snapshots ---------------------------------------------------------------------------

    def entries(self, state: str, build: Callable[[], list[Entry]]) -> list[Entry]:
        """The entry list for a store state (e.g. HEAD and document filter), built once."""
        path = self.folder / f"entries-{_digest(state)}.json"
        try:
            data = json.loads(path.read_bytes())
            os.utime(path)
            return [Entry.from_json(d) for d in data]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        entries = build()
        body = json.dumps([e.to_json() for e in entries], ensure_ascii=False).encode("utf-8")
        self._write(path, body)
        self._prune("entries-*.json")
        return entries

    def arrays(
        self, key: str, names: Sequence[str], compute: Callable[[], dict[str, np.ndarray]]
    ) -> dict[str, np.ndarray]:
        """Arrays saved under ``key`` (memory-mapped when read back), computed once."""
        import numpy as np

        digest = _digest(key)
        paths = {name: self.folder / f"index-{digest}.{name}.npy" for name in names}
        try:
            arrays = {name: np.load(p, mmap_mode="r") for name, p in paths.items()}
            os.utime(paths[names[0]])
            return arrays
        except (OSError, ValueError, EOFError):
            pass
        arrays = compute()
        for name, path in paths.items():
            with tempfile.NamedTemporaryFile(dir=self._ensure(), delete=False) as tmp:
                np.save(tmp, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            os.replace(tmp.name, path)
        self._prune(f"index-*.{names[0]}.npy")
        return arrays

    # -- vectors -----------------------------------------------------------------------------

    def vectors(
        self,
        texts: Sequence[str],
        embedder: Embedder,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Vectors of ``texts`` (one row each), embedding only texts never embedded before;
        ``progress(done, total)`` is called as the new ones are embedded."""
        import numpy as np

        hashes = [text_hash(t) for t in texts]
        found = self._lookup(embedder.name, set(hashes))
        missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
        if missing:
            fresh = embed_in_steps(embedder, list(missing.values()), progress)
            rows = dict(zip(missing, fresh, strict=True))
            self._store(embedder.name, rows)
            found.update(rows)
        out = np.empty((len(texts), embedder.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out

    def candidates(
        self,
        state: bytes,
        texts: Sequence[str],
        compute: Callable[[list[str]], list[list[int]]],
    ) -> list[list[int]]:
        """Per text, a list of clause indexes kept under ``state`` (an index and how its
        candidates are chosen), computing with ``compute(missing texts)`` only those never
        asked before."""
        import numpy as np

        hashes = [text_hash(t) for t in texts]
        found: dict[bytes, list[int]] = {}
        query = "SELECT sha, idx FROM candidates WHERE state=? AND sha IN ({})"
        for sha, idx in self._rows_for(query, state, set(hashes)):
            found[sha] = np.frombuffer(idx, dtype=np.int32).tolist()
        missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
        if missing:
            fresh = dict(zip(missing, compute(list(missing.values())), strict=True))
            self._insert(
                "INSERT OR REPLACE INTO candidates VALUES (?, ?, ?)",
                [(state, h, np.asarray(v, dtype=np.int32).tobytes()) for h, v in fresh.items()],
            )
            found.update(fresh)
        return [list(found[h]) for h in hashes]

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = connect(self._ensure(), DB_NAME)
            try:
                conn.execute(_TABLE)
                conn.execute(_CANDIDATES)
            except sqlite3.DatabaseError:  # a file of another kind under our name
                conn.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.folder / DB_NAME}{suffix}").unlink(missing_ok=True)
                conn = connect(self.folder, DB_NAME)
                conn.execute(_TABLE)
                conn.execute(_CANDIDATES)
            self._conn = conn
        return self._conn

    def _lookup(self, model: str, hashes: set[bytes]) -> dict[bytes, np.ndarray]:
        import numpy as np

        found: dict[bytes, np.ndarray] = {}
        query = "SELECT sha, vec FROM vectors WHERE model=? AND sha IN ({})"
        for sha, vec in self._rows_for(query, model, hashes):
            found[sha] = np.frombuffer(vec, dtype=np.float32)
        return found

    def _rows_for(
        self, query: str, first: str | bytes, hashes: set[bytes]
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of ``query`` (its ``{}`` the list of hashes) for ``first`` and ``hashes``, asked
        500 hashes at a time (SQLite's limit on variables)."""
        wanted = list(hashes)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            yield from self._db().execute(query.format(",".join("?" * len(chunk))), (first, *chunk))

    def _store(self, model: str, rows: dict[bytes, np.ndarray]) -> None:
        self._insert(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(model, h, v.tobytes()) for h, v in rows.items()],
        )

    def _insert(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(sql, rows)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- files -------------------------------------------------------------------------------

    def _ensure(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder

    def _write(self, path: Path, body: bytes) -> None:
        with tempfile.NamedTemporaryFile(dir=self._ensure(), delete=False) as tmp:
            tmp.write(body)
        os.replace(tmp.name, path)

    def _prune(self, pattern: str) -> None:
        """Delete all but the ``KEEP`` most recently used snapshots matching ``pattern``."""
        files = sorted(self.folder.glob(pattern), key=_mtime, reverse=True)
        for old in files[KEEP:]:
            stem = old.name.split(".")[0]
            for part in self.folder.glob(f"{stem}.*"):
                part.unlink(missing_ok=True)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


PROGRESS_STEP = 128
"""Texts embedded between two progress reports."""


def embed_in_steps(
    embedder: Embedder, texts: Sequence[str], progress: Callable[[int, int], None] | None
) -> np.ndarray:
    """``embedder.embed(texts)`` as float32, in steps reported to ``progress(done, total)``."""
    import numpy as np

    if progress is None or len(texts) <= PROGRESS_STEP:
        out = embedder.embed(list(texts)).astype(np.float32)
        if progress:
            progress(len(texts), len(texts))
        return out
    parts = []
    for start in range(0, len(texts), PROGRESS_STEP):
        parts.append(embedder.embed(list(texts[start : start + PROGRESS_STEP])).astype(np.float32))
        progress(min(start + PROGRESS_STEP, len(texts)), len(texts))
    return np.concatenate(parts)


def collect_entries(
    documents: Sequence[str],
    load: Callable[[str], Sequence[VersionLike]],
    folder: Path | None = None,
    head: str | None = None,
) -> list[Entry]:
    """Entries of several documents; ``load(doc)`` gives a document's versions in draft order.

    With a cache ``folder`` and a ``head``, the list is kept in the derived cache for that store
    state, so a warm quote reads it back instead of reading and segmenting every version.
    """

    def build() -> list[Entry]:
        return [e for doc in documents for e in build_entries(doc, load(doc), folder, head)]

    if folder is None or head is None:
        return build()
    state = json.dumps([head, list(documents)])
    with QuoteCache(folder) as cache:
        return cache.entries(state, build)
