"""'Where is this quote from?': the box, the results page and ``/api/quote``."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from drafttrack.quote import (
    DEFAULT_TOP,
    EXTRA_HINT,
    MAX_QUOTE_CHARS,
    Attributor,
    QuoteError,
    check_quote,
    detect_language,
    load_embedder,
)
from drafttrack.quote.cache import QuoteCache
from drafttrack.quote.entries import collect_entries
from drafttrack.quote.windows import plain
from repo_store import Store
from web.store import data_cache, get_store, version_text

bp = Blueprint("quote", __name__)

TRACE_WORDS = 8
"""Words of a matched clause used as the phrase of its trace link."""


def attributor(store: Store, doc: str | None) -> Attributor:
    """The attributor for DOC (or every document) at the store's HEAD, kept between requests."""
    documents = [store.document(doc).slug] if doc else [d.slug for d in store.documents()]
    head = store.head()

    def make() -> Attributor:
        entries = collect_entries(
            documents,
            lambda slug: [version_text(store, v) for v in store.versions(slug)],
            store.cache_dir,
            head,
        )
        embedder = load_embedder()
        if embedder is None:
            return Attributor(entries)
        with QuoteCache(store.cache_dir) as cache:
            return Attributor(entries, embedder, cache)

    return data_cache().memo(("quote", head, tuple(documents)), make)


def _query() -> tuple[str, str | None, int]:
    q = request.args.get("q", "")
    doc = request.args.get("doc") or None
    try:
        top = min(max(int(request.args.get("top", DEFAULT_TOP)), 1), 50)
    except ValueError:
        abort(400, "top must be a number")
    return q, doc, top


def quote_result(store: Store, q: str, doc: str | None, top: int) -> dict[str, Any]:
    """The ``quote --json`` object."""
    query = check_quote(q)
    matches = attributor(store, doc).attribute(query, top)
    return {
        "query": query,
        "language": detect_language(query),
        "matches": [m.to_json() for m in matches],
    }


@bp.get("/api/quote")
def api_quote() -> Response:
    """``drafttrack quote Q [--doc DOC] --json``."""
    q, doc, top = _query()
    result = quote_result(get_store(), q, doc, top)
    body = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    return Response(body, mimetype="application/json")


@bp.get("/quote")
def quote_page() -> str:
    """The results page (the box alone without ``q``)."""
    q, doc, top = _query()
    store = get_store()
    document = store.document(doc) if doc else None
    result: dict[str, Any] | None = None
    error = None
    if q.strip():
        try:
            result = quote_result(store, q, doc, top)
        except QuoteError as exc:
            error = str(exc)
    versions = {}
    if result:
        for slug in {m["document"] for m in result["matches"]}:
            versions[slug] = {v.label: v for v in store.versions(slug)}
    lexical_only = load_embedder() is None
    return render_template(
        "quote/results.html",
        document=document,
        documents=store.documents(),
        quote=q,
        result=result,
        error=error,
        versions=versions,
        lexical_only=lexical_only,
        extra_hint=EXTRA_HINT,
        max_chars=MAX_QUOTE_CHARS,
        trace_phrase=lambda text: " ".join(plain(text).split()[:TRACE_WORDS]),
    )
