"""Annotations placed on the clauses of a version, following each clause's lineage.

An annotation is written against one version and pinned to a clause's lineage key; it appears on
every version's clause of that lineage (renumbered, moved or reworded), marked with the version
it was written against.
"""

from __future__ import annotations

from typing import Any

from drafttrack.model import Clause
from drafttrack.service.lineages import keyed_clauses
from repo_store import Store, Version
from repo_store.annotations import list_annotations
from web.store import data_cache

ClauseSpot = tuple[tuple[int, int], str]
"""A clause's place in one version's text: (source lines, text)."""


def spot(clause: Clause) -> ClauseSpot:
    """The key templates use to look up a clause's notes (keys differ between views)."""
    return (clause.lines, clause.text)


def notes_for(store: Store, version: Version) -> dict[ClauseSpot, list[dict[str, Any]]]:
    """The document's annotations that live in ``version``, by clause spot."""
    placed: dict[ClauseSpot, list[dict[str, Any]]] = {}
    records = list_annotations(store, version.document)
    if not records:
        return placed
    by_key: dict[str, list[Clause]] = {}
    for clause in keyed_clauses(store, version, data_cache()):
        by_key.setdefault(clause.key, []).append(clause)
    for record in records:
        for clause in by_key.get(record["clause"]["key"], []):
            entry = dict(record, here=record.get("version") == version.id)
            placed.setdefault(spot(clause), []).append(entry)
    return placed
