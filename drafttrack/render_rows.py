"""Presentation rows for a comparison: what the viewer (and any HTML report) shows, line by line.

A :class:`~drafttrack.compare.Comparison` lists changes in reading order of the new version. The
viewer needs a little more: each change numbered (for ``#change-N`` anchors that stay stable for
a pair of version ids), each side's text split into equal / inserted / deleted segments, a stub
at the old place of every moved clause linking to where it went, and "changes only" with context.
Nothing here knows HTTP or HTML: templates escape every piece of text they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from drafttrack.inline import visible_text
from drafttrack.model import Change, Clause
from drafttrack.redline import Run, formatted_many, redline_runs, side_runs
from drafttrack.wording import kind_word

if TYPE_CHECKING:
    from drafttrack.trace import LineageView

SegmentOp = Literal["equal", "insert", "delete"]


@dataclass(slots=True)
class Segment:
    """A run of visible text on one side, equal to the other side, inserted or deleted."""

    op: SegmentOp
    text: str
    marks: tuple[str, ...] = ()
    """Formatting that shows the run: strong, em, strike, code, link, image."""
    target: str | None = None
    """The link target when ``marks`` holds ``link``."""


@dataclass(slots=True)
class Side:
    """One side (old or new) of a row: its clauses and the segments to show."""

    clauses: list[Clause]
    segments: list[Segment]

    @property
    def number(self) -> str | None:
        """Display number of the side's first clause (None when its text already shows it)."""
        return display_number(self.clauses[0]) if self.clauses else None

    @property
    def heading(self) -> bool:
        """True when the side is a heading."""
        return bool(self.clauses) and self.clauses[0].kind == "heading"

    @property
    def key(self) -> str | None:
        """Key of the side's first clause."""
        return self.clauses[0].key if self.clauses else None


@dataclass(slots=True)
class Row:
    """One line of the side-by-side view."""

    kind: str
    """unchanged | modified | added | removed | split | merged | moved-away (a moved stub)."""
    old: Side | None
    new: Side | None
    number: int | None = None
    """Change number (1-based) for anything but an unchanged clause in place."""
    moved: bool = False
    renumbered: bool = False
    editorial: bool = False
    editorial_kinds: list[str] = field(default_factory=list)
    """What an editorial change changed (see ``editorial.KINDS``)."""
    similarity: float = 1.0
    target: int | None = None
    """For a moved clause: the number of its stub at the old place; for a stub: the change."""
    flags: list[str] = field(default_factory=list)
    inline: list[Segment] = field(default_factory=list)
    """Both sides in one redline (equal, deleted and inserted runs in reading order)."""
    divergences: list[dict[str, Any]] | None = None
    """A cross-language pair's divergences (see ``crosslang.divergence``); None otherwise."""
    change: Change | None = None
    """The change whose text segments are still to be made (``build_rows(…, segments=False)``);
    None once made, and for moved stubs."""

    @property
    def anchor(self) -> str | None:
        """Fragment id of this change ("change-12"), or of a moved stub ("moved-from-12")."""
        if self.kind == "moved-away":
            return f"moved-from-{self.target}"
        return f"change-{self.number}" if self.number is not None else None

    @property
    def label(self) -> str:
        """Reader-facing description: "reworded, moved, renumbered"."""
        if self.kind == "moved-away":
            return "moved away"
        if self.kind == "unchanged" and self.flags:
            return ", ".join(self.flags)
        return ", ".join([kind_word(self.kind), *self.flags])

    @property
    def is_change(self) -> bool:
        """True for a numbered change (editorial ones included)."""
        return self.number is not None


@dataclass(slots=True)
class Gap:
    """Unchanged rows left out in "changes only" view."""

    count: int
    kind: str = "gap"


def full_number(clause: Clause) -> str:
    """The clause's full numbering ("Article 4.1"), or its own number, or "–"."""
    return ".".join(clause.numbering) or clause.number or "–"


def display_number(clause: Clause) -> str | None:
    """The clause number to show before its text, unless its visible text starts with it."""
    if not clause.number or visible_text(clause.text).startswith(clause.number):
        return None
    return clause.number


def _segments(runs: Iterable[Run]) -> list[Segment]:
    return [Segment(r.op, r.text, r.marks, r.target) for r in runs]  # type: ignore[arg-type]


def _plain(clauses: Sequence[Clause], op: SegmentOp) -> list[Segment]:
    return _segments(formatted_many([c.text for c in clauses], op)) if clauses else []


def clause_segments(clause: Clause) -> list[Segment]:
    """A clause's text as formatted segments (what the version page and trace show)."""
    return _plain([clause], "equal")


def _is_numbered(change: Change) -> bool:
    return change.kind != "unchanged" or change.moved or change.renumbered


def _side_segments(change: Change) -> tuple[list[Segment], list[Segment], list[Segment]]:
    """A change's old-side, new-side and inline segments."""
    inline: list[Segment] = []
    if change.kind in ("modified", "split", "merged") and change.words:
        olds, news = [c.text for c in change.old], [c.text for c in change.new]
        old_runs, new_runs = side_runs(olds, news, change.words)
        old_seg, new_seg = _segments(old_runs), _segments(new_runs)
        inline = _segments(redline_runs(olds, news, change.words))
    elif change.kind == "added":
        old_seg, new_seg = [], _plain(change.new, "insert")
    elif change.kind == "removed":
        old_seg, new_seg = _plain(change.old, "delete"), []
    else:
        old_seg, new_seg = _plain(change.old, "equal"), _plain(change.new, "equal")
    return old_seg, new_seg, inline or old_seg + new_seg


def _row(change: Change, number: int | None, segments: bool = True) -> Row:
    old_seg, new_seg, inline = _side_segments(change) if segments else ([], [], [])
    flags = []
    if change.moved:
        flags.append("moved")
    if change.renumbered:
        flags.append("renumbered")
    if change.editorial and change.kind != "unchanged":
        flags.append("editorial")
    return Row(
        kind=change.kind,
        old=Side(list(change.old), old_seg) if change.old else None,
        new=Side(list(change.new), new_seg) if change.new else None,
        number=number,
        moved=change.moved,
        renumbered=change.renumbered,
        editorial=change.editorial,
        editorial_kinds=list(change.editorial_kinds),
        similarity=change.similarity,
        flags=flags,
        inline=inline,
        divergences=change.divergences,
        change=None if segments else change,
    )


def fill_segments(rows: Iterable[Row | Gap]) -> None:
    """Make the text segments of rows built without them (gaps and stubs are left as they are):
    a long comparison shown as changes only formats the clauses it shows, not all of them."""
    for row in rows:
        if isinstance(row, Row) and row.change is not None:
            old_seg, new_seg, row.inline = _side_segments(row.change)
            if row.old is not None:
                row.old.segments = old_seg
            if row.new is not None:
                row.new.segments = new_seg
            row.change = None


def build_rows(changes: Sequence[Change], *, segments: bool = True) -> list[Row]:
    """Rows in reading order of the new version, with a stub at each moved clause's old place;
    without ``segments`` the rows' texts are formatted later, by ``fill_segments``."""
    rows: list[Row] = []
    number = 0
    for change in changes:
        if _is_numbered(change):
            number += 1
            rows.append(_row(change, number, segments))
        else:
            rows.append(_row(change, None, segments))
    moved = [r for r in rows if r.moved and r.old]
    if not moved:
        return rows
    # Old position of every row that kept its place: the first line of its old clauses.
    placed = [(r.old.clauses[0].lines[0], i) for i, r in enumerate(rows) if r.old and not r.moved]
    inserts: list[tuple[int, Row]] = []
    for r in moved:
        assert r.old is not None and r.number is not None
        start = r.old.clauses[0].lines[0]
        at = next((i for line, i in placed if line > start), len(rows))
        r.target = r.number
        stub = Row("moved-away", Side(list(r.old.clauses), []), None, target=r.number)
        inserts.append((at, stub))
    for at, stub in sorted(inserts, key=lambda x: x[0], reverse=True):
        rows.insert(at, stub)
    return rows


def changes_only(rows: Sequence[Row], context: int = 1) -> list[Row | Gap]:
    """Changed rows (and moved stubs) with ``context`` unchanged rows around them; gaps counted."""
    keep = [False] * len(rows)
    for i, r in enumerate(rows):
        if r.is_change or r.kind == "moved-away":
            for j in range(max(0, i - context), min(len(rows), i + context + 1)):
                keep[j] = True
    out: list[Row | Gap] = []
    skipped = 0
    for r, k in zip(rows, keep, strict=True):
        if k:
            if skipped:
                out.append(Gap(skipped))
                skipped = 0
            out.append(r)
        else:
            skipped += 1
    if skipped:
        out.append(Gap(skipped))
    return out


def summary_line(summary: dict[str, int]) -> list[tuple[str, int]]:
    """The summary bar's counts in reading order: added, removed, reworded, moved, …"""
    order = [
        ("added", "added"),
        ("removed", "removed"),
        ("reworded", "modified"),
        ("moved", "moved"),
        ("split", "split"),
        ("merged", "merged"),
        ("renumbered", "renumbered"),
        ("editorial", "editorial"),
    ]
    return [(name, summary.get(key, 0)) for name, key in order]


@dataclass(slots=True)
class TraceLine:
    """One lineage of a trace chart: a label and its state in every version."""

    key: str
    number: str | None
    text: str
    states: list[str]


def trace_grid(lin: LineageView, phrase: str, fuzzy: bool = False) -> list[TraceLine]:
    """Per traced lineage (rows, in order of first appearance) its state in each version.

    States as in ``trace``: present, reworded, absent, unknown (no clause in a partial text).
    """
    from drafttrack.trace import find_clauses

    hits = find_clauses(lin, phrase, fuzzy)
    traced = lin.lineages_of(set(hits))
    n = len(lin.versions)
    runs: dict[str, list[list[int]]] = {ln: [[] for _ in range(n)] for ln in traced}
    for r in lin.runs_of(traced):
        for k in range(r.start, r.end + 1):
            runs[r.lineage][k].append(r.clause)
    lines = []
    for ln, per_version in runs.items():
        states = []
        for k, clauses in enumerate(per_version):
            if any(c in hits for c in clauses):
                states.append("present")
            elif clauses:
                states.append("reworded")
            else:
                states.append("unknown" if lin.partial(k) else "absent")
        shown = next(
            (lin.clause(c) for cs in per_version for c in cs if c in hits),
            lin.clause(next(c for cs in per_version for c in cs)),
        )
        first = next(k for k, cs in enumerate(per_version) if cs)
        lines.append((first, shown.lines, TraceLine(ln, shown.number, shown.text, states)))
    lines.sort(key=lambda t: (t[0], t[1], t[2].key))
    return [t[2] for t in lines]
