"""What a quote is matched against: each distinct clause text of a document, with its versions.

Equal clause texts (in match form) in several versions are one entry listing all of them, in
draft order. Keys are lineage keys: the versions are aligned in draft order, so a clause keeps
the key of the clause it continues (``drafttrack.lineage``: the keys of the history and trace
pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafttrack.index_cache import IndexCache, lineage_keys
from drafttrack.lineage import VersionLike, segments_of
from drafttrack.normalize import match_form

SKIP_KINDS = frozenset({"heading", "front_matter"})
"""Clause kinds no quote is attributed to: headings and metadata are not wording."""


@dataclass(slots=True)
class Entry:
    """One distinct clause text of one document."""

    document: str
    key: str
    """Lineage key of the clause in the first version holding this text."""
    number: str | None
    path: list[str]
    text: str
    versions: list[str] = field(default_factory=list)
    """Labels of the versions holding this text, in draft order."""

    def to_json(self) -> dict[str, Any]:
        """Plain data (for the derived cache)."""
        return {
            "document": self.document, "key": self.key, "number": self.number,
            "path": self.path, "text": self.text, "versions": self.versions,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        """The inverse of :meth:`to_json`."""
        return cls(**data)


def build_entries(
    document: str,
    versions: Sequence[VersionLike],
    folder: Path | None = None,
    head: str | None = None,
) -> list[Entry]:
    """The distinct clause texts of ``document`` across ``versions`` (given in draft order).

    ``folder`` is the derived cache (``store.cache_dir``): segmentations and lineages come from
    the index there (``index_cache``) when current. ``head`` is the store state they belong to.
    """
    keys = lineage_keys(folder, document, head, lambda: versions)
    cache = IndexCache(folder) if folder is not None else None
    try:
        segmented = [segments_of(v, cache) for v in versions]
    finally:
        if cache is not None:
            cache.close()
    by_form: dict[str, Entry] = {}
    for version, clauses in zip(versions, segmented, strict=True):
        label = str(version.meta["label"])
        version_keys = keys.get(str(version.meta["id"])) or []
        for i, clause in enumerate(clauses):
            if clause.kind in SKIP_KINDS or not clause.text.strip():
                continue
            form = match_form(clause.text)
            entry = by_form.get(form)
            if entry is None:
                key = version_keys[i] if i < len(version_keys) else clause.key
                entry = Entry(document, key, clause.number, list(clause.path), clause.text)
                by_form[form] = entry
            if label not in entry.versions:
                entry.versions.append(label)
    return list(by_form.values())
