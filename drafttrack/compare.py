"""Compare two versions: segment, align, word-diff the changed clauses, mark editorial changes.

Word diffs run only inside aligned clauses, never over whole documents, so the work stays
proportional to what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from drafttrack.align import align
from drafttrack.collector import collector_paused
from drafttrack.editorial import editorial_kinds, is_editorial
from drafttrack.model import Change, Clause
from drafttrack.segment import segment
from drafttrack.worddiff import word_diff

SUMMARY_KEYS = (
    "unchanged", "modified", "added", "removed", "split", "merged", "moved", "renumbered",
    "editorial",
)  # fmt: skip


@dataclass(slots=True)
class Comparison:
    """The changes between two versions, in reading order of the new one."""

    changes: list[Change] = field(default_factory=list)
    languages: tuple[str | None, str | None] | None = None
    """Set for a cross-language comparison: the languages of the old and the new version."""

    def summary(self) -> dict[str, int]:
        """Counts per kind, plus how many changes are moved, renumbered or editorial."""
        counts = dict.fromkeys(SUMMARY_KEYS, 0)
        for c in self.changes:
            counts[c.kind] += 1
            counts["moved"] += c.moved
            counts["renumbered"] += c.renumbered
            counts["editorial"] += c.editorial
        return counts

    def substantive(self) -> list[Change]:
        """Changes that are neither unchanged nor merely editorial."""
        return [c for c in self.changes if is_substantive(c)]


def is_substantive(change: Change) -> bool:
    """True for a change a reader must see: not unchanged in place, not editorial."""
    if change.editorial:
        return False
    return change.kind != "unchanged" or change.moved or change.renumbered


def compare(old_text: str, new_text: str) -> Comparison:
    """Compare two texts (Markdown or plain)."""
    return compare_clauses(segment(old_text), segment(new_text))


def compare_clauses(
    old: Sequence[Clause], new: Sequence[Clause], *, front_matter_as_text: bool = False
) -> Comparison:
    """Compare two segmented versions; see ``align`` for keys and ordering. Front matter
    changes are editorial (``metadata``) unless ``front_matter_as_text``.

    The cyclic garbage collector is paused meanwhile: tens of thousands of small objects
    are created and none is garbage, so its passes only cost time (a third of it at scale).
    """
    with collector_paused():
        changes = align(old, new)
        for change in changes:
            if change.kind in ("modified", "split", "merged"):
                before = " ".join(c.text for c in change.old)
                after = " ".join(c.text for c in change.new)
                change.words = word_diff(before, after)
            change.editorial = is_editorial(change, front_matter_as_text=front_matter_as_text)
            change.editorial_kinds = editorial_kinds(change)
    return Comparison(changes)


def comparison_json(
    document: str, old_version: dict[str, Any], new_version: dict[str, Any], comparison: Comparison
) -> dict[str, Any]:
    """The ``diff --json`` contract object (with ``mode`` and ``languages`` when it compares
    two languages; a same-language comparison keeps the first-wave shape)."""
    data: dict[str, Any] = {"document": document}
    if comparison.languages is not None:
        data["mode"] = "cross-language"
        data["languages"] = list(comparison.languages)
    data.update({
        "old": old_version,
        "new": new_version,
        "summary": comparison.summary(),
        "changes": [c.to_json() for c in comparison.changes],
    })  # fmt: skip
    return data
