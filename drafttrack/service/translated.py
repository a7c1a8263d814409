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

from collections.abc import Sequence
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


def clauses_in_translations(
    store: Store, doc: str, keys: Sequence[str], memo: Memo = NO_MEMO
) -> dict[str, list[dict[str, Any]]]:
    """What each translation of DOC has for each lineage of ``keys`` (see the module docstring);
    each translation is compared with its source once, whatever the number of keys.

    Per key, one entry per translation: ``version`` and ``source`` (the versions' JSON),
    ``language``, ``state`` — ``translated`` (``clauses``, ``similarity``, ``divergences``),
    ``left out`` (the source has the clause, the translation nothing for it), ``not in source``
    (the source lacks the clause) or ``no source`` (no version to compare with)."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    for version, source in translation_sources(store, doc):
        by_key = _changes_by_old_key(store, doc, source, version, memo) if source else {}
        for key in keys:
            entry: dict[str, Any] = {
                "version": version.to_json(),
                "source": source.to_json() if source else None,
                "language": version.provenance.get("language"),
                "state": "no source" if source is None else "not in source",
                "clauses": [],
                "similarity": None,
                "divergences": [],
            }
            change = by_key.get(key)
            if change is not None and not change["new"]:
                entry["state"] = "left out"
            elif change is not None:
                entry.update(
                    state="translated",
                    clauses=change["new"],
                    similarity=change.get("similarity"),
                    divergences=change.get("divergences") or [],
                )
            out[key].append(entry)
    return out


def _changes_by_old_key(
    store: Store, doc: str, source: Version, version: Version, memo: Memo
) -> dict[str, dict[str, Any]]:
    """The changes of the source → translation comparison, by the lineage key of each source
    clause they hold."""
    comparison = compare_versions(store, source, version, memo=memo, mode="cross")
    report = comparison_report(doc, source, version, comparison)
    return {c["key"]: change for change in report["changes"] for c in change["old"]}
