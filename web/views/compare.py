"""Compare two versions side by side (or as an inline redline), and download reports."""

from __future__ import annotations

import re

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafttrack.collector import collector_paused
from drafttrack.export import ExportOptions, export_report, media_type
from drafttrack.render_rows import Gap, build_rows, changes_only, fill_segments, summary_line
from drafttrack.service.compare import compare_versions, comparison_report
from drafttrack.service.evidence_view import comparison_evidence
from drafttrack.service.reports import with_evidence
from repo_store import Version
from web.notes import notes_for, spot
from web.store import cached_page, data_cache, get_store
from web.views import export_formats

bp = Blueprint("compare", __name__)

VIEWS = ("side", "inline")

WHOLE_MAX_ROWS = 1000
"""A comparison of more rows than this (clauses of both versions, moved stubs included) opens
as changes only, with a notice and a link to the whole (``?all=1``): a long text's page then
formats and sends what a reader looks at first, not every unchanged clause."""


def _pair(doc: str, old: str, new: str) -> tuple[Version, Version]:
    store = get_store()
    store.document(doc)
    return store.resolve(doc, old), store.resolve(doc, new)


@bp.get("/d/<doc>/compare")
def pick(doc: str) -> Response:
    """The version picker's target: redirect to the compare URL by version ids."""
    store = get_store()
    versions = store.versions(doc)
    if not versions:
        abort(404, f"{doc!r} has no versions")
    new_ref = request.args.get("new") or "latest"
    new = store.resolve(doc, new_ref)
    old_ref = request.args.get("old") or (
        versions[new.position - 2].id if new.position > 1 else new.id
    )
    old = store.resolve(doc, old_ref)
    args = {k: v for k, v in request.args.items() if k in ("view", "changes", "editorial", "all")}
    return redirect(url_for(".compare", doc=doc, old=old.id, new=new.id, **args), 302)


@bp.get("/d/<doc>/compare/<old>/<new>")
@cached_page
def compare(doc: str, old: str, new: str) -> str | Response:
    """Side by side (default) or inline (``?view=inline``); ``?changes=only`` keeps context.

    Above ``WHOLE_MAX_ROWS`` rows the page is changes only unless ``?all=1`` asks for the whole.
    """
    old_v, new_v = _pair(doc, old, new)
    if (old, new) != (old_v.id, new_v.id):
        return redirect(
            url_for(".compare", doc=doc, old=old_v.id, new=new_v.id, **request.args), 302
        )
    view = request.args.get("view", "side")
    if view not in VIEWS:
        view = "side"
    # Tens of thousands of rows, segments and strings that live until the page is sent and form
    # no cycles: collector passes over them free nothing (a fifth of a long page's time).
    with collector_paused():
        store = get_store()
        result = compare_versions(store, old_v, new_v, keyed=False, memo=data_cache())
        rows = build_rows(result.changes, segments=False)
        large = len(rows) > WHOLE_MAX_ROWS
        asked_only = request.args.get("changes") == "only"
        only = asked_only or (large and request.args.get("all") != "1")
        shown = changes_only(rows) if only else rows
        fill_segments(shown)
        return render_template(
            "compare/compare.html",
            document=store.document(doc),
            old=old_v,
            new=new_v,
            versions=store.versions(doc),
            rows=shown,
            changed=sum(1 for r in rows if r.is_change),
            summary=summary_line(result.summary()),
            view=view,
            only=only,
            large=large,
            asked_only=asked_only,
            total_rows=len(rows),
            hidden=sum(r.count for r in shown if isinstance(r, Gap)) if only else 0,
            hide_editorial=request.args.get("editorial") == "hide",
            old_notes=notes_for(store, old_v),
            new_notes=notes_for(store, new_v),
            spot=spot,
            formats=export_formats(),
            languages=result.languages,
            evidence=comparison_evidence(store, old_v, new_v, data_cache()),
        )


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@bp.get("/d/<doc>/export/<old>/<new>.<fmt>")
def export(doc: str, old: str, new: str, fmt: str) -> Response:
    """A report file of the comparison, by version ids, as an attachment."""
    if fmt not in export_formats():
        abort(404, f"no {fmt!r} export here (available: {', '.join(export_formats())})")
    old_v, new_v = _pair(doc, old, new)
    if (old, new) != (old_v.id, new_v.id):
        return redirect(url_for(".export", doc=doc, old=old_v.id, new=new_v.id, fmt=fmt), 302)
    store = get_store()
    result = compare_versions(store, old_v, new_v, keyed=False, memo=data_cache())
    data = comparison_report(doc, old_v, new_v, result)
    options = ExportOptions(document_title=store.document(doc).title)
    options = with_evidence(store, old_v, new_v, fmt, data, options, data_cache())
    body, mimetype = export_report(fmt, data, options), media_type(fmt)
    name = _SAFE_NAME.sub("-", f"{doc}-{old_v.id}-{new_v.id}.{fmt}")
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
