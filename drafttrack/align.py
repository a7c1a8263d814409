"""Align the clauses of two versions: which clause became which.

The work is an ordered list of small passes over a shared ``_Alignment`` (like markdown-it's
``_rules``): exact matches in order, exact matches out of order, splits and merges, then reworded
pairs. Each pass sees only clauses the earlier ones left unmatched. Candidates for the fuzzy
passes come from an index of rare words, so the cost grows with the number of changed clauses
times a small constant, never with old × new. Splits and merges run before reworded pairs because
half of a split clause also looks like a reworded clause; the other way round, the split would
be reported as a rewording plus an addition.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from drafttrack.model import Change, Clause
from drafttrack.normalize import editorial_form
from drafttrack.numbering import split_number, text_after_shown_number
from drafttrack.patience import longest_increasing, patience_pairs
from drafttrack.segment import Block

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

CANDIDATES = 8
"""Fuzzy candidates scored per clause (those sharing the most rare words)."""

RARE_WORDS = 12
"""How many of a clause's rarest words are looked up in the index."""

COMMON_POSTING = 64
"""Words in more unmatched clauses than this are too common to suggest a candidate; this
bounds the work per clause, so the fuzzy passes stay linear in the number of changes."""


@dataclass(slots=True)
class _Group:
    old: list[int]
    new: list[int]
    similarity: float = 1.0


@dataclass(slots=True)
class _Alignment:
    old: Sequence[Clause]
    new: Sequence[Clause]
    old_bodies: list[str]
    new_bodies: list[str]
    old_forms: list[str]
    new_forms: list[str]
    old_words: list[list[str]] = field(default_factory=list)
    new_words: list[list[str]] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)
    old_used: set[int] = field(default_factory=set)
    new_used: set[int] = field(default_factory=set)
    anchors_old: list[int] = field(default_factory=list)
    anchors_new: list[int] = field(default_factory=list)
    old_at: list[int] | None = None
    """Position in the whole old list of each clause (None: the lists are whole)."""
    new_at: list[int] | None = None

    def pair(self, olds: list[int], news: list[int], similarity: float = 1.0) -> None:
        self.groups.append(_Group(olds, news, similarity))
        self.old_used.update(olds)
        self.new_used.update(news)

    def free_old(self) -> list[int]:
        return [i for i in range(len(self.old)) if i not in self.old_used]

    def free_new(self) -> list[int]:
        return [j for j in range(len(self.new)) if j not in self.new_used]

    def same_stretch(self, i: int, j: int) -> bool:
        """Whether old ``i`` and new ``j`` lie between the same two exact anchors."""
        return bisect.bisect(self.anchors_old, i) == bisect.bisect(self.anchors_new, j)


def body(clause: Clause) -> str:
    """The clause text without its leading number, the part compared across versions."""
    return _body(clause.text)


_BODIES: dict[str, str] = {}
_KEYS: dict[str, str] = {}
MEMO_LIMIT = 1 << 16
"""Texts whose body and match key are remembered (the memo is emptied when full)."""


def _body(text: str) -> str:
    found = _BODIES.get(text)
    if found is None:
        number, rest = split_number(text)
        found = rest if number and rest.strip() else text
        _remember(_BODIES, text, found)
    return found


def match_key(clause: Clause) -> str:
    """Equal keys mean the clauses differ at most editorially (and in their numbers)."""
    return _key(body(clause))


def _key(text: str) -> str:
    found = _KEYS.get(text)
    if found is None:
        found = editorial_form(text)
        _remember(_KEYS, text, found)
    return found


def _remember(memo: dict[str, str], text: str, value: str) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[text] = value


def match_key_of_body(text: str) -> str:
    """``match_key`` of a clause whose ``body`` is ``text``."""
    return _key(text)


def keys_of(text: str) -> tuple[str, str]:
    """The body and match key of a clause text, as alignment computes them."""
    found = _body(text)
    return found, _key(found)


def remember_keys(known: dict[str, tuple[str, str]]) -> None:
    """Take bodies and match keys computed elsewhere (``keys_of`` in another process)."""
    for text, (found, key) in known.items():
        _remember(_BODIES, text, found)
        _remember(_KEYS, found, key)


def _identical_in_order(al: _Alignment) -> None:
    """Longest common subsequence of clause bodies: clauses that stayed, word for word."""
    _lcs_in_gaps(al, al.old_bodies, al.new_bodies)


def _exact_in_order(al: _Alignment) -> None:
    """Then, between those, the longest common subsequence of match keys (editorial edits)."""
    _lcs_in_gaps(al, al.old_forms, al.new_forms)


def _lcs_in_gaps(al: _Alignment, old: list[str], new: list[str]) -> None:
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


def _exact_moved(al: _Alignment) -> None:
    """Clauses with the same key elsewhere in the document."""
    waiting: dict[str, list[int]] = defaultdict(list)
    for i in al.free_old():
        waiting[al.old_forms[i]].append(i)
    for j in al.free_new():
        olds = waiting.get(al.new_forms[j]) if al.new_forms[j] else None
        if olds:
            al.pair([olds.pop(0)], [j])


def _ensure_words(al: _Alignment) -> None:
    """Word lists of the unmatched clauses' keys, computed once for the fuzzy passes."""
    if not al.old_words:
        al.old_words = [[] if i in al.old_used else f.split() for i, f in enumerate(al.old_forms)]
        al.new_words = [[] if j in al.new_used else f.split() for j, f in enumerate(al.new_forms)]


class _Index:
    """Which clauses of a set hold which of their words, for finding fuzzy candidates."""

    def __init__(self, ids: list[int], words: list[list[str]]) -> None:
        self.ids = ids
        self.sets = [set(words[i]) for i in ids]
        postings: dict[str, list[int]] = {}
        for i, found in zip(ids, self.sets, strict=True):
            for word in found:
                held = postings.get(word)
                if held is None:
                    postings[word] = [i]
                else:
                    held.append(i)
        self.postings = postings
        self.counts = {word: len(held) for word, held in postings.items()}

    def posting(self, word: str) -> list[int]:
        """The clauses holding ``word``, in order (built with the index: one pass over the
        clauses' words, where a lookup per word would scan every clause again)."""
        return self.postings.get(word, [])

    def candidates(self, query: list[str], limit: int = CANDIDATES) -> list[int]:
        """The clauses sharing most of the query's rarest words (``rarest``), at most
        ``limit``, ties in index order."""
        if len(self.ids) == 1:  # the one clause, if it holds one of the rarest words
            held = self.sets[0]
            words = set(query)
            shared = len(held.intersection(words))
            return self.ids[:1] if shared and len(words) - shared < RARE_WORDS else []
        counts = self.counts
        words = set(query)
        found = [(n, w) for w in words if (n := counts.get(w, 0))]
        hits: Counter[int] = Counter()
        for n, w in rarest(found, len(words) - len(found)):
            if n <= COMMON_POSTING:
                hits.update(self.posting(w))
        return [i for i, _ in hits.most_common(limit)]


def rarest(found: list[tuple[int, str]], absent: int) -> list[tuple[int, str]]:
    """Of a clause's ``RARE_WORDS`` rarest words, those an index holds: ``found`` gives each
    held word with the number of clauses holding it, ``absent`` counts the words it holds
    nowhere (the rarest of all). Rare words carry the most evidence of which clause was which."""
    room = RARE_WORDS - absent
    if room <= 0:
        return []
    found.sort()  # by count, then word
    return found[:room]


def _may_reach(size_a: int, size_b: int, bar: float) -> bool:
    """Whether two word lists of these lengths can be ``bar`` similar (``_similarity`` is at
    most twice the shorter length over the sum)."""
    return 2 * min(size_a, size_b) >= (bar - 1e-9) * (size_a + size_b)


def _similarity(a: list[str], b: list[str]) -> float:
    return float(Indel.normalized_similarity(a, b))


def _accept(al: _Alignment, i: int, j: int, score: float) -> bool:
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


def _splits_and_merges(al: _Alignment) -> None:
    """One clause ≈ two consecutive clauses joined (split), or the reverse (merged)."""
    free_old, free_new = al.free_old(), al.free_new()
    if not free_old or not free_new or len(free_old) + len(free_new) < 3:
        return
    _ensure_words(al)
    _one_to_two(al, al.old_words, al.new_words, free_old, free_new, split=True)
    _one_to_two(al, al.new_words, al.old_words, al.free_new(), al.free_old(), split=False)


def _one_to_two(
    al: _Alignment,
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
    index = _Index(twos, two_words)
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


def _reworded(al: _Alignment) -> None:
    """Pairs above the similarity bar, best first (then same stretch, then nearest)."""
    _ensure_words(al)
    free_old = al.free_old()
    if not free_old or len(al.new_used) == len(al.new):
        return
    index = _Index(free_old, al.old_words)
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for score, _stretch, _dist, i, j in _ranked(al, index):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        al.pair([i], [j], score)


def _ranked(al: _Alignment, index: _Index) -> list[tuple[float, bool, int, int, int]]:
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


PASSES: list[Callable[[_Alignment], None]] = [
    _identical_in_order,
    _exact_in_order,
    _exact_moved,
    _splits_and_merges,
    _reworded,
]
"""The alignment passes, in order."""


def _run(
    old: Sequence[Clause],
    new: Sequence[Clause],
    anchors: Sequence[tuple[int, int]] = (),
    old_at: list[int] | None = None,
    new_at: list[int] | None = None,
) -> _Alignment:
    """Run the passes; ``anchors``: pairs made in advance, in order (``old_at``, ``new_at``:
    positions in the whole lists when these are parts of them)."""
    old_bodies = [body(c) for c in old]
    new_bodies = [body(c) for c in new]
    al = _Alignment(
        old,
        new,
        old_bodies,
        new_bodies,
        [_key(b) for b in old_bodies],
        [_key(b) for b in new_bodies],
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


Group = tuple[str, tuple[int, ...], tuple[int, ...], bool, float]
"""(kind, old indexes, new indexes, moved, similarity): one change of ``align`` by position."""


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
    al = _run(old, new)
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
    al = _run(co, cn, list(zip(stand_old, stand_new, strict=True)), old_at, new_at)
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
    groups: list[_Group], blocks: Sequence[Block], old_at: list[int], new_at: list[int]
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
    al: _Alignment,
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
    al = _run(old, new)
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


def _moved_groups(groups: list[_Group]) -> set[int]:
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


def _change(g: _Group, al: _Alignment, keys: _KeyMaker, moved: bool) -> Change:
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


def _removed(al: _Alignment, moved: set[int]) -> list[tuple[tuple[int, int, int], Change]]:
    """Removed clauses placed after the new position of the nearest earlier kept old clause."""
    return [
        (where, Change("removed", [al.old[i]], [], similarity=0.0))
        for where, i in _removed_at(al, moved)
    ]


def _removed_at(al: _Alignment, moved: set[int]) -> list[tuple[tuple[int, int, int], int]]:
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
