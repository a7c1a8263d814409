"""A phrase across documents: which documents, versions and clauses hold it (or, fuzzy, come
nearest), on the lineage queries trace and history make (``drafttrack.trace.LineageView``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from drafttrack.model import VersionText
from drafttrack.trace import LineageView, find_clauses, has_phrase, near, needle_of

if TYPE_CHECKING:
    from drafttrack.lineage import Cache

SEARCH_FUZZY = 0.6
"""Least score for a fuzzy cross-document search hit (paraphrased quotes score lower)."""


def search(
    documents: dict[str, Sequence[VersionText]],
    phrase: str,
    fuzzy: bool = False,
    cache: Cache | None = None,
) -> dict[str, Any]:
    """``phrase`` across documents ({slug: versions in draft order})."""
    from drafttrack.lineage import build_lineages

    views = [build_lineages(doc, versions, cache) for doc, versions in documents.items()]
    return search_lineages(views, phrase, fuzzy)


def search_lineages(
    views: Iterable[LineageView], phrase: str, fuzzy: bool = False, top: int = 20
) -> dict[str, Any]:
    """Which documents, versions and clauses hold ``phrase`` (or, fuzzy, come nearest)."""
    needle = needle_of(phrase)
    matches: list[dict[str, Any]] = []
    for lin in views:
        if fuzzy:
            scored = _fuzzy_scores(lin, needle)
        else:
            scored = find_clauses(lin, phrase)
        by_clause: dict[tuple[int, str], list[int]] = defaultdict(list)
        for r in lin.runs_with(set(scored)):
            by_clause[(r.clause, r.key)].extend(range(r.start, r.end + 1))
        for (cid, key), indexes in by_clause.items():
            c = lin.clause(cid)
            matches.append(
                {
                    "document": lin.document,
                    "key": key,
                    "number": c.number,
                    "path": list(c.path),
                    "text": c.text,
                    "versions": [lin.versions[k]["label"] for k in sorted(set(indexes))],
                    "score": scored[cid],
                    "_first": min(indexes),
                }
            )
    matches.sort(key=lambda m: (-m["score"], m["document"], m["_first"], m["key"]))
    if fuzzy:
        matches = matches[:top]
    for m in matches:
        del m["_first"]
    return {"query": phrase, "fuzzy": fuzzy, "matches": matches}


def _fuzzy_scores(lin: LineageView, needle: str) -> dict[int, float]:
    """Score every clause against a (possibly paraphrased) quote; keep the plausible ones."""
    from rapidfuzz import fuzz

    out: dict[int, float] = {}
    for cid, form in lin.all_forms():
        if has_phrase(form, needle):
            out[cid] = 1.0
            continue
        score = near(needle, form)
        if len(form.split()) >= len(needle.split()):  # a shorter clause is a subset of anything
            score = max(score, fuzz.token_set_ratio(needle, form) * 0.95)
        if score >= SEARCH_FUZZY * 100:
            out[cid] = round(score / 100, 3)
    return out
