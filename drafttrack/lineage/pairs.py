"""Hashes, segmentations and the pairwise alignment of consecutive versions, as lineages keep
them (links: index groups)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from drafttrack.align import align_groups
from drafttrack.lineage.model import Cache, VersionLike
from drafttrack.model import Clause, Group
from drafttrack.normalize import word_form as word_form  # re-exported (lineage.word_form)
from drafttrack.segment import Block, BlockMemo, segment


def text_sha(version: VersionLike) -> str:
    """sha256 of a version's text (taken from ``text_sha`` when the version carries it)."""
    known = getattr(version, "text_sha", None)
    return known or hashlib.sha256(version.text.encode("utf-8")).hexdigest()


def clauses_sha(clauses: Sequence[Clause]) -> str:
    """Hash of what alignment looks at: kind, numbering and text of each clause."""
    h = hashlib.sha256()
    for c in clauses:
        h.update(c.kind.encode())
        h.update(b"\x1f")
        h.update("\x1d".join(c.numbering).encode("utf-8"))
        h.update(b"\x1f")
        h.update(c.text.encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def segments_of(
    version: VersionLike, cache: Cache | None, memo: BlockMemo | None = None
) -> list[Clause]:
    """The version's clauses, from the cache when there (``memo``: chunks parsed before)."""
    sha = text_sha(version)
    if cache is not None:
        hit = cache.get_segments(sha)
        if hit is not None:
            return hit
    clauses = segment(version.text, memo)
    if cache is not None:
        cache.put_segments(sha, clauses)
    return clauses


def pair_links(old: Sequence[Clause], new: Sequence[Clause]) -> list[Group]:
    """Align two clause lists as index groups; identical ends are paired without aligning."""
    lo = 0
    while lo < len(old) and lo < len(new) and _same(old[lo], new[lo]):
        lo += 1
    hi = 0
    while hi < len(old) - lo and hi < len(new) - lo and _same(old[-1 - hi], new[-1 - hi]):
        hi += 1
    links: list[Group] = [("unchanged", (i,), (i,), False, 1.0) for i in range(lo)]
    mid_old, mid_new = old[lo : len(old) - hi], new[lo : len(new) - hi]
    if mid_old or mid_new:
        for kind, olds, news, moved, similarity in align_groups(mid_old, mid_new):
            shifted_old = tuple(lo + i for i in olds)
            shifted_new = tuple(lo + j for j in news)
            links.append((kind, shifted_old, shifted_new, moved, round(similarity, 4)))
    offset_old, offset_new = len(old) - hi, len(new) - hi
    links += [("unchanged", (offset_old + k,), (offset_new + k,), False, 1.0) for k in range(hi)]
    return links


def version_links(
    old: Sequence[Clause], new: Sequence[Clause], blocks: list[Block] | None
) -> list[Group]:
    """The links of a version to the one before: around the blocks they share, if any."""
    if not blocks:
        return pair_links(old, new)
    return [
        (kind, olds, news, moved, round(similarity, 4))
        for kind, olds, news, moved, similarity in align_groups(old, new, blocks)
    ]


def _same(a: Clause, b: Clause) -> bool:
    return a.text == b.text and a.kind == b.kind and a.numbering == b.numbering
