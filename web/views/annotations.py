"""The annotation form's target: pin a sourced note to a clause (one commit per note)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from werkzeug.wrappers import Response

from drafttrack.service.lineages import keyed_clauses
from repo_store.annotations import add_annotation
from web.store import data_cache, get_store

bp = Blueprint("annotations", __name__)


@bp.post("/d/<doc>/v/<ref>/annotations")
def create(doc: str, ref: str) -> Response:
    """Record the note and go back to the clause."""
    store = get_store()
    version = store.resolve(doc, ref)
    key = request.form.get("clause", "")
    clause = next((c for c in keyed_clauses(store, version, data_cache()) if c.key == key), None)
    if clause is None:
        abort(400, f"version {version.label!r} has no clause {key!r}")
    record, _ = add_annotation(
        store,
        doc,
        version,
        clause.to_json(),
        note=request.form.get("note", ""),
        outlet=request.form.get("source") or None,
        url=request.form.get("url") or None,
    )
    target = url_for("documents.version", doc=doc, ref=version.id)
    return redirect(f"{target}#note-{record['id']}", 303)
