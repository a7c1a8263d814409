"""A phrase's life across all versions: a timeline chart and the text of each event."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from drafttrack.render_rows import TraceLine, trace_grid
from drafttrack.service.limits import check_phrase
from drafttrack.service.lineages import document_lineages
from drafttrack.trace import trace_lineages
from repo_store import Store
from web.store import cached_page, get_store

bp = Blueprint("trace", __name__)


def run_trace(store: Store, doc: str, phrase: str) -> tuple[dict[str, Any], list[TraceLine]]:
    """The ``trace --json`` object for ``phrase`` and the chart's rows (one per lineage)."""
    with document_lineages(store, doc) as lin:
        return trace_lineages(lin, phrase), trace_grid(lin, phrase)


@bp.get("/d/<doc>/trace")
@cached_page
def trace(doc: str) -> str:
    """The trace page; without ``q`` just the search form."""
    store = get_store()
    document = store.document(doc)
    phrase = " ".join(check_phrase(request.args.get("q", "")).split())
    result, grid = run_trace(store, doc, phrase) if phrase else (None, [])
    return render_template(
        "trace/trace.html",
        document=document,
        versions=store.versions(doc),
        phrase=phrase,
        result=result,
        grid=grid,
    )
