"""The derived index: pairwise alignments and lineages in SQLite (WAL).

Everything here is derived from the store and keyed by content: alignments by the two clause
lists (a version's own segmentation by its text's sha256, another list by the hash of its
clauses), a document's built lineages by the store HEAD (and by a fingerprint of its versions,
so a HEAD that moved for another document re-uses them). The file may be deleted at any time. A
file found damaged while opening or building is deleted and rebuilt silently; damage met while a
build is being read ends that command with one line (``IndexDamaged``) and the next rebuilds it.
Writers replace a document's lineages in one transaction, so a concurrent reader sees the old
build or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path

from drafttrack import segment_cache
from drafttrack.errors import IndexDamaged
from drafttrack.index_read import FILE_NAME, SCHEMA, StoredLineages
from drafttrack.lineage import Group, Lineages, VersionLike, build_lineages, text_sha
from drafttrack.model import Clause

PARTS_NAME = "index-parts.sqlite"

_PARTS_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (old TEXT, new TEXT, data TEXT NOT NULL, PRIMARY KEY (old, new));
"""
"""Pairwise alignments: large, read only while lineages are being built."""

_BUILD_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY, document TEXT UNIQUE NOT NULL, head TEXT, fingerprint TEXT NOT NULL,
    versions TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS b_versions (
    build INTEGER, idx INTEGER, keys TEXT NOT NULL, PRIMARY KEY (build, idx));
CREATE TABLE IF NOT EXISTS b_clauses (
    build INTEGER, id INTEGER, data TEXT NOT NULL, form TEXT NOT NULL, PRIMARY KEY (build, id));
CREATE TABLE IF NOT EXISTS b_runs (
    build INTEGER, lineage TEXT, key TEXT, clause INTEGER, start INTEGER, stop INTEGER);
CREATE INDEX IF NOT EXISTS b_runs_lineage ON b_runs (build, lineage);
CREATE INDEX IF NOT EXISTS b_runs_clause ON b_runs (build, clause);
CREATE TABLE IF NOT EXISTS b_events (build INTEGER, lineage TEXT, idx INTEGER, type TEXT);
CREATE INDEX IF NOT EXISTS b_events_lineage ON b_events (build, lineage);
"""
"""Built lineages: small, all a warm trace opens."""


def connect(folder: Path, name: str = FILE_NAME, ddl: str = _BUILD_DDL) -> sqlite3.Connection:
    """Open one index database in ``folder`` (through the engine's WAL connection helper, which
    re-creates a file that is no database); a database of another schema or segmenter is started
    afresh. The whole file is not checked on opening (that read all of it, the largest part of a
    warm trace): damage met later is handled where the index is used (``open_lineages``)."""
    for attempt in (1, 2):
        db = segment_cache.connect(folder, name, check=False)
        try:
            if _schema(db) not in (None, SCHEMA):
                raise sqlite3.DatabaseError("index of another schema")
            db.executescript(ddl)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            return db
        except sqlite3.DatabaseError:
            db.close()
            _delete(folder / name)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _schema(db: sqlite3.Connection) -> str | None:
    if not _has_table(db, "meta"):
        return None
    row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    return None if row is None else str(row[0])


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    q = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
    return db.execute(q, (name,)).fetchone() is not None


def _delete(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _clause_data(c: Clause) -> str:
    fields = [c.number, list(c.path), c.text, c.kind, list(c.lines), list(c.numbering)]
    return json.dumps(fields, ensure_ascii=False)


class IndexCache:
    """The index of one store (a folder such as ``store.cache_dir``); close it after use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = connect(folder)
        self._parts: sqlite3.Connection | None = None
        self._segments: dict[str, list[Clause]] = {}
        self._links: dict[tuple[str, str], list[Group]] = {}
        self._added: segment_cache.SegmentCache | None = None

    def close(self) -> None:
        """Write what is pending and close the database."""
        try:
            self.flush()
        except sqlite3.Error:
            pass  # derived data only: a read-only cache folder loses nothing
        finally:
            self.db.close()
            if self._added is not None:
                self._added.close()
            if self._parts is not None:
                self._parts.close()

    def __enter__(self) -> IndexCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reset(self) -> None:
        """Delete the database and start again (after corruption)."""
        self._segments.clear()
        self._links.clear()
        self.db.close()
        if self._parts is not None:
            self._parts.close()
            self._parts = None
        _delete(self.folder / FILE_NAME)
        _delete(self.folder / PARTS_NAME)
        self.db = connect(self.folder)

    @property
    def parts(self) -> sqlite3.Connection:
        """The segmentations and alignments database (opened on first use)."""
        if self._parts is None:
            self._parts = connect(self.folder, PARTS_NAME, _PARTS_DDL)
        return self._parts

    # -- the lineage Cache protocol ------------------------------------------------------
    def get_segments(self, text_sha: str) -> list[Clause] | None:
        """Cached clauses of the text with this sha256."""
        pending = self._segments.get(text_sha)
        if pending is not None:
            return pending
        if self._added is None:  # segmented when the version was added (`add` warms that cache)
            self._added = segment_cache.SegmentCache(self.folder)
        return self._added.get_sha(text_sha)

    def put_segments(self, text_sha: str, clauses: list[Clause]) -> None:
        """Remember a text's clauses for this build. Not written: segmenting a history again
        (chunk by chunk, see ``segment.BlockMemo``) costs less than reading it back."""
        self._segments[text_sha] = clauses

    def get_links(self, old: str, new: str) -> list[Group] | None:
        """Cached alignment of two clause lists (by their hashes)."""
        pending = self._links.get((old, new))
        if pending is not None:
            return pending
        q = "SELECT data FROM links WHERE old=? AND new=?"
        row = self.parts.execute(q, (old, new)).fetchone()
        if row is None:
            return None
        return [(k, tuple(o), tuple(n), bool(m), float(s)) for k, o, n, m, s in json.loads(row[0])]

    def put_links(self, old: str, new: str, links: list[Group]) -> None:
        """Remember an alignment (written at the next flush)."""
        self._links[(old, new)] = links

    def flush(self) -> None:
        """Write pending alignments in one transaction."""
        self._segments.clear()
        if not self._links:
            return
        link_rows = [(o, n, json.dumps(ls)) for (o, n), ls in self._links.items()]
        with self._write(self.parts):
            self.parts.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, ?)", link_rows)
        self._links.clear()

    @contextmanager
    def _write(self, db: sqlite3.Connection | None = None) -> Iterator[None]:
        db = db or self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # -- built lineages -----------------------------------------------------------------
    def build_id(self, document: str, head: str | None, fingerprint: str | None) -> int | None:
        """The stored build of ``document`` for this HEAD (or, failing that, fingerprint)."""
        row = self.db.execute(
            "SELECT id, head, fingerprint FROM builds WHERE document=?", (document,)
        ).fetchone()
        if row is None:
            return None
        if head is not None and row[1] == head:
            return int(row[0])
        if fingerprint is not None and row[2] == fingerprint:
            with self._write():
                self.db.execute("UPDATE builds SET head=? WHERE id=?", (head, row[0]))
            return int(row[0])
        return None

    def save(self, lineages: Lineages, head: str | None, fingerprint: str) -> int:
        """Replace the document's stored build by ``lineages`` (one transaction)."""
        self.flush()
        doc = lineages.document
        with self._write():
            old = self.db.execute("SELECT id FROM builds WHERE document=?", (doc,)).fetchone()
            if old is not None:
                for table in ("b_versions", "b_clauses", "b_runs", "b_events"):
                    self.db.execute(f"DELETE FROM {table} WHERE build=?", (old[0],))
                self.db.execute("DELETE FROM builds WHERE id=?", (old[0],))
            cur = self.db.execute(
                "INSERT INTO builds (document, head, fingerprint, versions) VALUES (?, ?, ?, ?)",
                (doc, head, fingerprint, json.dumps(lineages.versions, ensure_ascii=False)),
            )
            build = int(cur.lastrowid or 0)
            self.db.executemany(
                "INSERT INTO b_versions VALUES (?, ?, ?)",
                [(build, i, json.dumps(k)) for i, k in enumerate(lineages.keys)],
            )
            self.db.executemany(
                "INSERT INTO b_clauses VALUES (?, ?, ?, ?)",
                [
                    (build, i, _clause_data(c), f)
                    for i, (c, f) in enumerate(zip(lineages.clauses, lineages.forms, strict=True))
                ],
            )
            self.db.executemany(
                "INSERT INTO b_runs VALUES (?, ?, ?, ?, ?, ?)",
                [(build, r.lineage, r.key, r.clause, r.start, r.end) for r in lineages.runs],
            )
            self.db.executemany(
                "INSERT INTO b_events VALUES (?, ?, ?, ?)",
                [(build, ln, i, t) for ln, i, t in lineages.events],
            )
        return build

    @contextmanager
    def reading(self, build: int, document: str) -> Iterator[StoredLineages]:
        """A consistent view of one stored build (a read transaction for its duration)."""
        stored = self.begin_read(build, document)
        if stored is None:
            raise sqlite3.DatabaseError(f"build {build} of {document!r} is gone")
        try:
            yield stored
        finally:
            self.db.execute("COMMIT")

    def begin_read(self, build: int, document: str) -> StoredLineages | None:
        """Open a read transaction on ``build``; None (no transaction) when another process
        has replaced it meanwhile. The caller commits when done."""
        self.db.execute("BEGIN")
        row = self.db.execute("SELECT versions FROM builds WHERE id=?", (build,)).fetchone()
        if row is None:
            self.db.execute("COMMIT")
            return None
        return StoredLineages(self.db, build, document, json.loads(row[0]))


def fingerprint(versions: Sequence[VersionLike]) -> str:
    """Hash of what a document's lineages depend on: each version's metadata and text."""
    h = hashlib.sha256()
    for v in versions:
        h.update(json.dumps(v.meta, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(text_sha(v).encode("ascii"))
    return h.hexdigest()


@contextmanager
def open_lineages(
    folder: Path | None,
    document: str,
    head: str | None,
    load: Callable[[], Sequence[VersionLike]],
    *,
    progress: Callable[[int, int], None] | None = None,
    shared: IndexCache | None = None,
) -> Iterator[Lineages | StoredLineages]:
    """The document's lineages: from the index when current, else built (and stored).

    ``folder`` None means no cache at all (a cold build in memory). ``load`` is called only
    when the index has no build for this HEAD; it returns the versions in draft order.
    ``progress(done, total)`` is called as a build chains each version. ``shared``: an index
    already open on ``folder``, used and left open (a caller going through many documents).
    """

    def make(versions: Sequence[VersionLike], cache: IndexCache | None = None) -> Lineages:
        total = len(versions)
        step = (lambda k: progress(k + 1, total)) if progress else None
        return build_lineages(document, versions, cache, progress=step)

    if folder is None:
        yield make(load())
        return
    opened: AbstractContextManager[IndexCache]
    if shared is not None:
        opened = nullcontext(shared)
    else:
        try:
            opened = IndexCache(folder)
        except (sqlite3.DatabaseError, OSError):
            yield make(load())
            return
    with opened as cache:
        for _attempt in range(3):
            build: int | None
            try:
                build = _current_build(cache, document, head, load, make)
            except sqlite3.DatabaseError:
                try:  # corrupt: start afresh; unwritable: work without the index
                    cache.reset()
                    build = _current_build(cache, document, head, load, make)
                except (sqlite3.DatabaseError, OSError):
                    build = None
            if build is None:
                break
            try:
                stored = cache.begin_read(build, document)
            except sqlite3.DatabaseError:
                _discard(cache)
                continue
            if stored is None:  # another process replaced the build meanwhile
                continue
            try:
                yield stored
            except sqlite3.DatabaseError as exc:  # damage met while reading: drop the index
                _discard(cache)
                raise IndexDamaged(
                    f"the derived index was damaged ({exc}); it has been deleted and the next "
                    "command rebuilds it"
                ) from None
            finally:
                with suppress(sqlite3.Error):
                    cache.db.execute("COMMIT")
            return
        yield make(load())


def _discard(cache: IndexCache) -> None:
    with suppress(sqlite3.Error, OSError):
        cache.reset()


def _current_build(
    cache: IndexCache,
    document: str,
    head: str | None,
    load: Callable[[], Sequence[VersionLike]],
    make: Callable[[Sequence[VersionLike], IndexCache], Lineages],
) -> int:
    build = cache.build_id(document, head, None)
    if build is not None:
        return build
    versions = load()
    fp = fingerprint(versions)
    build = cache.build_id(document, head, fp)
    if build is not None:
        return build
    return cache.save(make(versions, cache), head, fp)


def lineage_keys(
    folder: Path | None,
    document: str,
    head: str | None,
    load: Callable[[], Sequence[VersionLike]],
) -> dict[str, list[str]]:
    """Per version id, the lineage key of each of its clauses (in ``segment`` order).

    ``diff --json`` and the viewer use these as clause keys, so a clause keeps its key across
    versions: ``keys[version_id][i]`` is the key of ``segment(text)[i]``.
    """
    with open_lineages(folder, document, head, load) as lin:
        return {str(v["id"]): lin.version_keys(i) for i, v in enumerate(lin.versions)}
