"""Search across the whole store through the full-text index (``drafttrack.search_index``).

The index lives in the store's cache folder and is brought up to date before each search: a
document is indexed again only when its git tree changed, so after an ``adopt`` or an ``add``
only the documents that received versions are read. A current index answers from SQLite alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.search_index import SearchIndex, rows_of
from drafttrack.service.lineages import document_lineages
from repo_store import InvalidName, Store, StoreError, names

INDEX_NAME = "search.sqlite"


def index_path(store: Store) -> Path:
    """Where the store's search index is kept (derived data: deleting it loses nothing)."""
    return store.cache_dir / INDEX_NAME


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


def refresh_index(
    store: Store, index: SearchIndex, progress: Callable[[int, int], None] | None = None
) -> int:
    """Index the documents that changed since the index was last current; how many."""
    head = store.head()
    if head is None or index.head() == head:
        return 0
    changed, gone = index.stale(_document_states(store, head))
    for slug in gone:
        index.remove(slug)
    for n, slug in enumerate(changed, 1):
        state = store.document_state(slug) or ""
        try:
            with document_lineages(store, slug) as lin:
                rows = rows_of(lin)
        except StoreError:
            rows = []  # a folder without document.json is not a document
        index.replace(slug, state, rows)
        if n % 200 == 0:
            index.commit()
        if progress:
            progress(n, len(changed))
    index.set_head(head)
    return len(changed)


def search_store(
    store: Store,
    phrase: str,
    *,
    doc: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """``search --json``: the clauses of the store holding PHRASE, with the versions holding
    each (first_seen, last_seen), ``total`` matches before ``limit``."""
    if doc is not None:
        store.document(doc)  # an unknown document is an error, not an empty answer
    since = names.check_date("--since date", since)
    until = names.check_date("--until date", until)
    if limit is not None and limit < 1:
        raise DrafttrackError("--limit must be at least 1")
    with SearchIndex(index_path(store)) as index:
        refresh_index(store, index, progress)
        return index.search(phrase, doc=doc, since=since, until=until, limit=limit)
