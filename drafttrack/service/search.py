"""Search across the whole store through the full-text index (``drafttrack.search_index``).

The index lives in the store's cache folder and is brought up to date before each search: a
document is indexed again only when its git tree changed, so after an ``adopt`` or an ``add``
only the documents that received versions are read. A current index answers from SQLite alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.search_index import SearchIndex
from drafttrack.service.search_refresh import index_path, refresh_index
from repo_store import Store, names

__all__ = ["index_path", "refresh_index", "search_store"]


def search_store(
    store: Store,
    phrase: str,
    *,
    doc: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """``search --json``: the clauses of the store holding PHRASE, with the versions holding
    each (first_seen, last_seen), ``total`` matches before ``limit``; ``workers`` as for
    ``refresh_index``."""
    if doc is not None:
        store.document(doc)  # an unknown document is an error, not an empty answer
    since = names.check_date("--since date", since)
    until = names.check_date("--until date", until)
    if limit is not None and limit < 1:
        raise DrafttrackError("--limit must be at least 1")
    with SearchIndex(index_path(store)) as index:
        refresh_index(store, index, progress, workers=workers)
        return index.search(phrase, doc=doc, since=since, until=until, limit=limit)
