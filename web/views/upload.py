"""Add a version from the browser: upload a file or paste text, with provenance and placement."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafttrack.errors import DrafttrackError
from drafttrack.ingest import IngestError
from drafttrack.service.versions import Received, add_received
from repo_store import (
    DuplicateLabel,
    InvalidName,
    InvalidValue,
    Placement,
    Provenance,
    UnknownDocument,
    UnknownVersion,
)
from web.store import get_store

bp = Blueprint("upload", __name__)

PLACEMENTS = ("end", "before", "after")
FORM_ERRORS = (DrafttrackError, InvalidName, InvalidValue, DuplicateLabel, UnknownVersion)
"""Errors shown on the form itself (others get the error page of their status)."""

FIELDS = (
    "doc", "title", "language", "label", "outlet", "via", "url", "reported_on", "drafted_on",
    "completeness", "note", "placement", "ref", "text",
)  # fmt: skip


def _form_page(doc: str | None, values: dict[str, str], error: str | None, status: int) -> Response:
    store = get_store()
    versions = []
    document = None
    if doc:
        try:
            document = store.document(doc)
            versions = store.versions(doc)
        except (UnknownDocument, InvalidName):
            document = None
    body = render_template(
        "upload/form.html",
        doc=doc,
        document=document,
        versions=versions,
        documents=store.documents(),
        values=values,
        error=error,
    )
    return Response(body, status=status, mimetype="text/html")


@bp.route("/add", methods=["GET", "POST"])
def new_document() -> Response:
    """The form for a version of any document (a new one is created on first use)."""
    if request.method == "POST":
        return _submit(request.form.get("doc", "").strip())
    return _form_page(request.args.get("doc") or None, {}, None, 200)


@bp.route("/d/<doc>/add", methods=["GET", "POST"])
def add_version(doc: str) -> Response:
    """The form for a new version of ``doc``."""
    if request.method == "POST":
        return _submit(doc)
    get_store().document(doc)
    return _form_page(doc, {}, None, 200)


def _submit(doc: str) -> Response:
    form = request.form
    values = {k: form.get(k, "") for k in FIELDS if k != "text"}
    upload = request.files.get("file")
    try:
        if upload is not None and upload.filename:
            data = upload.read()
            name = upload.filename
        else:
            pasted = form.get("text", "")
            if not pasted.strip():
                raise IngestError("give a file or paste the text")
            data, name = pasted.encode("utf-8"), "pasted.md"
        if not doc:
            raise IngestError("give the document's short name (e.g. paris-declaration)")
        placement = form.get("placement") or "end"
        if placement not in PLACEMENTS:
            abort(400, "unknown placement")
        ref = form.get("ref") or None
        if placement in ("before", "after") and not ref:
            raise IngestError(f"choose the version to place this one {placement}")
        provenance = Provenance.of(
            label=form.get("label") or None,
            outlet=form.get("outlet") or None,
            via=[v.strip() for v in form.get("via", "").splitlines() if v.strip()],
            url=form.get("url") or None,
            reported_on=form.get("reported_on") or None,
            drafted_on=form.get("drafted_on") or None,
            completeness=form.get("completeness") or None,
            note=form.get("note") or None,
        )
        added = add_received(
            get_store(),
            doc,
            Received(data, name, record_name=name != "pasted.md"),
            provenance,
            Placement(
                before=ref if placement == "before" else None,
                after=ref if placement == "after" else None,
            ),
            title=form.get("title") or None,
            language=form.get("language") or None,
        )
    except FORM_ERRORS as exc:
        return _form_page(doc or None, values, " ".join(str(exc).split()), 400)
    if added.warnings:  # what ``drafttrack add`` prints as warnings: shown before moving on
        return _added_page(doc, added.result.version.id, added.warnings)
    return redirect(url_for("documents.version", doc=doc, ref=added.result.version.id), 303)


def _added_page(doc: str, version_id: str, warnings: list[str]) -> Response:
    """The version is recorded, but ingesting it warned (a page without an article, tracked
    changes accepted, …): say so, with a link to the version."""
    body = render_template(
        "upload/added.html",
        document=get_store().document(doc),
        version_id=version_id,
        warnings=warnings,
    )
    return Response(body, status=200, mimetype="text/html")
