"""A phrase's life across all versions: a timeline chart and the text of each event."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from repo_store import Store
from web.store import cached_page, get_store, version_text

bp = Blueprint("trace", __name__)

MAX_PHRASE = 500


def run_trace(store: Store, doc: str, phrase: str) -> dict[str, Any]:
    """The ``trace --json`` object for ``phrase`` (with the engine's ``unknown`` state)."""
    from drafttrack.trace import trace

    versions = [version_text(store, v) for v in store.versions(doc)]
    return trace(doc, versions, phrase)


@bp.get("/d/<doc>/trace")
@cached_page
def trace(doc: str) -> str | Response:
    """The trace page; without ``q`` just the search form."""
    from drafttrack.render_rows import trace_grid

    store = get_store()
    document = store.document(doc)
    phrase = request.args.get("q", "").strip()[:MAX_PHRASE]
    result = run_trace(store, doc, phrase) if phrase else None
    return render_template(
        "trace/trace.html",
        document=document,
        versions=store.versions(doc),
        phrase=phrase,
        result=result,
        grid=trace_grid(result, phrase) if result else None,
    )
