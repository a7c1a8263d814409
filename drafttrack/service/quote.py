"""Quote attribution over a store: which clauses, and so which versions, a quote comes from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from drafttrack.quote import (
    Attributor,
    Match,
    detect_language,
    load_embedder,
    load_second_embedder,
)
from drafttrack.quote.cache import QuoteCache, collect_entries
from drafttrack.service.limits import MAX_TOP
from drafttrack.service.memo import NO_MEMO, Memo
from drafttrack.service.stored import stored_versions
from repo_store import Store

__all__ = ["MAX_TOP", "quote_attributor", "quote_json"]


def quote_attributor(
    store: Store,
    doc: str | None,
    memo: Memo = NO_MEMO,
    progress: Callable[[int, int], None] | None = None,
) -> Attributor:
    """An attributor over every clause text of DOC (or of every document), kept per HEAD;
    ``progress(done, total)`` follows the embedding of clause windows not yet in the cache."""
    return memo.memo(("quote", store.head(), doc), lambda: _attributor(store, doc, progress))


def _attributor(
    store: Store, doc: str | None, progress: Callable[[int, int], None] | None
) -> Attributor:
    documents = [store.document(doc).slug] if doc else [d.slug for d in store.documents()]
    entries = collect_entries(
        documents, lambda slug: stored_versions(store, slug), store.cache_dir, store.head()
    )
    embedder = load_embedder()
    if embedder is None:
        return Attributor(entries)
    with QuoteCache(store.cache_dir) as cache:
        return Attributor(entries, embedder, cache, progress, load_second_embedder())


def quote_json(query: str, matches: Sequence[Match]) -> dict[str, Any]:
    """The contract's ``quote --json`` object."""
    return {
        "query": query,
        "language": detect_language(query),
        "matches": [m.to_json() for m in matches],
    }
