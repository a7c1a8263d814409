"""The JSON API: exactly the objects the CLI prints with ``--json``."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, request
from werkzeug.wrappers import Response

from drafttrack.quote import DEFAULT_TOP, check_quote
from drafttrack.service.compare import compare_versions, comparison_report
from drafttrack.service.history import document_log
from drafttrack.service.limits import check_phrase, check_top
from drafttrack.service.quote import quote_attributor, quote_json
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
    result = compare_versions(store, old_v, new_v, memo=data_cache())
    return _json(comparison_report(doc, old_v, new_v, result))


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
    return _json(document_log(get_store(), doc))


def query() -> str:
    """The ``q`` parameter, required and bounded."""
    q = request.args.get("q", "").strip()
    if not q:
        abort(400, "give a phrase: ?q=…")
    return check_phrase(q)


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
    text = check_quote(query())
    doc = request.args.get("doc") or None
    top = check_top(request.args.get("top", DEFAULT_TOP))
    store = get_store()
    attributor = quote_attributor(store, doc, data_cache())  # one per HEAD and scope
    return _json(quote_json(text, attributor.attribute(text, top)))
