"""Annotations placed on the clauses of a version, following each clause's lineage.

An annotation is written against one version and pinned to a clause key. In another version the
note appears on the clauses that the alignment (cached comparison of the two versions) says
continue that clause, renumbered, moved or reworded; it is marked with its own version.
"""

from __future__ import annotations

from typing import Any

from drafttrack.model import Clause
from drafttrack.render_rows import follow_clause
from drafttrack.segment import segment
from repo_store import Store, UnknownVersion, Version
from repo_store.annotations import annotations
from web.store import comparison, data_cache

ClauseSpot = tuple[tuple[int, int], str]
"""A clause's place in one version's text: (source lines, text)."""


def spot(clause: Clause) -> ClauseSpot:
    """The key templates use to look up a clause's notes."""
    return (clause.lines, clause.text)


def clauses_of(store: Store, version: Version) -> list[Clause]:
    """A version's clauses (segmentation cached per version id)."""
    return data_cache().memo(
        ("segment", version.document, version.id),
        lambda: segment(store.read_text(version.document, version.id)),
    )


def notes_for(store: Store, version: Version) -> dict[ClauseSpot, list[dict[str, Any]]]:
    """The document's annotations that live in ``version``, by clause spot."""
    placed: dict[ClauseSpot, list[dict[str, Any]]] = {}
    records = annotations(store, version.document)
    if not records:
        return placed
    own = clauses_of(store, version)
    by_key = {c.key: c for c in own}
    for record in records:
        key = record["clause"]["key"]
        if record.get("version") == version.id:
            targets = [by_key[key]] if key in by_key else []
        else:
            try:
                origin = store.resolve(version.document, str(record.get("version")))
            except UnknownVersion:
                continue
            targets = follow_clause(comparison(store, origin, version).changes, key)
        for clause in targets:
            entry = dict(record, here=record.get("version") == version.id)
            placed.setdefault(spot(clause), []).append(entry)
    return placed
