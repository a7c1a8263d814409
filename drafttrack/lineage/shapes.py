"""Each version's clauses for a build, segmented around what it shares with the one before,
here or in a forked process."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from drafttrack import forked
from drafttrack.align import keys_of
from drafttrack.lineage.model import Cache, VersionLike
from drafttrack.lineage.pairs import segments_of
from drafttrack.model import Clause
from drafttrack.normalize import word_form
from drafttrack.segment import EMPTY_LAYOUT, Block, BlockMemo, Layout, relayout

Shape = tuple[list[Clause], list[Block] | None, dict[str, tuple[str, str, str]]]
"""A version's clauses, the blocks it shares with the version before (None: unknown), and
for clause texts not seen before, when already made: what alignment compares
(``align.keys_of``) and the ``word_form`` phrases are found in."""


class _Shaper:
    """Each version's clauses, segmented around what it shares with the one before
    (``segment.relayout``); texts it cannot chunk are segmented whole."""

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.memo = BlockMemo()
        self.layout: Layout | None = None

    def shape(self, version: VersionLike) -> tuple[list[Clause], list[Block] | None]:
        shaped = relayout(self.layout or EMPTY_LAYOUT, version.text, self.memo)
        if shaped is None:
            self.layout = None
            return segments_of(version, self.cache, self.memo), None
        had = self.layout is not None
        self.layout, found = shaped
        return self.layout.clauses, found if had else None


@contextmanager
def _shapes(
    versions: Sequence[VersionLike], cache: Cache | None, parallel: bool
) -> Iterator[Iterator[Shape]]:
    """Each version's ``Shape``, made here or, ``parallel``, in a forked process that sends
    only the clauses outside the blocks (the rest are the version before's)."""
    if not parallel:
        shaper = _Shaper(cache)
        yield ((*shaper.shape(v), {}) for v in versions)
        return

    def produce() -> Iterator[Shape]:
        shaper = _Shaper(None)
        seen: set[str] = set()
        for version in versions:
            clauses, found = shaper.shape(version)
            fresh = clauses if found is None else _outside(clauses, found)
            texts = {c.text for c in fresh} - seen
            notes = {text: (*keys_of(text), word_form(text)) for text in texts}
            seen |= texts
            yield fresh, found, notes

    def rebuilt(stream: Iterator[Shape]) -> Iterator[Shape]:
        before: list[Clause] = []
        for fresh, found, notes in stream:
            before = fresh if found is None else _inside(before, found, fresh)
            yield before, found, notes

    with forked.stream_from_child(produce) as stream:
        yield rebuilt(stream)


def _outside(clauses: list[Clause], blocks: list[Block]) -> list[Clause]:
    """The clauses no block covers, in order."""
    out: list[Clause] = []
    at = 0
    for _i, j, n in blocks:
        out += clauses[at:j]
        at = j + n
    out += clauses[at:]
    return out


def _inside(before: list[Clause], blocks: list[Block], fresh: list[Clause]) -> list[Clause]:
    """A version's clauses from the blocks' clauses in ``before`` and the ``fresh`` others."""
    out: list[Clause] = []
    taken = 0
    for i, j, n in blocks:
        more = j - len(out)
        out += fresh[taken : taken + more]
        taken += more
        out += before[i : i + n]
    out += fresh[taken:]
    return out
