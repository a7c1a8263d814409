"""Clause alignment across languages: a monotonic dynamic programme on margins, then moves.

1. The programme finds the best order-keeping path through the margin matrix
   (:mod:`scoring`) with five kinds of step: 1-0 (a clause only the old text has), 0-1 (only
   the new one), 1-1, 2-1 (two old clauses rendered as one) and 1-2 (one rendered as two). A
   1-1 link earns ``margin − threshold`` (so a link below the threshold loses to leaving both
   clauses unpaired), a 2-1 or 1-2 link the same on the merged margin, less a penalty: a merge
   wins only where the two clauses together match clearly better than either alone.
2. Two clauses that are each other's best match get a bonus (short clauses such as headings
   have small margins even when right). Clause numbers anchor it where both texts are
   numbered: a pair with the same number path (``Article 2`` ``3`` ≡ ``Стаття 2`` ``3``)
   gets a bonus, so numbering outweighs a near tie.
3. Leftovers: a clause left unpaired on each side whose best match in the *whole* matrix is
   the other (both ways), above the move threshold, is a moved clause — the programme could not
   keep it because it crossed other links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafttrack.crosslang.scoring import Scores

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True, slots=True)
class Params:
    """Tuning of the alignment (values from the development seeds of the benchmark)."""

    threshold: float = 0.0
    """Margin a 1-1 link must exceed to beat leaving both clauses unpaired."""
    merge_penalty: float = 0.01
    """Cost of a 2-1 or 1-2 link, against a 1-1 link and a clause left out."""
    move_threshold: float = 0.02
    """Margin a leftover pair must exceed to be reported as moved."""
    anchor_bonus: float = 0.05
    """Added to the margin of a pair with the same clause number path."""
    mutual_bonus: float = 0.03
    """Added to the margin of two clauses that are each other's best match."""
    merge_floor: float = -0.02
    """Margin each part of a 2-1 or 1-2 link must reach on its own."""
    heading_floor: float = 0.7
    """Cosine above which two headings left alone between the same two links are paired."""


@dataclass(frozen=True, slots=True)
class Link:
    """One step of the alignment: old and new clause indexes (one side empty when unpaired)."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    margin: float = 0.0
    moved: bool = False


def anchor_keys(numberings: Sequence[Sequence[str]]) -> list[tuple[str, ...] | None]:
    """The digit path of each clause's numbering (``("Article 2", "1")`` → ``("2", "1")``),
    None for an unnumbered clause."""
    keys: list[tuple[str, ...] | None] = []
    for numbering in numberings:
        digits = tuple(d for part in numbering for d in re.findall(r"\d+", part))
        keys.append(digits or None)
    return keys


def align_scores(
    scores: Scores,
    old_keys: Sequence[tuple[str, ...] | None] = (),
    new_keys: Sequence[tuple[str, ...] | None] = (),
    params: Params = Params(),  # noqa: B008 - frozen
) -> list[Link]:
    """The alignment path (reading order), with moved pairs at their new place."""
    margin = _anchored(scores.margin, old_keys, new_keys, params.anchor_bonus)
    mutual = _mutual(margin)
    path = _programme(margin + params.mutual_bonus * mutual, mutual, scores, params)
    path = _fill_heading_gaps(path, scores, params)
    return _with_moves(path, margin, scores.margin, params)


def _anchored(margin: np.ndarray, old_keys: Sequence[tuple[str, ...] | None],
              new_keys: Sequence[tuple[str, ...] | None], bonus: float) -> np.ndarray:  # fmt: skip
    if not any(old_keys) or not any(new_keys):
        return margin
    out = margin.copy()
    where: dict[tuple[str, ...], list[int]] = {}
    for j, key in enumerate(new_keys):
        if key is not None:
            where.setdefault(key, []).append(j)
    for i, key in enumerate(old_keys):
        for j in where.get(key, []) if key is not None else []:
            out[i, j] += bonus
    return out


def _mutual(margin: np.ndarray) -> np.ndarray:
    """1.0 where the two clauses are each other's best match, else 0.0."""
    import numpy as np

    out = np.zeros(margin.shape, dtype=np.float32)
    if margin.size == 0:
        return out
    rows = margin.argmax(axis=1)
    cols = margin.argmax(axis=0)
    i = np.arange(len(rows))
    mutual = cols[rows] == i
    out[i[mutual], rows[mutual]] = 1.0
    return out


def _fill_heading_gaps(path: list[Link], scores: Scores, params: Params) -> list[Link]:
    """Headings left unpaired between the same two links, as many on each side, are the same
    headings rendered (paired in order, above a cosine floor): short headings have too little
    text for a clear margin."""
    out: list[Link] = []
    k = 0
    while k < len(path):
        gap = []
        while k < len(path) and (not path[k].old or not path[k].new):
            gap.append(path[k])
            k += 1
        olds = [s.old[0] for s in gap if s.old and scores.old_heading(s.old[0])]
        news = [s.new[0] for s in gap if s.new and scores.new_heading(s.new[0])]
        pairs = list(zip(olds, news, strict=False)) if len(olds) == len(news) else []
        if pairs and all(scores.cos[i, j] >= params.heading_floor for i, j in pairs):
            paired_old = {i: j for i, j in pairs}
            paired_new = set(paired_old.values())
            for s in gap:
                if s.old and s.old[0] in paired_old:
                    i = s.old[0]
                    out.append(Link((i,), (paired_old[i],), float(scores.margin[i, paired_old[i]])))
                elif not (s.new and s.new[0] in paired_new):
                    out.append(s)
        else:
            out.extend(gap)
        if k < len(path):
            out.append(path[k])
            k += 1
    return out


def _programme(margin: np.ndarray, mutual: np.ndarray, scores: Scores,
               params: Params) -> list[Link]:  # fmt: skip
    import numpy as np

    n, m = margin.shape
    t, p, bonus = params.threshold, params.merge_penalty, params.mutual_bonus
    link = (margin - t).tolist()
    merged_old = scores.merged_old_margins() - t - p  # (n-1, m)
    merged_new = scores.merged_new_margins() - t - p  # (n, m-1)
    if n >= 2:  # a merge of two clauses one of which is the other side's best match
        merged_old = merged_old + bonus * np.maximum(mutual[:-1], mutual[1:])
    if m >= 2:
        merged_new = merged_new + bonus * np.maximum(mutual[:, :-1], mutual[:, 1:])
    # a merge needs both parts to match the other side on their own, at least a little: an
    # unrelated clause next to a right pair does not make it a merge
    floor, neg = params.merge_floor, -1e9
    if n >= 2:
        merged_old = np.where(np.minimum(margin[:-1], margin[1:]) >= floor, merged_old, neg)
    if m >= 2:
        merged_new = np.where(np.minimum(margin[:, :-1], margin[:, 1:]) >= floor, merged_new, neg)
    merged_old, merged_new = merged_old.tolist(), merged_new.tolist()
    neg = float("-inf")
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(1, m + 1):
        back[0][j] = 2
    for i in range(1, n + 1):
        row, prev = best[i], best[i - 1]
        prev2 = best[i - 2] if i >= 2 else None
        brow = back[i]
        lrow = link[i - 1]
        morow = merged_old[i - 2] if i >= 2 else None
        mnrow = merged_new[i - 1] if m >= 2 else None
        row[0], brow[0] = 0.0, 1
        for j in range(1, m + 1):
            score, step = prev[j], 1  # 1-0
            if row[j - 1] > score:
                score, step = row[j - 1], 2  # 0-1
            cand = prev[j - 1] + lrow[j - 1]
            if cand > score:
                score, step = cand, 3  # 1-1
            if prev2 is not None and morow is not None:
                cand = prev2[j - 1] + morow[j - 1]
                if cand > score:
                    score, step = cand, 4  # 2-1
            if j >= 2 and mnrow is not None:
                cand = prev[j - 2] + mnrow[j - 2]
                if cand > score:
                    score, step = cand, 5  # 1-2
            row[j], brow[j] = score if score > neg else 0.0, step
    return _backtrack(back, margin, scores, n, m)


def _backtrack(back: list[list[int]], margin: np.ndarray, scores: Scores, n: int,
               m: int) -> list[Link]:  # fmt: skip
    out: list[Link] = []
    i, j = n, m
    merged_old, merged_new = scores.merged_old_margins(), scores.merged_new_margins()
    while i > 0 or j > 0:
        step = back[i][j] if i > 0 else 2
        if step == 1:
            out.append(Link((i - 1,), ()))
            i -= 1
        elif step == 2:
            out.append(Link((), (j - 1,)))
            j -= 1
        elif step == 3:
            out.append(Link((i - 1,), (j - 1,), float(margin[i - 1, j - 1])))
            i, j = i - 1, j - 1
        elif step == 4:
            out.append(Link((i - 2, i - 1), (j - 1,), float(merged_old[i - 2, j - 1])))
            i, j = i - 2, j - 1
        else:
            out.append(Link((i - 1,), (j - 2, j - 1), float(merged_new[i - 1, j - 2])))
            i, j = i - 1, j - 2
    out.reverse()
    return out


def _with_moves(path: list[Link], margin: np.ndarray, raw: np.ndarray,
                params: Params) -> list[Link]:  # fmt: skip
    """Pair leftovers that are each other's best match in the whole matrix (moved clauses);
    ``margin`` has the numbering anchors, ``raw`` is reported."""
    old_left = [s.old[0] for s in path if not s.new]
    new_left = [s.new[0] for s in path if not s.old]
    if not old_left or not new_left:
        return path
    best_new = margin.argmax(axis=1)
    best_old = margin.argmax(axis=0)
    new_set = set(new_left)
    moves: dict[int, int] = {}
    for i in old_left:
        j = int(best_new[i])
        if j in new_set and int(best_old[j]) == i and margin[i, j] > params.move_threshold:
            moves[j] = i
    if not moves:
        return path
    moved_old = set(moves.values())
    out = []
    for s in path:
        if not s.new and s.old[0] in moved_old:
            continue
        if not s.old and s.new[0] in moves:
            i = moves[s.new[0]]
            out.append(Link((i,), s.new, float(raw[i, s.new[0]]), moved=True))
            continue
        out.append(s)
    return out
