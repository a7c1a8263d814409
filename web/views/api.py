"""The JSON API: exactly the objects the CLI prints with ``--json``."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, request
from werkzeug.wrappers import Response

from drafttrack.compare import comparison_json
from drafttrack.history_flow import with_changes
from web.lineages import comparison, lineages
from web.store import cached_page, data_cache, get_store

bp = Blueprint("api", __name__, url_prefix="/api")


def _json(data: Any) -> Response:
    """The same bytes as the CLI's ``--json`` output."""
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(body, mimetype="application/json")


@bp.get("/d/<doc>/diff/<old>/<new>")
@cached_page
def diff(doc: str, old: str, new: str) -> Response:
    """``drafttrack diff DOC OLD NEW --format json``."""
    store = get_store()
    store.document(doc)
    old_v, new_v = store.resolve(doc, old), store.resolve(doc, new)
    result = comparison(store, old_v, new_v)
    return _json(comparison_json(doc, old_v.to_json(), new_v.to_json(), result))


@bp.get("/docs")
@cached_page
def docs() -> Response:
    """``drafttrack docs --json``."""
    store = get_store()
    out = []
    for d in store.documents():
        versions = store.versions(d.slug)
        out.append(
            {
                "slug": d.slug,
                "title": d.title,
                "language": d.language,
                "versions": len(versions),
                "latest": versions[-1].to_json() if versions else None,
            }
        )
    return _json({"documents": out})


@bp.get("/d/<doc>/log")
@cached_page
def log(doc: str) -> Response:
    """``drafttrack log DOC --json``."""
    store = get_store()
    document = store.document(doc)
    versions = [v.to_full_json() for v in store.versions(doc)]
    if versions:
        with lineages(store, doc) as lin:
            versions = with_changes(versions, lin)
    return _json({"document": doc, "title": document.title, "versions": versions})


def query() -> str:
    """The ``q`` parameter, required and bounded."""
    q = request.args.get("q", "").strip()
    if not q:
        abort(400, "give a phrase: ?q=…")
    if len(q) > 500:
        abort(400, "the phrase is longer than 500 characters")
    return q


@bp.get("/d/<doc>/trace")
@cached_page
def trace(doc: str) -> Response:
    """``drafttrack trace DOC PHRASE --json``."""
    from web.views.trace import run_trace

    store = get_store()
    store.document(doc)
    result, _ = run_trace(store, doc, query())
    return _json(result)


@bp.get("/quote")
@cached_page
def quote() -> Response:
    """``drafttrack quote TEXT [--doc DOC] [--top N] --json``."""
    from drafttrack.cli.quote_cmd import MAX_TOP, quote_attributor, quote_json
    from drafttrack.quote import DEFAULT_TOP, check_quote

    text = check_quote(query())
    doc = request.args.get("doc") or None
    try:
        top = int(request.args.get("top", DEFAULT_TOP))
    except ValueError:
        abort(400, "top must be a number")
    if not 1 <= top <= MAX_TOP:
        abort(400, f"top must be between 1 and {MAX_TOP}")
    store = get_store()
    # Same memo key as the quote page (web/views/quote.py): one attributor per HEAD and scope.
    key = ("quote", store.head(), doc)
    attributor = data_cache().memo(key, lambda: quote_attributor(store, doc))
    return _json(quote_json(text, attributor.attribute(text, top)))
