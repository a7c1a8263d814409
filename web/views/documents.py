"""Documents, a document's versions in draft order, one version with its clauses and notes."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafttrack.service.lineages import document_lineages, keyed_clauses
from drafttrack.trace import history_lineages
from repo_store.annotations import list_annotations
from web.notes import notes_for, spot
from web.store import cached_page, data_cache, get_store
from web.views import export_formats

bp = Blueprint("documents", __name__)


@bp.get("/")
@cached_page
def index() -> str:
    """All documents with their version counts and latest version."""
    store = get_store()
    rows = [(doc, store.versions(doc.slug)) for doc in store.documents()]
    return render_template("documents/index.html", rows=rows)


@bp.get("/d/<doc>")
@cached_page
def document(doc: str) -> str:
    """A document's versions in draft order, each with its sources."""
    store = get_store()
    document = store.document(doc)
    versions = store.versions(doc)
    return render_template("documents/document.html", document=document, versions=versions)


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
    notes = [
        dict(n, here=True) for n in list_annotations(store, doc) if n["clause"]["key"] == pinned
    ]
    return render_template(
        "documents/history.html",
        document=document,
        versions=store.versions(doc),
        history=result,
        notes=notes,
    )
