"""Quote attribution over a store: which clauses, and so which versions, a quote comes from."""

from __future__ import annotations

import os
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
from drafttrack.service.stored import lineage_versions
from repo_store import Store

__all__ = ["MAX_TOP", "SECOND_ENCODER_ENV", "quote_attributor", "quote_json", "second_encoder_on"]

SECOND_ENCODER_ENV = "DRAFTTRACK_SECOND_ENCODER"
"""Set to 1 to let the second encoder vote (more accurate across languages, see
``bench/bench_quote.py``; loading it costs a one-shot command seconds, and a cold index embeds
every window twice), 0 or unset to leave it out."""


def second_encoder_on() -> bool:
    """Whether quotes get the second encoder's vote (``SECOND_ENCODER_ENV``)."""
    return os.environ.get(SECOND_ENCODER_ENV, "0").strip().lower() in ("1", "true", "yes", "on")


def quote_attributor(
    store: Store,
    doc: str | None,
    memo: Memo = NO_MEMO,
    progress: Callable[[int, int], None] | None = None,
    second: bool | None = None,
) -> Attributor:
    """An attributor over every clause text of DOC (or of every document), kept per HEAD;
    ``progress(done, total)`` follows the embedding of clause windows not yet in the cache.
    ``second``: let the second encoder vote (default: :func:`second_encoder_on`)."""
    voting = second_encoder_on() if second is None else second
    return memo.memo(
        ("quote", store.head(), doc, voting), lambda: _attributor(store, doc, progress, voting)
    )


def _attributor(
    store: Store, doc: str | None, progress: Callable[[int, int], None] | None, second: bool
) -> Attributor:
    documents = [store.document(doc).slug] if doc else [d.slug for d in store.documents()]
    entries = collect_entries(
        # the lineages' own versions: the index they build is the one trace and history read
        documents,
        lambda slug: lineage_versions(store, slug),
        store.cache_dir,
        store.head(),
    )
    embedder = load_embedder()
    if embedder is None:
        return Attributor(entries)
    with QuoteCache(store.cache_dir) as cache:
        voter = load_second_embedder() if second else None
        return Attributor(entries, embedder, cache, progress, voter)


def quote_json(query: str, matches: Sequence[Match]) -> dict[str, Any]:
    """The contract's ``quote --json`` object."""
    return {
        "query": query,
        "language": detect_language(query),
        "matches": [m.to_json() for m in matches],
    }
