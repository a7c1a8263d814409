"""A phrase's life across all versions: a timeline chart and the text of each event."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from drafttrack.render_rows import TraceLine, trace_grid
from drafttrack.service.limits import check_phrase
from drafttrack.service.lineages import document_lineages
from drafttrack.service.stored import own_language_versions
from drafttrack.service.trace_context import traced_in_translations, traced_reports
from drafttrack.trace import trace_lineages
from drafttrack.trace_scale import chart, collapsed
from repo_store import Store
from web.store import cached_page, data_cache, get_store

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
    versions = [v.to_json() for v in own_language_versions(store, doc)]
    lo, hi = zoom(len(versions))
    return render_template(
        "trace/trace.html",
        document=document,
        versions=versions,
        phrase=phrase,
        result=result,
        grid=grid,
        picture=chart(grid, versions, lo, hi) if grid else None,
        rows=collapsed(result["timeline"]) if result else [],
        zoomed=(lo, hi) != (0, len(versions) - 1),
        translated=traced_in_translations(store, doc, result, data_cache()) if result else [],
        reported=traced_reports(store, doc, result, data_cache()) if result else [],
    )


def zoom(n: int) -> tuple[int, int]:
    """The chart's range from ``from`` and ``to`` (1-based positions; default: every version)."""
    bounds = []
    for name, default in (("from", 1), ("to", n)):
        raw = request.args.get(name, "").strip()
        try:
            bounds.append(int(raw) if raw else default)
        except ValueError:
            abort(400, f"'{name}' must be a version's position, 1 to {n}")
    lo, hi = bounds
    if n and not 1 <= lo <= hi <= n:
        abort(400, f"give 1 <= from <= to <= {n}")
    return lo - 1, hi - 1
