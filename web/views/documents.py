"""Documents, a document's versions in draft order, one version with its clauses and notes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafttrack.flow_svg import picture, volume
from drafttrack.service.events import document_events
from drafttrack.service.evidence_view import clause_evidence, document_reports, vouching
from drafttrack.service.history import document_flow
from drafttrack.service.lineages import document_lineages, keyed_clauses
from drafttrack.service.listing import documents_page
from drafttrack.service.stored import own_language_versions
from drafttrack.service.translated import clauses_in_translations
from drafttrack.trace import history_lineages
from repo_store import Version
from repo_store.annotations import list_annotations
from web.notes import notes_for, spot
from web.store import cached_page, data_cache, get_store
from web.version_table import version_table
from web.views import export_formats

bp = Blueprint("documents", __name__)


DEMO_DOC, DEMO_OLD, DEMO_NEW = "paris-declaration", "Earlier draft", "Summit text"
DEMO_QUOTE = "die Truppe im Falle eines Angriffs zu unterstützen"
DEMO_PHRASE = "support the force in case of attack"


def demo_tour(rows: list[tuple[Any, list[Version]]]) -> dict[str, Any] | None:
    """The demo's "try this" links, when the store holds the demo's declaration."""
    for doc, versions in rows:
        if doc.slug == DEMO_DOC:
            by_label = {v.label: v for v in versions}
            if DEMO_OLD in by_label and DEMO_NEW in by_label:
                return {
                    "doc": doc,
                    "quote": DEMO_QUOTE,
                    "phrase": DEMO_PHRASE,
                    "old": by_label[DEMO_OLD],
                    "new": by_label[DEMO_NEW],
                }
    return None


@bp.get("/")
@cached_page
def index() -> str:
    """The documents with their version counts and latest version, a page at a time, filtered by
    name (``?q=``) and by name or most recently changed first (``?sort=recent``)."""
    store = get_store()
    query = request.args.get("q", "")[:200]
    recent = request.args.get("sort") == "recent"
    page_no = request.args.get("page", "1")
    listing = documents_page(
        store, query=query, recent=recent, page=int(page_no) if page_no.isdigit() else 1,
        memo=data_cache(),
    )  # fmt: skip
    return render_template(
        "documents/index.html", rows=listing.rows, tour=demo_tour(listing.rows), listing=listing,
        query=query, sort="recent" if recent else "name",
    )  # fmt: skip


LARGE = 100
"""Above this many versions (or bundles) the band table lives on the flow's own page."""


@bp.get("/d/<doc>")
@cached_page
def document(doc: str) -> str:
    """A document's history flow, change volume and versions in draft order (filterable)."""
    store = get_store()
    document = store.document(doc)
    versions = store.versions(doc)
    flow = document_flow(store, doc, data_cache()) if versions else None
    by_id = (
        {str(v["id"]): c for v, c in zip(flow.versions, flow.changes, strict=True)} if flow else {}
    )
    table = version_table(versions, [by_id.get(v.id) for v in versions], request.args)
    return render_template(
        "documents/document.html",
        document=document,
        versions=versions,
        flow=flow,
        pic=picture(flow) if flow and len(versions) > 1 else None,
        volume=volume(flow) if flow and len(versions) > 1 else None,
        lineage_versions=own_language_versions(store, doc),
        table=table,
        large=bool(flow) and (len(versions) > LARGE or len(flow.bundles) > LARGE),
        events=document_events(store, doc),
        reports=document_reports(store, doc, data_cache()),
    )


@bp.get("/d/<doc>/flow")
@cached_page
def flow(doc: str) -> str:
    """The history flow on its own page, with the table of its bands."""
    store = get_store()
    document = store.document(doc)
    versions = store.versions(doc)
    flow = document_flow(store, doc, data_cache()) if versions else None
    return render_template(
        "documents/flow.html",
        document=document,
        versions=versions,
        flow=flow,
        pic=picture(flow) if flow else None,
    )


@bp.get("/d/<doc>/v/<ref>")
def version(doc: str, ref: str) -> str | Response:
    """One version: numbered clauses, notes beside them, and the annotation form."""
    store = get_store()
    document = store.document(doc)
    v = store.resolve(doc, ref)
    if ref != v.id:
        return redirect(url_for(".version", doc=doc, ref=v.id, **request.args), 302)
    versions = store.versions(doc)
    return render_template(
        "documents/version.html",
        document=document,
        version=v,
        versions=versions,
        clauses=keyed_clauses(store, v, data_cache()),
        evidence=clause_evidence(store, doc, v.label, data_cache()),
        notes=notes_for(store, v),
        spot=spot,
        annotate=request.args.get("annotate", ""),
        formats=export_formats(),
    )


@bp.get("/d/<doc>/history/<key>")
@cached_page
def clause_history(doc: str, key: str) -> str:
    """One clause lineage through every version: its text (redlined), or absent / unknown."""
    store = get_store()
    document = store.document(doc)
    with document_lineages(store, doc) as lin:
        result = history_lineages(lin, key)
    pinned = result["key"]
    reported = vouching(store, doc, data_cache()).get(pinned, [])
    notes = [
        dict(n, here=True) for n in list_annotations(store, doc) if n["clause"]["key"] == pinned
    ]
    return render_template(
        "documents/history.html",
        document=document,
        versions=own_language_versions(store, doc),
        history=result,
        notes=notes,
        translations=clauses_in_translations(store, doc, [pinned], data_cache())[pinned],
        reported=reported,
        reported_in=Counter(label for e in reported for label in e["versions"]),
    )
