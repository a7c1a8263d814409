"""Bring the store's search index up to date: the documents whose git tree changed since it was
last current are read again, a slice at a time (each slice's documents, provenance and texts
through two git processes), their lineages built or taken from the derived lineage index, and
their rows written. A long refresh (after ``adopt`` of a corpus) can share the slices among
worker processes: building lineages is the work, writing rows is not."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from drafttrack.index_cache import IndexCache
from drafttrack.search_index import Row, SearchIndex, rows_of
from drafttrack.service.lineages import document_lineages
from repo_store import InvalidName, Store, StoreError, names

INDEX_NAME = "search.sqlite"
SLICE = 100
"""Documents read together (their texts held in memory meanwhile) while indexing."""
PARALLEL_FROM = 3
"""Slices from which ``workers`` above 1 share the work among processes (starting one costs
about a third of a second)."""

SliceRows = list[tuple[str, list[Row]]]


def index_path(store: Store) -> Path:
    """Where the store's search index is kept (derived data: deleting it loses nothing)."""
    return store.cache_dir / INDEX_NAME


def default_workers() -> int:
    """Worker processes for a long refresh: one per core this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def refresh_index(
    store: Store,
    index: SearchIndex,
    progress: Callable[[int, int], None] | None = None,
    *,
    workers: int = 1,
) -> int:
    """Index the documents that changed since the index was last current; how many.
    ``workers`` above 1: a refresh of several slices builds them in that many processes (the
    rows, and so every answer, are the same)."""
    head = store.head()
    if head is None or index.head() == head:
        return 0
    states = _document_states(store, head)
    changed, gone = index.stale(states)
    for slug in gone:
        index.remove(slug)
    slices = [changed[i : i + SLICE] for i in range(0, len(changed), SLICE)]
    done = 0
    for found in _slices_rows(store, slices, workers):
        for slug, rows in found:
            index.replace(slug, states[slug], rows)
        index.commit()
        done += len(found)
        if progress:
            progress(done, len(changed))
    index.set_head(head)
    if len(changed) >= SLICE:
        index.optimize()
    return len(changed)


def _document_states(store: Store, head: str) -> dict[str, str]:
    """Each document's git tree id, from one listing of the store's root tree."""
    states = {}
    for name, entry in store.io.list_tree(head).items():
        if entry.kind != "tree":
            continue
        try:
            names.check_slug(name)
        except InvalidName:
            continue  # not a document (e.g. the adoption records)
        states[name] = entry.sha
    return states


def _slices_rows(store: Store, slices: Sequence[list[str]], workers: int) -> Iterator[SliceRows]:
    """Each slice's rows, in order: here, or in ``workers`` processes when there are enough.
    Where processes cannot be had (no semaphores in a sandbox, a worker killed), the slices
    not yet answered are read here."""
    done = 0
    if workers > 1 and len(slices) >= PARALLEL_FROM:
        try:
            context = multiprocessing.get_context("spawn")  # no fork of git and SQLite handles
            with ProcessPoolExecutor(min(workers, len(slices)), mp_context=context) as pool:
                for found in pool.map(_rows_in_worker, [str(store.git_dir)] * len(slices), slices):
                    done += 1
                    yield found
            return
        except (OSError, ImportError, NotImplementedError, BrokenProcessPool):
            pass
    with _lineage_index(store) as lineages:
        try:
            for chunk in slices[done:]:
                yield _slice_rows(store, lineages, chunk)
        finally:
            store.preload([])


def _rows_in_worker(git_dir: str, slugs: list[str]) -> SliceRows:
    """One slice's rows, in a worker process (its own store handle and lineage index)."""
    with Store.open(git_dir) as store, _lineage_index(store) as lineages:
        return _slice_rows(store, lineages, slugs)


def _slice_rows(store: Store, lineages: IndexCache | None, slugs: list[str]) -> SliceRows:
    store.preload(slugs)  # two git processes for the slice, not several per document
    found = []
    for slug in slugs:
        try:
            with document_lineages(store, slug, index=lineages) as lin:
                rows = rows_of(lin)
        except StoreError:
            rows = []  # a folder without document.json is not a document
        found.append((slug, rows))
    return found


@contextmanager
def _lineage_index(store: Store) -> Iterator[IndexCache | None]:
    """The store's derived lineage index, open for a whole refresh; None when it cannot be
    opened (each document then builds its lineages as it can, see ``open_lineages``)."""
    try:
        index = IndexCache(store.cache_dir)
    except (sqlite3.DatabaseError, OSError):
        yield None
        return
    with index:
        yield index
