"""Merges and splits confirmed with the joined text's own vector.

The programme (:mod:`align`) scores a 2-1 candidate with an approximation (the weighted sum of
the two vectors), which is cheap for every cell but close to a tie. Where a 1-1 link has an
unpaired clause right next to it on one side, this pass embeds the two texts joined and asks
the question directly: does the joined text match the other side better than the single one
(cosine gain ≥ :data:`GAIN`)? If so the link becomes 2-1 (merged) or 1-2 (split).
Only those few candidates are embedded, in one batch (cached like every clause vector).

A long clause joined with a short one embeds nearly as the long one alone, so the gain misses
such merges (measured on held-out seeds: a 221-character clause and a 90-character one, joined
cosine 0.907 against 0.904 alone). A second question catches them: is the unpaired clause
*contained* in the other side's clause — do the sentences at that end of it (the end next to the
unpaired clause) match the unpaired clause better than any whole clause of that side does, and
stand out of their neighbourhood by :data:`CONTAINED_MARGIN`?
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drafttrack.crosslang.align import Link
from drafttrack.crosslang.scoring import K, Scores, knn_mean
from drafttrack.crosslang.vectors import Vectors

GAIN = 0.008
"""Cosine the joined text must gain over the single clause's link. (Not the margin: a longer
joined text has a denser neighbourhood, which lowers its margin even when it is right.)"""
CONTAINED_MARGIN = 0.03
"""Margin the sentences at one end of a clause must reach against an unpaired neighbour for the
two to count as merged (right 1-1 pairs in the development seeds: margins 0.04–0.08)."""
_SENTENCE_END = re.compile(r"(?<=[.!?;:…»“”\"])\s+(?=\S)")

Candidate = tuple[int, int, str, int]
"""(index of the link, index of the unpaired step, side "old"/"new", position of the neighbour
in reading order: -1 before, +1 after)."""


def confirm_merges(
    links: list[Link],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    scores: Scores,
    vectors: Vectors,
    gain: float | None = None,
) -> list[Link]:
    """``links`` with each confirmed merge or split applied (see the module docstring)."""
    gain = GAIN if gain is None else gain
    candidates = _candidates(links)
    if not candidates:
        return links
    joined, ends = [], []
    for k, u, side, step in candidates:
        link, lone = links[k], links[u]
        texts = old_texts if side == "old" else new_texts
        mine = link.old[0] if side == "old" else link.new[0]
        other = lone.old[0] if side == "old" else lone.new[0]
        a, b = sorted((mine, other))
        joined.append(f"{texts[a]} {texts[b]}")
        partner = new_texts[link.new[0]] if side == "old" else old_texts[link.old[0]]
        ends.append(end_sentences(partner, step))
    matrix = vectors(joined)
    contained = _contained(candidates, links, ends, scores, vectors)
    taken: set[int] = set()
    replace: dict[int, Link] = {}
    for row, (k, u, side, _) in enumerate(candidates):
        if k in taken or u in taken:
            continue
        link, lone = links[k], links[u]
        if side == "old":
            against, r_other, j = scores.new, scores.r_new, link.new[0]
        else:
            against, r_other, j = scores.old, scores.r_old, link.old[0]
        cos = matrix[row] @ against.T
        single = float(scores.old[link.old[0]] @ scores.new[link.new[0]])
        if float(cos[j]) < single + gain and not contained[row]:
            continue
        r = float(knn_mean(cos[None, :], min(K, len(against)))[0])
        margin = max(float(cos[j]) - (r + float(r_other[j])) / 2, link.margin)
        if side == "old":
            merged = Link(tuple(sorted((link.old[0], lone.old[0]))), link.new, margin)
        else:
            merged = Link(link.old, tuple(sorted((link.new[0], lone.new[0]))), margin)
        taken.update((k, u))
        replace[k] = merged
    return [replace.get(k, s) for k, s in enumerate(links) if k not in taken or k in replace]


def _candidates(links: list[Link]) -> list[Candidate]:
    """1-1 links with an unpaired clause (not a moved one) right before or after them."""
    out: list[Candidate] = []
    for k, link in enumerate(links):
        if len(link.old) != 1 or len(link.new) != 1 or link.moved:
            continue
        for step in (-1, 1):
            u = k + step
            while 0 <= u < len(links) and _lone(links[u]):
                lone = links[u]
                side = "old" if lone.old else "new"
                near = (lone.old[0] - link.old[0]) if side == "old" else (lone.new[0] - link.new[0])
                if near == step:
                    out.append((k, u, side, step))
                u += step
    return out


def _lone(link: Link) -> bool:
    return not link.old or not link.new


def end_sentences(text: str, step: int) -> list[str]:
    """The runs of whole sentences at one end of ``text`` short of all of it: its last one, two, …
    sentences (``step`` +1: the unpaired clause comes after) or its first ones (-1)."""
    parts = _SENTENCE_END.split(text.strip())
    if len(parts) < 2:
        return []
    if step > 0:
        return [" ".join(parts[n:]) for n in range(len(parts) - 1, 0, -1)]
    return [" ".join(parts[:n]) for n in range(1, len(parts))]


def _contained(
    candidates: list[Candidate],
    links: list[Link],
    ends: list[list[str]],
    scores: Scores,
    vectors: Vectors,
) -> list[bool]:
    """Per candidate: whether the unpaired clause is contained in the linked clause next to it
    (see the module docstring), the end runs of all candidates embedded in one batch."""
    flat = [t for runs in ends for t in runs]
    if not flat:
        return [False] * len(candidates)
    matrix = vectors(flat)
    out, start = [], 0
    for (_k, u, side, _), runs in zip(candidates, ends, strict=True):
        block, start = matrix[start : start + len(runs)], start + len(runs)
        if not runs:
            out.append(False)
            continue
        lone = links[u].old[0] if side == "old" else links[u].new[0]
        if side == "old":
            mine, r_mine, others, their_side = (
                scores.old[lone],
                scores.r_old[lone],
                scores.new,
                scores.old,
            )
        else:
            mine, r_mine, others, their_side = (
                scores.new[lone],
                scores.r_new[lone],
                scores.old,
                scores.new,
            )
        cos = block @ mine
        best = int(cos.argmax())
        around = float(knn_mean((block[best] @ their_side.T)[None, :], min(K, len(their_side)))[0])
        margin = float(cos[best]) - (float(r_mine) + around) / 2
        out.append(float(cos[best]) > float((others @ mine).max()) and margin >= CONTAINED_MARGIN)
    return out
