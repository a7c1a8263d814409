"""A document's history at a glance: its lineages as bands across versions, and change volume.

Everything comes from the lineage index (runs, events and each version's keys); nothing is
re-aligned. A band is one clause lineage in one place: a clause that moved has a band before the
move and one after it. Bands are ordered top to bottom in the reading order of the latest
version; a band no longer there sits where it last was. Neighbouring bands that never changed
and share their life (same versions) are one bundle, so a long history is drawn with about one
shape per change, never one per version and clause.

``change_volume`` counts, per version against the one before in draft order, the substantive
words added and removed, the clauses reworded or moved (``modified``) and the clauses changed only
editorially (same words: case, punctuation, quote style, numbering). A partial or excerpt text
proves no absence: clauses missing from it are carried over it, not counted as removed.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from drafttrack.lineage import Run
from drafttrack.model import Clause

MAX_COLUMNS = 100
"""At most this many columns (bins of versions) to click: one per 10 px or more at 1,000 px."""


class FlowView(Protocol):
    """What the flow needs of a lineage view (``Lineages`` and ``StoredLineages`` fit)."""

    document: str
    versions: list[dict[str, Any]]

    def partial(self, index: int) -> bool: ...
    def all_runs(self) -> list[Run]: ...
    def all_events(self) -> list[tuple[str, int, str]]: ...
    def all_forms(self) -> list[tuple[int, str]]: ...
    def clause(self, clause_id: int) -> Clause: ...
    def version_keys(self, index: int) -> list[str]: ...


@dataclass(slots=True)
class Changes:
    """One version's changes against its predecessor in draft order."""

    added: int = 0
    """Substantive words added (new clauses and words inserted into reworded ones)."""
    removed: int = 0
    """Substantive words removed."""
    modified: int = 0
    """Clauses whose words changed, or that moved."""
    editorial: int = 0
    """Clauses changed only in form (same words)."""

    @property
    def substantive(self) -> bool:
        """Whether anything beyond form changed."""
        return bool(self.added or self.removed or self.modified)

    def to_json(self) -> dict[str, int]:
        """The ``changes`` object of ``log --json``."""
        return {
            "added": self.added,
            "removed": self.removed,
            "modified": self.modified,
            "editorial": self.editorial,
        }


@dataclass(slots=True)
class Band:
    """One lineage in one place: the versions it is there, and where it was reworded."""

    key: str
    spans: list[tuple[int, int]]
    """(first, last) version indexes, inclusive, in draft order."""
    clause: int
    """The distinct clause it held last (for its label)."""
    reworded: list[int] = field(default_factory=list)
    """Versions whose text of this clause differs from the one before."""
    moved_to: int | None = None
    """Index of the band it moved to (the same lineage, elsewhere)."""
    moved_from: int | None = None


@dataclass(slots=True)
class Bundle:
    """Consecutive bands drawn as one shape: a changed band alone, or unchanged bands sharing
    their life."""

    first: int
    """Index of its first band (row)."""
    count: int
    key: str
    """The first band's lineage key (its history link)."""
    spans: list[tuple[int, int]]
    reworded: list[int]
    text: str
    number: str | None
    moved_to: int | None = None
    """Index of the bundle holding the band this one moved to."""


@dataclass(slots=True)
class Flow:
    """The history flow of one document."""

    document: str
    versions: list[dict[str, Any]]
    bands: list[Band]
    bundles: list[Bundle]
    columns: list[tuple[int, int]]
    """Bins of versions, (first, last) inclusive; one per version up to ``MAX_COLUMNS``."""
    changes: list[Changes | None]
    """Per version; None for the first (it has no predecessor)."""


def primary_runs(lin: FlowView) -> dict[str, list[Run]]:
    """Per lineage key, the runs of the clauses holding it as their own key, by start."""
    out: dict[str, list[Run]] = defaultdict(list)
    for r in lin.all_runs():
        if r.lineage == r.key:
            out[r.key].append(r)
    for runs in out.values():
        runs.sort(key=lambda r: r.start)
    return out


def _moves(lin: FlowView, keys: dict[str, list[Run]]) -> dict[str, list[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for lineage, index, kind in lin.all_events():
        if kind == "moved" and lineage in keys:
            out[lineage].add(index)
    return {k: sorted(v) for k, v in out.items()}


def change_volume(
    lin: FlowView, runs: dict[str, list[Run]] | None = None, forms: dict[int, str] | None = None
) -> list[Changes | None]:
    """Per version, its ``Changes`` against the predecessor (None for the first)."""
    runs = primary_runs(lin) if runs is None else runs
    n = len(lin.versions)
    forms = dict(lin.all_forms()) if forms is None else forms
    sizes: dict[int, int] = {}

    def size(cid: int) -> int:
        if cid not in sizes:
            sizes[cid] = len(forms.get(cid, "").split())
        return sizes[cid]

    starts: dict[int, list[Run]] = defaultdict(list)
    ends: dict[int, list[Run]] = defaultdict(list)
    for rs in runs.values():
        for r in rs:
            starts[r.start].append(r)
            ends[r.end].append(r)
    moved_at: dict[int, set[str]] = defaultdict(set)
    for key, versions in _moves(lin, runs).items():
        for v in versions:
            moved_at[v].add(key)
    state: dict[str, int] = {r.key: r.clause for r in starts[0]}
    carried: set[str] = set()
    out: list[Changes | None] = [None] if n else []
    for v in range(1, n):
        ch = Changes()
        partial = lin.partial(v)
        entering = {r.key: r.clause for r in starts[v]}
        leaving = {r.key for r in ends[v - 1]} - entering.keys()
        changed: set[str] = set()
        for key, cid in entering.items():
            old = state.get(key)
            if old is None:
                ch.added += size(cid)
            elif old != cid and _count_rewording(ch, lin, forms, old, cid):
                changed.add(key)
            state[key] = cid
            carried.discard(key)
        if partial:
            carried |= leaving
        else:
            for key in leaving | (carried - entering.keys()):
                ch.removed += size(state.pop(key))
            carried = set()
        ch.modified += len(moved_at.get(v, set()) - changed)
        out.append(ch)
    return out


def _count_rewording(ch: Changes, lin: FlowView, forms: dict[int, str], old: int, new: int) -> bool:
    """Count one clause's change into ``ch``; False when its text did not change (a clause
    that only moved under another heading is another distinct clause with the same text)."""
    kind = rewording(lin, forms, old, new)
    if kind is None:
        return False
    if kind == "editorial":
        ch.editorial += 1
        return True
    before, after = Counter(forms.get(old, "").split()), Counter(forms.get(new, "").split())
    ch.modified += 1
    ch.added += sum((after - before).values())
    ch.removed += sum((before - after).values())
    return True


def rewording(lin: FlowView, forms: dict[int, str], old: int, new: int) -> str | None:
    """How distinct clause ``new`` differs from ``old``: "substantive" (other words),
    "editorial" (same words) or None (same text)."""
    if forms.get(old) != forms.get(new):
        return "substantive"
    a, b = lin.clause(old), lin.clause(new)
    if a.text == b.text and a.number == b.number:
        return None
    return "editorial"


def _spans(runs: list[Run]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for r in runs:
        if out and r.start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], r.end))
        else:
            out.append((r.start, r.end))
    return out


def _cut(spans: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    return [(max(a, lo), min(b, hi)) for a, b in spans if b >= lo and a <= hi]


def bands_of(
    lin: FlowView, runs: dict[str, list[Run]], forms: dict[int, str] | None = None
) -> list[Band]:
    """Every band, ordered top to bottom (latest reading order; gone bands where they were)."""
    n = len(lin.versions)
    forms = dict(lin.all_forms()) if forms is None else forms
    moves = _moves(lin, runs)
    items: dict[tuple[str, int], Band] = {}
    chains: list[list[tuple[str, int]]] = []
    for key, rs in runs.items():
        cuts = [0, *moves.get(key, []), n]
        spans = _spans(rs)
        rewords = [
            b.start
            for a, b in zip(rs, rs[1:], strict=False)
            if a.clause != b.clause and rewording(lin, forms, a.clause, b.clause)
        ]
        placed: list[tuple[str, int]] = []
        for epoch in range(len(cuts) - 1):
            lo, hi = cuts[epoch], cuts[epoch + 1] - 1
            part = _cut(spans, lo, hi)
            if not part:
                continue
            last = max((r for r in rs if r.start <= part[-1][1]), key=lambda r: r.start)
            marks = [v for v in rewords if lo <= v <= hi]
            items[(key, epoch)] = Band(key, part, last.clause, marks)
            placed.append((key, epoch))
        chains.append(placed)
    order = _reading_order(lin, items, moves, n)
    index = {item: i for i, item in enumerate(order)}
    for placed in chains:  # a moved lineage's bands, in draft order: each moved to the next
        for a, b in zip(placed, placed[1:], strict=False):
            items[a].moved_to, items[b].moved_from = index[b], index[a]
    bands = [items[item] for item in order]
    return bands


def _reading_order(
    lin: FlowView, items: dict[tuple[str, int], Band], moves: dict[str, list[int]], n: int
) -> list[tuple[str, int]]:
    """Items in the latest version's order; each other item after the item before it in the
    last version that had it (items processed latest first, so that one is already placed)."""

    def epoch(key: str, v: int) -> int:
        return bisect.bisect_right(moves.get(key, []), v)

    head = ("", -1)
    nxt: dict[tuple[str, int], tuple[str, int] | None] = {head: None}
    tail = head
    latest = set()
    if n:
        for key in lin.version_keys(n - 1):
            item = (key, epoch(key, n - 1))
            if item in items and item not in nxt:
                nxt[tail], nxt[item], tail = item, None, item
                latest.add(item)
    keys_at: dict[int, list[str]] = {}
    rest = sorted((it for it in items if it not in latest), key=lambda it: -items[it].spans[-1][1])
    for item in rest:
        v = items[item].spans[-1][1]
        if v not in keys_at:
            keys_at[v] = lin.version_keys(v)
        keys = keys_at[v]
        after = head
        if item[0] in keys:
            for other in reversed(keys[: keys.index(item[0])]):
                cand = (other, epoch(other, v))
                if cand in nxt:
                    after = cand
                    break
        nxt[item], nxt[after] = nxt[after], item
    out: list[tuple[str, int]] = []
    at = nxt[head]
    while at is not None:
        out.append(at)
        at = nxt[at]
    return out


def bundles_of(lin: FlowView, bands: list[Band]) -> list[Bundle]:
    """Consecutive unchanged bands with the same life merged; a changed band stays alone."""
    out: list[Bundle] = []
    start_of: dict[int, int] = {}
    for i, band in enumerate(bands):
        plain = not band.reworded and band.moved_to is None and band.moved_from is None
        last = out[-1] if out else None
        if (
            plain
            and last is not None
            and not last.reworded
            and last.moved_to is None
            and last.spans == band.spans
            and not _moving(bands[last.first])
        ):
            last.count += 1
        else:
            clause = lin.clause(band.clause)
            out.append(
                Bundle(i, 1, band.key, band.spans, band.reworded, clause.text, clause.number)
            )
        start_of[i] = len(out) - 1
    for bundle in out:
        band = bands[bundle.first]
        if band.moved_to is not None:
            bundle.moved_to = start_of[band.moved_to]
    return out


def _moving(band: Band) -> bool:
    return bool(band.reworded) or band.moved_to is not None or band.moved_from is not None


def columns_of(n: int, most: int = MAX_COLUMNS) -> list[tuple[int, int]]:
    """Bins of consecutive versions, (first, last) inclusive: at most ``most`` of them."""
    if n <= 0:
        return []
    size = -(-n // most)
    return [(a, min(a + size, n) - 1) for a in range(0, n, size)]


def history_flow(lin: FlowView, most: int = MAX_COLUMNS) -> Flow:
    """The document's history flow and change volume, from its lineage view."""
    runs = primary_runs(lin)
    forms = dict(lin.all_forms())
    bands = bands_of(lin, runs, forms)
    return Flow(
        document=lin.document,
        versions=list(lin.versions),
        bands=bands,
        bundles=bundles_of(lin, bands),
        columns=columns_of(len(lin.versions), most),
        changes=change_volume(lin, runs, forms),
    )


def with_changes(versions: list[dict[str, Any]], lin: FlowView) -> list[dict[str, Any]]:
    """``log --json`` versions, each with its ``changes`` (None for the first in draft order)."""
    by_id = {str(v["id"]): c for v, c in zip(lin.versions, change_volume(lin), strict=True)}
    out = []
    for v in versions:
        found = by_id.get(str(v["id"]))
        out.append({**v, "changes": found.to_json() if found is not None else None})
    return out
