"""Documents, a document's versions in draft order, one version with its clauses and notes."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafttrack.render_rows import follow_clause, history_steps
from web.notes import clauses_of, notes_for, spot
from web.store import cached_page, comparison, get_store
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
    return render_template(
        "documents/document.html", document=document, versions=versions
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
        clauses=clauses_of(store, v),
        notes=notes_for(store, v),
        spot=spot,
        annotate=request.args.get("annotate", ""),
        formats=export_formats(),
    )


@bp.get("/d/<doc>/v/<ref>/clause/<key>")
@cached_page
def clause_history(doc: str, ref: str, key: str) -> str | Response:
    """One clause through every version: its text (redlined), or absent / unknown."""
    store = get_store()
    document = store.document(doc)
    v = store.resolve(doc, ref)
    if ref != v.id:
        return redirect(url_for(".clause_history", doc=doc, ref=v.id, key=key), 302)
    own = {c.key: c for c in clauses_of(store, v)}
    if key not in own:
        abort(404, f"version {v.label!r} has no clause {key!r}")
    versions = store.versions(doc)
    found = [
        [own[key]] if w.id == v.id else follow_clause(comparison(store, v, w).changes, key)
        for w in versions
    ]
    steps = history_steps([w.to_json() for w in versions], found)
    return render_template(
        "documents/history.html",
        document=document,
        version=v,
        clause=own[key],
        steps=zip(versions, steps, strict=True),
    )
