"""What the trace page shows beside a trace: for the clause lineages it found, the report
sentences vouching for them and what each translation has for them."""

from __future__ import annotations

from typing import Any

from drafttrack.service.evidence_view import vouching
from drafttrack.service.memo import NO_MEMO, Memo
from drafttrack.service.translated import clauses_in_translations, translation_sources
from repo_store import Store

LINEAGES_SHOWN = 12
"""Clause lineages of a trace whose translations are looked up (a common phrase can hit many)."""

Beside = list[tuple[str, str, list[dict[str, Any]]]]
"""(lineage key, a short name of the clause, entries about it), in the trace's order."""


def traced_in_translations(
    store: Store, doc: str, trace: dict[str, Any], memo: Memo = NO_MEMO
) -> Beside:
    """What each translation has for the first :data:`LINEAGES_SHOWN` lineages a ``trace --json``
    object found; empty when DOC has no translation."""
    if not translation_sources(store, doc):
        return []
    traced = list(traced_clauses(trace).items())[:LINEAGES_SHOWN]
    found = clauses_in_translations(store, doc, [key for key, _ in traced], memo)
    return [(key, clause_name(clause), found[key]) for key, clause in traced]


def traced_reports(store: Store, doc: str, trace: dict[str, Any], memo: Memo = NO_MEMO) -> Beside:
    """The report sentences vouching for the lineages a ``trace --json`` object found; lineages
    no report vouches for left out."""
    held = vouching(store, doc, memo)
    return [
        (key, clause_name(c), held[key]) for key, c in traced_clauses(trace).items() if key in held
    ]


def traced_clauses(trace: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The latest clause of each lineage a ``trace --json`` object found, in order of first hit."""
    latest: dict[str, dict[str, Any]] = {}
    for step in trace.get("timeline") or ():
        for clause in step["clauses"]:
            latest[clause["key"]] = clause
    return latest


def clause_name(clause: dict[str, Any]) -> str:
    """ "Article 3 — Role of the United States › 1", or the clause's first words."""
    path = clause.get("path") or []
    if clause.get("number") and path:
        return f"{path[-1]} › {clause['number']}"
    words = str(clause.get("text") or "").split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")
