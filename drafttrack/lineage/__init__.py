"""Clause lineages: the alignments of consecutive versions (draft order) chained into lives.

A lineage is one clause followed through every version: reworded, renumbered, moved, split or
merged, it stays the same lineage. Its key is made from the version id and the clause position
where it first appears (``"3f2a9c01de.12"``), so keys never depend on versions that come later.

Rules:
- A clause removed in a complete (``full``) version and later back (same or similar text) is the
  same lineage again, ``reappeared``.
- A ``partial`` or ``excerpt`` version does not prove absence: clauses of the previous versions
  missing from it are carried over it, and the next version is aligned against the last version
  that had each of them (the "reference": the partial version's clauses plus the carried ones, in
  reading order).
- Pairwise alignments are cached by the hashes of the two clause lists, so inserting a version out
  of order re-aligns only its two neighbours (more only when the inserted version is partial).
- A version is segmented and aligned around the runs of clauses it shares with the one before
  (``segment.relayout``), and only what changed is recorded: a build costs about the sum of the
  changes, not versions × clauses. From ``PARALLEL_FROM`` versions, a forked process segments
  while this one aligns.

The result is compact: the distinct clauses and, per lineage, runs of consecutive versions in which
it had the same clause.

One job per module: ``model`` (the result and what a build needs), ``pairs`` (hashes,
segmentations, pairwise links), ``shapes`` (each version's clauses for a build), ``graveyard``
(removed clauses that may come back), ``builder`` (the build).
"""

import importlib
from typing import TYPE_CHECKING, Any

from drafttrack.lineage.model import PARTIAL, Cache, Lineages, Run, VersionLike
from drafttrack.model import Group

if TYPE_CHECKING:
    from drafttrack.lineage.builder import PARALLEL_FROM, build_lineages
    from drafttrack.lineage.graveyard import REAPPEAR, Graveyard
    from drafttrack.lineage.pairs import (
        clauses_sha,
        pair_links,
        segments_of,
        text_sha,
        version_links,
        word_form,
    )
    from drafttrack.lineage.shapes import Shape

_LAZY = {
    "PARALLEL_FROM": "builder",
    "build_lineages": "builder",
    "REAPPEAR": "graveyard",
    "Graveyard": "graveyard",
    "clauses_sha": "pairs",
    "pair_links": "pairs",
    "segments_of": "pairs",
    "text_sha": "pairs",
    "version_links": "pairs",
    "word_form": "pairs",  # defined in drafttrack.normalize
    "Shape": "shapes",
}
"""Names imported on first use: the builder loads segmentation and alignment, which a trace
answered from the stored index (``Run`` alone) does not need."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'drafttrack.lineage' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"drafttrack.lineage.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PARALLEL_FROM",
    "PARTIAL",
    "REAPPEAR",
    "Cache",
    "Graveyard",
    "Lineages",
    "Group",
    "Run",
    "Shape",
    "VersionLike",
    "build_lineages",
    "clauses_sha",
    "pair_links",
    "segments_of",
    "text_sha",
    "version_links",
    "word_form",
]
