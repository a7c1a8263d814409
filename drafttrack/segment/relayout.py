"""Segment the next version of a text chunk by chunk, reusing the clauses of the chunks it
shares with the version before: a version costs about what it changed."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from drafttrack import coverage
from drafttrack.errors import InputTooLarge
from drafttrack.model import Clause
from drafttrack.rejoin import rejoin
from drafttrack.segment.memo import (
    _START,
    BlockMemo,
    Parsed,
    _needs_parse,
    _parse_chunks,
    _placed,
    _Unchunkable,
    _unchunkable,
    _Walked,
    chunk_texts,
)
from drafttrack.segment.source import _FRONT_MATTER, MAX_INPUT_CHARS, _called


@dataclass(slots=True)
class Layout:
    """A text segmented chunk by chunk, kept so that the next version reuses what it shares.

    ``clauses`` are the text's clauses as ``segment`` gives them, except that clauses reused
    from an earlier version keep that version's source lines and keys (lineages need neither).
    """

    text: str
    chunks: list[str]
    starts: list[int]
    """Where each chunk starts in ``text``, then ``len(text) + 1``."""
    walked: list[_Walked]
    first: list[int]
    """Index in ``clauses`` of each chunk's first clause, then the number of clauses."""
    clauses: list[Clause]


EMPTY_LAYOUT = Layout("", [], [0], [], [0], [])


Block = tuple[int, int, int]
"""(first clause in the old list, first clause in the new list, length): identical clauses."""


def relayout(before: Layout, text: str, memo: BlockMemo) -> tuple[Layout, list[Block]] | None:
    """``text`` segmented chunk by chunk, reusing the clauses of the chunks it shares with the
    text of ``before`` (same chunk text, same headings open before it), and those shared runs
    as blocks of identical clauses. ``EMPTY_LAYOUT`` segments a text afresh.

    Only the stretch between the longest common beginning and end of the two texts is cut into
    chunks and matched: a version costs about what it changed. None when the text must be
    parsed whole (front matter, fences, HTML blocks, words outside any block): ``segment``
    handles those.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLarge(f"text of {len(text):,} characters exceeds {MAX_INPUT_CHARS:,}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = rejoin(text)
    if _FRONT_MATTER.match(text):
        return None
    head, tail = _kept_ends(before, text)
    old_mid = before.chunks[head:tail]
    if before.chunks:
        mid_start = before.starts[head]
        mid_stop = len(text) - (len(before.text) + 1 - before.starts[tail])
        mid = chunk_texts(text[mid_start:mid_stop]) if mid_stop >= mid_start else []
    else:
        mid = chunk_texts(text)
    texts = before.chunks[:head] + mid + before.chunks[tail:]
    runs = [(0, 0, head)] if head else []
    runs += [(i + head, j + head, n) for i, j, n in _shared_runs(old_mid, mid)]
    if tail < len(before.chunks):
        runs.append((tail, head + len(mid), len(before.chunks) - tail))
    shaper = _Relayout(before, text, texts, memo)
    try:
        for i, j, n in runs:
            shaper.fresh(j)
            shaper.reuse(i, j, n)
        shaper.fresh(len(texts))
    except _Unchunkable:
        return None
    if shaper.stray:
        return None
    lost = [
        (a + shift, b + shift)
        for j, walked in enumerate(shaper.walks)
        if walked.lost
        for shift in (shaper.line_of(j),)
        for a, b in walked.lost
    ]
    if lost:
        coverage.report(_called(text.split("\n")), lost)
    shaper.first.append(len(shaper.clauses))
    layout = Layout(text, texts, shaper.starts, shaper.walks, shaper.first, shaper.clauses)
    return layout, shaper.blocks


def _kept_ends(before: Layout, text: str) -> tuple[int, int]:
    """How many chunks of ``before`` start ``text`` unchanged (``head``), and from which
    chunk on they end it (``tail``): whole chunks of the common beginning and end of the two
    texts, with the line that starts the next chunk (or the chunk before) in common too, so
    that the chunk boundaries there are the same."""
    old = before.text
    if not before.chunks:
        return 0, 0
    common = _common_prefix(old, text)
    head = bisect.bisect_right(before.starts, common - 1) - 1
    head = max(0, min(head, len(before.chunks) - 1))
    room = min(len(old), len(text)) - before.starts[head]
    same_end = _common_suffix(old, text, max(0, room))
    tail = bisect.bisect_left(before.starts, len(old) - same_end) + 1
    return head, max(head, min(tail, len(before.chunks)))


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common beginning of ``a`` and ``b`` (by halving: C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common end of ``a`` and ``b``, at most ``limit``."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _shared_runs(old: list[str], new: list[str]) -> list[Block]:
    """Runs of chunks ``new`` shares with ``old`` as (old, new, length), in order.

    Equal chunks are paired while they follow each other; at a difference, the side whose
    next match is nearer skips ahead (the other side's chunk was added or removed), or both
    skip one when neither chunk is found further on (a chunk reworded). Chunks that moved are
    left unpaired: clause alignment finds them. Cost: one pass, plus C-speed searches at the
    differences.
    """
    out: list[Block] = []
    i = j = 0
    n_old, n_new = len(old), len(new)
    while i < n_old and j < n_new:
        if old[i] == new[j]:
            start_i, start_j = i, j
            i, j = i + 1, j + 1
            while i < n_old and j < n_new and old[i] == new[j]:
                i, j = i + 1, j + 1
            out.append((start_i, start_j, i - start_i))
            continue
        skip_old = _distance(old, new[j], i + 1)
        skip_new = _distance(new, old[i], j + 1)
        if skip_old is None and skip_new is None:
            i, j = i + 1, j + 1
        elif skip_new is None or (skip_old is not None and skip_old <= skip_new):
            assert skip_old is not None  # both None is the case above
            i += skip_old
        else:
            j += skip_new
    return out


def _distance(texts: list[str], text: str, start: int) -> int | None:
    """How far after ``start - 1`` ``text`` next occurs in ``texts`` (None: it does not)."""
    try:
        return texts.index(text, start) - start + 1
    except ValueError:
        return None


class _Relayout:
    """The state of ``relayout``: chunks walked so far, in the new text's order."""

    def __init__(self, before: Layout, text: str, texts: list[str], memo: BlockMemo) -> None:
        self.before, self.text, self.texts, self.memo = before, text, texts, memo
        self.starts = [0, *accumulate(map((1).__add__, map(len, texts)))]
        """Where each chunk starts in ``text``, then ``len(text) + 1``."""
        self.clauses: list[Clause] = []
        self.walks: list[_Walked] = []
        self.first: list[int] = []
        self.blocks: list[Block] = []
        self.stray = False
        self._unseen: dict[int, bool] = {}
        self._run: dict[int, Parsed] = {}
        self._line_at = (0, 0)
        """(offset, newlines before it) of the last chunk start asked for (``line_of``)."""

    def line_of(self, j: int) -> int:
        """Newlines of ``text`` before chunk ``j``: counted on from the chunk asked for last
        (chunks are walked in order), not from the start each time, which made a long text
        with changes all through it quadratic."""
        pos = self.starts[j]
        at, lines = self._line_at
        if pos < at:
            at, lines = 0, 0
        lines += self.text.count("\n", at, pos)
        self._line_at = (pos, lines)
        return lines

    def reuse(self, i: int, j: int, n: int) -> None:
        """The new text's chunks ``j..j+n`` (``j`` the next to walk) are chunks ``i..i+n`` of
        ``before``: reuse their clauses where the headings open before them are the same, and
        each is, or is not, the last of its text in both. The rest is left to ``fresh``."""
        before = self.before
        if (i + n == len(before.chunks)) != (j + n == len(self.texts)):
            n -= 1  # a text's last chunk is parsed as the end of that text
        while n > 0:
            came = before.walked[i - 1] if i else _START
            if came.heading_key == (self.walks[-1] if self.walks else _START).heading_key:
                break
            self.fresh(j + 1)  # other headings open: walk it, they may close the same way
            i, j, n = i + 1, j + 1, n - 1
        if n <= 0:
            return
        a, b = before.first[i], before.first[i + n]
        at = len(self.clauses)
        self.first += map((at - a).__add__, before.first[i : i + n])
        self.walks += before.walked[i : i + n]
        if b > a:
            last = self.blocks[-1] if self.blocks else None
            if last and last[0] + last[2] == a and last[1] + last[2] == at:
                self.blocks[-1] = (last[0], last[1], last[2] + b - a)
            else:
                self.blocks.append((a, at, b - a))
            self.clauses += before.clauses[a:b]

    def fresh(self, stop: int) -> None:
        """Walk the new text's chunks from the next one up to ``stop``."""
        j = len(self.walks)
        texts, memo = self.texts, self.memo
        last = len(texts) - 1
        while j < stop:
            chunk = texts[j]
            if _unchunkable(chunk):  # chunks shared with ``before`` passed this already
                raise _Unchunkable(chunk[:80])
            self.first.append(len(self.clauses))
            parsed = None
            if self._needs_parse(j):
                if j not in self._run:
                    end = j + 1
                    while end < len(texts) and self._needs_parse(end):
                        end += 1
                    found = _parse_chunks(texts[j:end], end < len(texts), memo)
                    self._run = dict(enumerate(found, j))
                parsed = self._run[j]
            walked = memo.walk(chunk, j < last, self.walks[-1] if self.walks else _START, parsed)
            self.stray = self.stray or walked.stray
            self.walks.append(walked)
            self.clauses += _placed(walked, self.line_of(j), 0)
            j += 1

    def _needs_parse(self, j: int) -> bool:
        found = self._unseen.get(j)
        if found is None:
            found = self._unseen[j] = _needs_parse(self.texts[j], self.memo)
        return found
