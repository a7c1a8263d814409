"""Align the clauses of two versions: which clause became which.

The passes (``align_passes``) pair the clauses; candidates for the fuzzy ones come from an index
of rare words (``align_index``), so the cost grows with the number of changed clauses times a
small constant, never with old × new. This module places the pairings in reading order: as
``Change`` objects (``align``), or by position, around blocks of clauses known to be kept
(``align_groups``, what lineages need). Bodies and match keys: ``align_keys``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from drafttrack.align_index import CANDIDATES, COMMON_POSTING, RARE_WORDS, Index, rarest
from drafttrack.align_keys import (
    MEMO_LIMIT,
    body,
    keys_of,
    match_key,
    match_key_of_body,
    remember_keys,
)
from drafttrack.align_passes import (
    PASSES,
    SHORT_WORDS,
    SIMILAR,
    SIMILAR_MOVED,
    SIMILAR_SHORT,
    SPLIT,
    SPLIT_GAIN,
    Alignment,
    Pairing,
    run_passes,
)
from drafttrack.model import Change, Clause, Group
from drafttrack.numbering import text_after_shown_number
from drafttrack.patience import longest_increasing
from drafttrack.segment import Block

__all__ = [
    "CANDIDATES",
    "COMMON_POSTING",
    "MEMO_LIMIT",
    "PASSES",
    "RARE_WORDS",
    "SHORT_WORDS",
    "SIMILAR",
    "SIMILAR_MOVED",
    "SIMILAR_SHORT",
    "SPLIT",
    "SPLIT_GAIN",
    "Group",
    "Index",
    "align",
    "align_groups",
    "body",
    "keys_of",
    "match_key",
    "match_key_of_body",
    "moved_across_blocks",
    "rarest",
    "remember_keys",
]


def align_groups(
    old: Sequence[Clause], new: Sequence[Clause], blocks: Sequence[Block] = ()
) -> list[Group]:
    """``align`` by clause positions instead of clauses, in the same order (no copies of
    clauses and no keys: what lineages need, at a fraction of the cost).

    ``blocks``: runs of clauses known to be identical and kept in place (``segment.relayout``
    finds them), increasing on both sides. They are paired before any pass, so the passes see
    only the stretches between them, and each comes back as one ``("block", (i,), (j,), False,
    length)`` group when nothing moved across it (as if its clauses were paired one by one).
    """
    if blocks:
        groups = _around_blocks(old, new, blocks)
        if groups is not None:
            return groups
        blocks = [(i + k, j + k, 1) for i, j, n in blocks for k in range(n)]
        return _around_blocks(old, new, blocks, whole=True) or []
    al = run_passes(old, new)
    return _placed(al, _moved_groups(al.groups), list(range(len(old))), list(range(len(new))))


def _around_blocks(
    old: Sequence[Clause], new: Sequence[Clause], blocks: Sequence[Block], whole: bool = False
) -> list[Group] | None:
    """Align the stretches between ``blocks``, each block standing in as one clause paired in
    advance. None when a group pairs clauses of different stretches (a move across a block),
    unless ``whole`` (all blocks one clause long): what moved is then judged over every clause.
    """
    co: list[Clause] = []
    cn: list[Clause] = []
    old_at: list[int] = []
    new_at: list[int] = []
    stand_old: list[int] = []
    stand_new: list[int] = []
    i = j = 0
    for i0, j0, n in blocks:
        co += old[i:i0]
        cn += new[j:j0]
        old_at += range(i, i0)
        new_at += range(j, j0)
        stand_old.append(len(co))
        stand_new.append(len(cn))
        co.append(old[i0])
        cn.append(new[j0])
        old_at.append(i0)
        new_at.append(j0)
        i, j = i0 + n, j0 + n
    co += old[i:]
    cn += new[j:]
    old_at += range(i, len(old))
    new_at += range(j, len(new))
    al = run_passes(co, cn, list(zip(stand_old, stand_new, strict=True)), old_at, new_at)
    if whole:
        return _placed(al, _moved_groups(al.groups), old_at, new_at)
    crossing = any(
        bisect.bisect(stand_old, g.old[0]) != bisect.bisect(stand_new, g.new[0])
        for g in al.groups[len(blocks) :]
    )
    moved = (
        moved_across_blocks(al.groups, blocks, old_at, new_at)
        if crossing
        else _moved_groups(al.groups)
    )
    if moved is None:
        return None
    lengths = {b: n for b, (_i, _j, n) in enumerate(blocks)}
    return _placed(al, moved, old_at, new_at, lengths)


def moved_across_blocks(
    groups: list[Pairing], blocks: Sequence[Block], old_at: list[int], new_at: list[int]
) -> set[int] | None:
    """``_moved_groups`` when a group moved across a block (the first groups stand for the
    blocks): judged over every clause, each block counting its length, as if the blocks'
    clauses had been paired one by one, at the cost of one pass over the pairs and no
    second alignment. None when a block itself moved (its clauses must then be told apart).
    """
    owner: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    for g_index, g in enumerate(groups):
        at_new, at_old = new_at[min(g.new)], old_at[min(g.old)]
        size = blocks[g_index][2] if g_index < len(blocks) else 1
        for k in range(size):
            owner[at_new + k] = g_index
            pairs.append((at_new + k, at_old + k))
    pairs.sort()
    kept_pairs = longest_increasing(pairs)
    kept = {owner[j] for j, _i in kept_pairs}
    if len(kept_pairs) < len(pairs) and any(b not in kept for b in range(len(blocks))):
        return None
    return set(range(len(groups))) - kept


def _placed(
    al: Alignment,
    moved: set[int],
    old_at: list[int],
    new_at: list[int],
    blocks: dict[int, int] | None = None,
) -> list[Group]:
    """The groups in the order of ``align``, at their positions in the whole lists; the
    first groups named in ``blocks`` stand for that many clauses each."""
    blocks = blocks or {}
    span = {al.groups[g].new[0]: n - 1 for g, n in blocks.items()}
    placed: list[tuple[tuple[int, int, int], Group]] = []
    for g_index, g in enumerate(al.groups):
        n = blocks.get(g_index)
        if n is not None:
            at_old, at_new = old_at[g.old[0]], new_at[g.new[0]]
            placed.append(((at_new, 0, 0), ("block", (at_old,), (at_new,), False, float(n))))
            continue
        if len(g.old) > 1:
            kind = "merged"
        elif len(g.new) > 1:
            kind = "split"
        elif al.old_bodies[g.old[0]] == al.new_bodies[g.new[0]]:
            kind = "unchanged"
        else:
            kind = "modified"
        olds = tuple(old_at[i] for i in g.old)
        news = tuple(sorted(new_at[j] for j in g.new))
        group = (kind, olds, news, g_index in moved, g.similarity)
        placed.append(((news[0], 0, 0), group))
    for (anchor, _one, i), c_old in _removed_at(al, moved):
        where = (new_at[anchor] + span.get(anchor, 0) if anchor >= 0 else -1, 1, old_at[i])
        placed.append((where, ("removed", (old_at[c_old],), (), False, 0.0)))
    placed.extend(
        ((new_at[j], 0, 0), ("added", (), (new_at[j],), False, 0.0)) for j in al.free_new()
    )
    placed.sort(key=lambda t: t[0])
    return [g for _, g in placed]


def align(old: Sequence[Clause], new: Sequence[Clause]) -> list[Change]:
    """Changes from ``old`` to ``new``: reading order of NEW, removed clauses at their old place.

    Aligned new clauses inherit the old clause's key; added clauses keep a fresh key. Change
    kinds and flags are set here; word diffs and the editorial mark are added by ``compare``.
    """
    al = run_passes(old, new)
    moved = _moved_groups(al.groups)
    keys = _KeyMaker(old, new)
    placed: list[tuple[tuple[int, int, int], Change]] = []
    for g_index, g in enumerate(al.groups):
        change = _change(g, al, keys, g_index in moved)
        placed.append(((min(g.new), 0, 0), change))
    placed.extend(_removed(al, moved))
    for j in al.free_new():
        placed.append(((j, 0, 0), Change("added", [], [keys.fresh(new[j])], similarity=0.0)))
    placed.sort(key=lambda t: t[0])
    return [c for _, c in placed]


def _moved_groups(groups: list[Pairing]) -> set[int]:
    """Groups outside the longest run kept in order (patience-style LIS on old positions)."""
    first_new = {min(g.new): n for n, g in enumerate(groups)}
    pairs = sorted((min(g.new), min(g.old)) for g in groups)
    kept = {first_new[i] for i, _j in longest_increasing(pairs)}
    return set(range(len(groups))) - kept


class _KeyMaker:
    """Keys for the new side: inherited from old, or fresh and unused."""

    def __init__(self, old: Sequence[Clause], new: Sequence[Clause]) -> None:
        self.taken = {c.key for c in old} | {c.key for c in new}
        self.old_keys = {c.key for c in old}
        self.counter = len(old) + len(new)

    def fresh(self, clause: Clause) -> Clause:
        if clause.key and clause.key not in self.old_keys:
            return _with_key(clause, clause.key)
        while True:
            self.counter += 1
            key = f"c{self.counter}"
            if key not in self.taken:
                self.taken.add(key)
                return _with_key(clause, key)


def _with_key(c: Clause, key: str) -> Clause:
    """A copy of ``c`` with another key (faster than ``dataclasses.replace`` at scale)."""
    return Clause(key, c.number, c.path, c.text, c.kind, c.lines, c.numbering)


def _change(g: Pairing, al: Alignment, keys: _KeyMaker, moved: bool) -> Change:
    olds = [al.old[i] for i in g.old]
    news = [al.new[j] for j in g.new]
    inherited = [_with_key(news[0], olds[0].key)] + [keys.fresh(c) for c in news[1:]]
    if len(olds) > 1:
        kind = "merged"
    elif len(news) > 1:
        kind = "split"
    elif al.old_bodies[g.old[0]] == al.new_bodies[g.new[0]]:
        kind = "unchanged"
    else:
        kind = "modified"
    renumbered = len(olds) == len(news) == 1 and olds[0].numbering != news[0].numbering
    if renumbered and _number_moved(olds[0], news[0]):
        renumbered = False
    return Change(
        kind, olds, inherited, moved=moved, renumbered=renumbered, similarity=g.similarity
    )


def _number_moved(old: Clause, new: Clause) -> bool:
    """Whether the one number of the two clauses only moved between the text of one and the
    list marker of the other (``3 die …`` → ``3. die …``)."""
    bare, numbered = (old, new) if old.number is None else (new, old)
    if bare.number is not None or numbered.number is None:
        return False
    if numbered.numbering != (*bare.numbering, numbered.number):
        return False
    return text_after_shown_number(bare.text, numbered.number) is not None


def _removed(al: Alignment, moved: set[int]) -> list[tuple[tuple[int, int, int], Change]]:
    """Removed clauses placed after the new position of the nearest earlier kept old clause."""
    return [
        (where, Change("removed", [al.old[i]], [], similarity=0.0))
        for where, i in _removed_at(al, moved)
    ]


def _removed_at(al: Alignment, moved: set[int]) -> list[tuple[tuple[int, int, int], int]]:
    """Sort position and old index of each removed clause (see ``_removed``)."""
    new_of_old: dict[int, int] = {}
    for g_index, g in enumerate(al.groups):
        if g_index not in moved:
            for i in g.old:
                new_of_old[i] = max(g.new)
    kept = sorted(new_of_old)
    out = []
    for i in al.free_old():
        k = bisect.bisect_left(kept, i)
        anchor = new_of_old[kept[k - 1]] if k else -1
        out.append(((anchor, 1, i), i))
    return out
