"""Atom feeds of newly recorded versions, per document and for the whole store.

Each entry carries the version's sources, the change summary and the clause-level diff against
the version before it in draft order, as escaped HTML (``type="html"``): inert in any reader.
Technical versions (a watch's re-extraction) have no entry; a watch's capture shows its
substantive changes only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from werkzeug.wrappers import Response

from drafttrack.render_rows import build_rows, changes_only, summary_line
from drafttrack.service.compare import compare_versions
from repo_store import Store, Version
from web.store import cached_page, data_cache, get_store
from web.version_table import is_technical

bp = Blueprint("feeds", __name__)

ENTRIES = 20


def _entry(store: Store, version: Version, versions: list[Version]) -> dict[str, Any]:
    before = [v for v in versions[: version.position - 1] if not is_technical(v)]
    previous = before[-1] if before else None
    rows: list[Any] = []
    summary: list[tuple[str, int]] = []
    if previous is not None:
        result = compare_versions(store, previous, version, keyed=False, memo=data_cache())
        # a watch's capture: its substantive changes only (editorial ones are not news)
        captured = bool(version.provenance.get("capture"))
        changes = result.substantive() if captured else result.changes
        rows = [r for r in changes_only(build_rows(changes), 0) if r.kind != "gap"]
        summary = summary_line(result.summary())
    html = render_template(
        "feeds/_entry.html", version=version, previous=previous, rows=rows, summary=summary
    )
    return {
        "version": version,
        "html": html,
        "url": url_for("documents.version", doc=version.document, ref=version.id, _external=True),
        "updated": version.provenance.get("added_at") or "1970-01-01T00:00:00Z",
    }


def _feed(title: str, self_url: str, alternate: str, entries: list[dict[str, Any]]) -> Response:
    updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
    body = render_template(
        "feeds/feed.xml",
        title=title,
        self_url=self_url,
        alternate=alternate,
        updated=updated,
        entries=entries,
    )
    return Response(body, mimetype="application/atom+xml")


def _newest(store: Store, slugs: list[str]) -> list[dict[str, Any]]:
    candidates: list[tuple[str, Version, list[Version]]] = []
    for slug in slugs:
        versions = store.versions(slug)
        candidates += [
            (str(v.provenance.get("added_at", "")), v, versions)
            for v in versions
            if not is_technical(v)  # a re-extraction is no new text
        ]
    candidates.sort(key=lambda c: (c[0], c[1].id), reverse=True)
    return [_entry(store, v, versions) for _, v, versions in candidates[:ENTRIES]]


@bp.get("/feed.atom")
@cached_page
def store_feed() -> Response:
    """New versions of every document."""
    store = get_store()
    entries = _newest(store, [d.slug for d in store.documents()])
    return _feed(
        "drafttrack: new versions",
        url_for(".store_feed", _external=True),
        url_for("documents.index", _external=True),
        entries,
    )


@bp.get("/d/<doc>/feed.atom")
@cached_page
def document_feed(doc: str) -> Response:
    """New versions of one document."""
    store = get_store()
    document = store.document(doc)
    return _feed(
        f"{document.title}: new versions",
        url_for(".document_feed", doc=doc, _external=True),
        url_for("documents.document", doc=doc, _external=True),
        _newest(store, [doc]),
    )
