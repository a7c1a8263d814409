"""Reports as evidence in the viewer: a document's reports with the wording they report that no
stored version holds, one report's article with its linked sentences, and the same data as JSON
(``/api/d/<doc>/reports``, ``/api/d/<doc>/reports/<id>``: the ``report … --json`` objects)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template

from drafttrack.service.evidence_view import report_json, reports_json
from repo_store.reports import list_reports
from web.store import data_cache, get_store

bp = Blueprint("evidence", __name__)


@bp.get("/d/<doc>/reports")
def reports(doc: str) -> str:
    """Every report on the document, its relay chain, and the unmatched claims."""
    store = get_store()
    document = store.document(doc)
    data = reports_json(store, doc, data_cache())
    return render_template("evidence/reports.html", document=document, data=data)


@bp.get("/d/<doc>/reports/<rid>")
def report(doc: str, rid: str) -> str:
    """One report: the article, each linked sentence beside the clause it vouches for."""
    store = get_store()
    document = store.document(doc)
    data = report_json(store, doc, rid, data_cache())
    versions = {v.label: v for v in store.versions(doc)}
    return render_template("evidence/report.html", document=document, data=data,
                           versions=versions, pieces=article_pieces(data))  # fmt: skip


def article_pieces(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The article as runs of text: sentences (with their links) and the text between them."""
    text = data.get("text") or ""
    out: list[dict[str, Any]] = []
    at = 0
    for s in data["sentences"]:
        if s["start"] > at:
            out.append({"gap": text[at : s["start"]]})
        out.append({"sentence": s})
        at = s["end"]
    if at < len(text):
        out.append({"gap": text[at:]})
    return out


@bp.get("/api/d/<doc>/reports")
def api_reports(doc: str) -> Response:
    """``report list DOC --json``."""
    return jsonify(reports_json(get_store(), doc, data_cache()))


@bp.get("/api/d/<doc>/reports/<rid>")
def api_report(doc: str, rid: str) -> Response:
    """``report show DOC REPORT --json``."""
    return jsonify(report_json(get_store(), doc, rid, data_cache()))


def has_reports(doc: str) -> bool:
    """Whether the document has any report (cheap: no linking)."""
    return bool(list_reports(get_store(), doc))
