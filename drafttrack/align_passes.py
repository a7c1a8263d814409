"""The alignment passes over a shared ``Alignment`` (like markdown-it's ``_rules``): exact
matches in order, exact matches out of order, splits and merges, then reworded pairs.

Each pass sees only clauses the earlier ones left unmatched. Splits and merges run before
reworded pairs because half of a split clause also looks like a reworded clause; the other way
round, the split would be reported as a rewording plus an addition.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from drafttrack.align_index import Index
from drafttrack.align_keys import body, match_key_of_body
from drafttrack.model import Clause
from drafttrack.patience import patience_pairs

SIMILAR = 0.5
"""Word-level similarity (Indel, 0..1) for two clauses in the same stretch between unchanged
clauses to count as one clause reworded. At 0.5 half of the words survive; below that a
reader sees a different clause (tests: demo, corpus rewordings, Contributor Covenant 1.4→2.0)."""

SIMILAR_MOVED = 0.7
"""Higher bar for a reworded clause that also moved: far apart, a pairing needs more evidence."""

SIMILAR_SHORT = 0.75
"""Bar when either clause has fewer than ``SHORT_WORDS`` words: two short clauses share most
of their words by chance ("This declaration takes effect upon signature." vs "This declaration
is open for signature.")."""

SHORT_WORDS = 8

SPLIT = 0.85
"""Similarity of a clause to two consecutive clauses joined, to report a split or a merge; it
must also beat the best one-to-one similarity, and each part must bring its own words
(``SPLIT_GAIN``)."""

SPLIT_GAIN = 0.5
"""Share of a part's words that the joined pair must match beyond what the other part alone
matches: the part came out of the one clause, it is not a new clause placed beside it. (A
similarity margin over the larger part cannot tell: a long clause that loses a short sentence
stays 0.9 similar to its larger part.)"""


@dataclass(slots=True)
class Pairing:
    old: list[int]
    new: list[int]
    similarity: float = 1.0


@dataclass(slots=True)
class Alignment:
    old: Sequence[Clause]
    new: Sequence[Clause]
    old_bodies: list[str]
    new_bodies: list[str]
    old_forms: list[str]
    new_forms: list[str]
    old_words: list[list[str]] = field(default_factory=list)
    new_words: list[list[str]] = field(default_factory=list)
    groups: list[Pairing] = field(default_factory=list)
    old_used: set[int] = field(default_factory=set)
    new_used: set[int] = field(default_factory=set)
    anchors_old: list[int] = field(default_factory=list)
    anchors_new: list[int] = field(default_factory=list)
    old_at: list[int] | None = None
    """Position in the whole old list of each clause (None: the lists are whole)."""
    new_at: list[int] | None = None

    def pair(self, olds: list[int], news: list[int], similarity: float = 1.0) -> None:
        self.groups.append(Pairing(olds, news, similarity))
        self.old_used.update(olds)
        self.new_used.update(news)

    def free_old(self) -> list[int]:
        return [i for i in range(len(self.old)) if i not in self.old_used]

    def free_new(self) -> list[int]:
        return [j for j in range(len(self.new)) if j not in self.new_used]

    def same_stretch(self, i: int, j: int) -> bool:
        """Whether old ``i`` and new ``j`` lie between the same two exact anchors."""
        return bisect.bisect(self.anchors_old, i) == bisect.bisect(self.anchors_new, j)


def _identical_in_order(al: Alignment) -> None:
    """Longest common subsequence of clause bodies: clauses that stayed, word for word."""
    _lcs_in_gaps(al, al.old_bodies, al.new_bodies)


def _exact_in_order(al: Alignment) -> None:
    """Then, between those, the longest common subsequence of match keys (editorial edits)."""
    _lcs_in_gaps(al, al.old_forms, al.new_forms)


def _lcs_in_gaps(al: Alignment, old: list[str], new: list[str]) -> None:
    """Pair equal items in order inside each stretch between existing anchors."""
    bounds = [(-1, -1), *zip(al.anchors_old, al.anchors_new, strict=True)]
    bounds.append((len(old), len(new)))
    found: list[tuple[int, int]] = []
    for (a0, b0), (a1, b1) in zip(bounds, bounds[1:], strict=False):
        if a1 - a0 < 2 or b1 - b0 < 2:
            continue
        pairs = patience_pairs(old[a0 + 1 : a1], new[b0 + 1 : b1])
        found.extend((a0 + 1 + i, b0 + 1 + j) for i, j in pairs)
    for i, j in found:
        al.pair([i], [j])
    pairs = sorted([*zip(al.anchors_old, al.anchors_new, strict=True), *found])
    al.anchors_old = [i for i, _ in pairs]
    al.anchors_new = [j for _, j in pairs]


def _exact_moved(al: Alignment) -> None:
    """Clauses with the same key elsewhere in the document."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for i in al.free_old():
        waiting[al.old_forms[i]].append(i)
    for j in al.free_new():
        olds = waiting.get(al.new_forms[j]) if al.new_forms[j] else None
        if olds:
            al.pair([olds.pop(0)], [j])


def _ensure_words(al: Alignment) -> None:
    """Word lists of the unmatched clauses' keys, computed once for the fuzzy passes."""
    if not al.old_words:
        al.old_words = [[] if i in al.old_used else f.split() for i, f in enumerate(al.old_forms)]
        al.new_words = [[] if j in al.new_used else f.split() for j, f in enumerate(al.new_forms)]


def _may_reach(size_a: int, size_b: int, bar: float) -> bool:
    """Whether two word lists of these lengths can be ``bar`` similar (``_similarity`` is at
    most twice the shorter length over the sum)."""
    return 2 * min(size_a, size_b) >= (bar - 1e-9) * (size_a + size_b)


def _similarity(a: list[str], b: list[str]) -> float:
    return float(Indel.normalized_similarity(a, b))


def _accept(al: Alignment, i: int, j: int, score: float) -> bool:
    """Whether an old/new pair with this similarity counts as one clause reworded.

    Short clauses need ``SIMILAR_SHORT``, unless they stayed in place and one is the other
    with words added or cut (all but one in ten of the shorter clause's words, in order).
    """
    a, b = al.old_words[i], al.new_words[j]
    stretch = al.same_stretch(i, j)
    shorter = min(len(a), len(b))
    if shorter < SHORT_WORDS:
        if score >= SIMILAR_SHORT:
            return True
        common = (len(a) + len(b) - Indel.distance(a, b)) / 2
        return stretch and shorter >= 3 and common >= 0.9 * shorter and score >= SIMILAR
    return score >= (SIMILAR if stretch else SIMILAR_MOVED)


def _splits_and_merges(al: Alignment) -> None:
    """One clause ≈ two consecutive clauses joined (split), or the reverse (merged)."""
    free_old, free_new = al.free_old(), al.free_new()
    if not free_old or not free_new or len(free_old) + len(free_new) < 3:
        return
    _ensure_words(al)
    _one_to_two(al, al.old_words, al.new_words, free_old, free_new, split=True)
    _one_to_two(al, al.new_words, al.old_words, al.free_new(), al.free_old(), split=False)


def _one_to_two(
    al: Alignment,
    one_words: list[list[str]],
    two_words: list[list[str]],
    ones: list[int],
    twos: list[int],
    *,
    split: bool,
) -> None:
    free_two = set(twos)
    if not ones or not any(t + 1 in free_two for t in twos):
        return  # a split or merge needs two consecutive clauses on one side
    index = Index(twos, two_words)
    for i in ones:
        if (i in al.old_used) if split else (i in al.new_used):
            continue
        words = one_words[i]
        candidates = [j for j in index.candidates(words) if j in free_two]
        best: tuple[float, int] | None = None
        for j in candidates:
            for start in (j - 1, j):
                if start in free_two and start + 1 in free_two:
                    joined = two_words[start] + two_words[start + 1]
                    if not _may_reach(len(words), len(joined), SPLIT):
                        continue
                    score = _similarity(words, joined)
                    if best is None or score > best[0]:
                        best = (score, start)
        if best is None or best[0] < SPLIT:
            continue
        best_single = max((_similarity(words, two_words[j]) for j in candidates), default=0.0)
        if best[0] > best_single and _both_parts_count(words, two_words, best[1]):
            start = best[1]
            free_two -= {start, start + 1}
            if split:
                al.pair([i], [start, start + 1], best[0])
            else:
                al.pair([start, start + 1], [i], best[0])


def _common(a: list[str], b: list[str]) -> float:
    """Words of ``a`` and ``b`` in common, in order (the longest common subsequence)."""
    return (len(a) + len(b) - Indel.distance(a, b)) / 2


def _both_parts_count(words: list[str], two_words: list[list[str]], start: int) -> bool:
    """Whether each of the two clauses at ``start`` adds ``SPLIT_GAIN`` of its words to what
    the other one alone has in common with ``words``."""
    first, second = two_words[start], two_words[start + 1]
    joined = _common(words, first + second)
    first_gain = joined - _common(words, second)
    second_gain = joined - _common(words, first)
    return (
        min(first_gain - SPLIT_GAIN * len(first), second_gain - SPLIT_GAIN * len(second)) >= 0
        and min(first_gain, second_gain) >= 1
    )


def _reworded(al: Alignment) -> None:
    """Pairs above the similarity bar, best first (then same stretch, then nearest)."""
    _ensure_words(al)
    free_old = al.free_old()
    if not free_old or len(al.new_used) == len(al.new):
        return
    index = Index(free_old, al.old_words)
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for score, _stretch, _dist, i, j in _ranked(al, index):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        al.pair([i], [j], score)


def _ranked(al: Alignment, index: Index) -> list[tuple[float, bool, int, int, int]]:
    out: list[tuple[float, bool, int, int, int]] = []
    for j in al.free_new():
        for i in index.candidates(al.new_words[j]):
            if (al.old[i].kind == "heading") != (al.new[j].kind == "heading"):
                continue
            if not _may_reach(len(al.old_words[i]), len(al.new_words[j]), SIMILAR):
                continue  # below every bar of ``_accept``
            score = _similarity(al.old_words[i], al.new_words[j])
            if _accept(al, i, j, score):
                at_i = al.old_at[i] if al.old_at else i
                at_j = al.new_at[j] if al.new_at else j
                out.append((score, al.same_stretch(i, j), -abs(at_i - at_j), i, j))
    out.sort(key=lambda t: (-t[0], not t[1], -t[2], t[3], t[4]))
    return out


PASSES: list[Callable[[Alignment], None]] = [
    _identical_in_order,
    _exact_in_order,
    _exact_moved,
    _splits_and_merges,
    _reworded,
]
"""The alignment passes, in order."""


def run_passes(
    old: Sequence[Clause],
    new: Sequence[Clause],
    anchors: Sequence[tuple[int, int]] = (),
    old_at: list[int] | None = None,
    new_at: list[int] | None = None,
) -> Alignment:
    """Run the passes; ``anchors``: pairs made in advance, in order (``old_at``, ``new_at``:
    positions in the whole lists when these are parts of them)."""
    old_bodies = [body(c) for c in old]
    new_bodies = [body(c) for c in new]
    al = Alignment(
        old,
        new,
        old_bodies,
        new_bodies,
        [match_key_of_body(b) for b in old_bodies],
        [match_key_of_body(b) for b in new_bodies],
        old_at=old_at,
        new_at=new_at,
    )
    for i, j in anchors:
        al.pair([i], [j])
    al.anchors_old = [i for i, _j in anchors]
    al.anchors_new = [j for _i, j in anchors]
    for step in PASSES:
        step(al)
    return al
