"""The watches page: every watched source with its status, and the watches feeding a document."""

from __future__ import annotations

from flask import Blueprint, render_template

from drafttrack.service.watching import Watching
from web.store import get_store

bp = Blueprint("watches", __name__)


@bp.get("/watches")
def watches() -> str:
    """Every watch: status, last check, next check, last change, failures."""
    return render_template("watches/watches.html", document=None,
                           watches=Watching(get_store()).listing())  # fmt: skip


@bp.get("/d/<doc>/watches")
def document_watches(doc: str) -> str:
    """The watches that feed one document."""
    store = get_store()
    document = store.document(doc)
    entries = [w for w in Watching(store).listing() if w["document"] == doc]
    return render_template("watches/watches.html", document=document, watches=entries)
