"""A clause in translation: what each translation of a document makes of one clause lineage.

A translation (a version recorded in another language than its document's) is no step of the
document's lineages; it renders the version it was made from. That source is taken to be the
version in the document's own language placed last before it in draft order (the demo's
"Summit text (uk)" follows "Summit text"). The two are compared by meaning through the one
compare path (``compare_versions``, cross-language mode), and the pair holding the lineage's
clause in the source tells what the translation has for it: its counterpart clauses, with the
similarity and the divergences (numbers, negations, names) found, or nothing (left out).
"""

from __future__ import annotations

from typing import Any

from drafttrack.service.compare import compare_versions, comparison_report
from drafttrack.service.memo import NO_MEMO, Memo
from drafttrack.service.stored import is_translation
from repo_store import Store, Version


def translation_sources(store: Store, doc: str) -> list[tuple[Version, Version | None]]:
    """Each translation of DOC with the version it renders (None when no version in DOC's own
    language comes before it), in draft order."""
    language = store.document(doc).language
    out: list[tuple[Version, Version | None]] = []
    source: Version | None = None
    for version in store.versions(doc):
        if is_translation(version.provenance.get("language"), language):
            out.append((version, source))
        else:
            source = version
    return out


def clause_in_translations(
    store: Store, doc: str, key: str, memo: Memo = NO_MEMO
) -> list[dict[str, Any]]:
    """What each translation of DOC has for lineage ``key`` (see the module docstring).

    One entry per translation: ``version`` and ``source`` (the versions' JSON), ``language``,
    ``state`` — ``translated`` (``clauses``, ``similarity``, ``divergences``), ``left out`` (the
    source has the clause, the translation nothing for it), ``not in source`` (the source lacks
    the clause) or ``no source`` (no version to compare with)."""
    out = []
    for version, source in translation_sources(store, doc):
        entry: dict[str, Any] = {
            "version": version.to_json(),
            "source": source.to_json() if source else None,
            "language": version.provenance.get("language"),
            "state": "no source",
            "clauses": [],
            "similarity": None,
            "divergences": [],
        }
        if source is not None:
            entry.update(_counterpart(store, doc, source, version, key, memo))
        out.append(entry)
    return out


def _counterpart(
    store: Store, doc: str, source: Version, version: Version, key: str, memo: Memo
) -> dict[str, Any]:
    comparison = compare_versions(store, source, version, memo=memo, mode="cross")
    report = comparison_report(doc, source, version, comparison)
    for change in report["changes"]:
        if not any(c["key"] == key for c in change["old"]):
            continue
        if not change["new"]:
            return {"state": "left out"}
        return {
            "state": "translated",
            "clauses": change["new"],
            "similarity": change.get("similarity"),
            "divergences": change.get("divergences") or [],
        }
    return {"state": "not in source"}


LINEAGES_SHOWN = 12
"""Clause lineages of a trace whose translations are looked up (a common phrase can hit many)."""


def traced_in_translations(
    store: Store, doc: str, trace: dict[str, Any], memo: Memo = NO_MEMO
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """For the clause lineages a ``trace --json`` object found (the first
    :data:`LINEAGES_SHOWN`): (lineage key, a short name of the clause, what each translation
    has for it); empty when DOC has no translation."""
    if not translation_sources(store, doc):
        return []
    return [
        (key, clause_name(clause), clause_in_translations(store, doc, key, memo))
        for key, clause in list(traced_clauses(trace).items())[:LINEAGES_SHOWN]
    ]


def traced_reports(
    store: Store, doc: str, trace: dict[str, Any], memo: Memo = NO_MEMO
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """For the clause lineages a ``trace --json`` object found: (lineage key, a short name of the
    clause, the report sentences vouching for it), lineages no report vouches for left out."""
    from drafttrack.service.evidence_view import vouching

    held = vouching(store, doc, memo)
    if not held:
        return []
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
