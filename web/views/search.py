"""Search the whole store: which documents and clauses hold a phrase, in which versions."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from drafttrack.service.limits import check_phrase
from drafttrack.service.search import search_store
from web.store import cached_page, get_store

bp = Blueprint("search", __name__)

PER_PAGE = 50


@bp.get("/search")
@cached_page
def search() -> str:
    """The search form; with ``q`` the matches (``doc``, ``since``, ``until`` narrow them)."""
    store = get_store()
    phrase = " ".join(check_phrase(request.args.get("q", "")).split())
    doc = request.args.get("doc") or None
    since = request.args.get("since") or None
    until = request.args.get("until") or None
    result = search_store(store, phrase, doc=doc, since=since, until=until) if phrase else None
    page_no = request.args.get("page", "1")
    page = int(page_no) if page_no.isdigit() and int(page_no) > 0 else 1
    matches = result["matches"] if result else []
    pages = max(1, -(-len(matches) // PER_PAGE))
    page = min(page, pages)
    return render_template(
        "search/search.html", phrase=phrase, doc=doc, since=since, until=until, result=result,
        matches=matches[(page - 1) * PER_PAGE : page * PER_PAGE], page=page, pages=pages,
    )  # fmt: skip
