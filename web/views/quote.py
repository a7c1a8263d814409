"""'Where is this quote from?': the box and the results page (``/api/quote`` is in ``api``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from drafttrack.quote import (
    DEFAULT_TOP,
    EXTRA_HINT,
    MAX_QUOTE_CHARS,
    QuoteError,
    check_quote,
    load_embedder,
)
from drafttrack.quote.windows import plain
from drafttrack.service.limits import check_top
from drafttrack.service.quote import quote_attributor, quote_json
from repo_store import Store
from web.store import data_cache, get_store

bp = Blueprint("quote", __name__)

TRACE_WORDS = 8
"""Words of a matched clause used as the phrase of its trace link."""


def _query() -> tuple[str, str | None, int]:
    q = request.args.get("q", "")
    doc = request.args.get("doc") or None
    return q, doc, check_top(request.args.get("top", DEFAULT_TOP))


def quote_result(store: Store, q: str, doc: str | None, top: int) -> dict[str, Any]:
    """The ``quote --json`` object (``/api/quote`` is served by the api blueprint)."""
    query = check_quote(q)
    return quote_json(query, quote_attributor(store, doc, data_cache()).attribute(query, top))


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
