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
from typing import Literal

from drafttrack.model import Change, Clause, WordOp

SegmentOp = Literal["equal", "insert", "delete"]

KIND_LABELS = {
    "unchanged": "unchanged",
    "modified": "reworded",
    "added": "added",
    "removed": "removed",
    "split": "split",
    "merged": "merged",
}


@dataclass(slots=True)
class Segment:
    """A run of text on one side, equal to the other side, inserted or deleted."""

    op: SegmentOp
    text: str


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
    similarity: float = 1.0
    target: int | None = None
    """For a moved clause: the number of its stub at the old place; for a stub: the change."""
    flags: list[str] = field(default_factory=list)
    inline: list[Segment] = field(default_factory=list)
    """Both sides in one redline (equal, deleted and inserted runs in reading order)."""

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
        return ", ".join([KIND_LABELS.get(self.kind, self.kind), *self.flags])

    @property
    def is_change(self) -> bool:
        """True for a numbered change (editorial ones included)."""
        return self.number is not None


@dataclass(slots=True)
class Gap:
    """Unchanged rows left out in "changes only" view."""

    count: int
    kind: str = "gap"


def display_number(clause: Clause) -> str | None:
    """The clause number to show before its text, unless the text starts with it."""
    if not clause.number or clause.text.startswith(clause.number):
        return None
    return clause.number


def _plain(clauses: Sequence[Clause], op: SegmentOp) -> list[Segment]:
    return [Segment(op, " ".join(c.text for c in clauses))] if clauses else []


def _sides(words: Iterable[WordOp]) -> tuple[list[Segment], list[Segment]]:
    old: list[Segment] = []
    new: list[Segment] = []
    for w in words:
        if w.op != "insert":
            old.append(Segment(w.op, w.text))
        if w.op != "delete":
            new.append(Segment(w.op, w.text))
    return old, new


def _is_numbered(change: Change) -> bool:
    return change.kind != "unchanged" or change.moved or change.renumbered


def _row(change: Change, number: int | None) -> Row:
    inline: list[Segment] = []
    if change.kind in ("modified", "split", "merged") and change.words:
        old_seg, new_seg = _sides(change.words)
        inline = [Segment(w.op, w.text) for w in change.words]
    elif change.kind == "added":
        old_seg, new_seg = [], _plain(change.new, "insert")
    elif change.kind == "removed":
        old_seg, new_seg = _plain(change.old, "delete"), []
    else:
        old_seg, new_seg = _plain(change.old, "equal"), _plain(change.new, "equal")
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
        similarity=change.similarity,
        flags=flags,
        inline=inline or old_seg + new_seg,
    )


def build_rows(changes: Sequence[Change]) -> list[Row]:
    """Rows in reading order of the new version, with a stub at each moved clause's old place."""
    rows: list[Row] = []
    number = 0
    for change in changes:
        if _is_numbered(change):
            number += 1
            rows.append(_row(change, number))
        else:
            rows.append(_row(change, None))
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


def follow_clause(changes: Sequence[Change], key: str) -> list[Clause]:
    """The clauses of the new version that continue the old clause ``key`` (empty if gone)."""
    for change in changes:
        if any(c.key == key for c in change.old):
            return list(change.new)
    return []


def same_clause(a: Clause, b: Clause) -> bool:
    """True when two clause objects are the same clause of the same text (by place and text)."""
    return a.lines == b.lines and a.text == b.text


@dataclass(slots=True)
class HistoryStep:
    """One version's state of a clause lineage, with the word changes since the last present."""

    version: dict[str, object]
    clauses: list[Clause]
    state: str
    """present | changed | absent | unknown (absent from a partial text proves nothing)."""
    segments: list[Segment]


def history_steps(
    versions: Sequence[dict[str, object]], clauses: Sequence[Sequence[Clause]]
) -> list[HistoryStep]:
    """A lineage's life: for each version (contract dicts, draft order) the clauses it has there."""
    from drafttrack.worddiff import word_diff

    steps: list[HistoryStep] = []
    last: str | None = None
    for meta, found in zip(versions, clauses, strict=True):
        text = " ".join(c.text for c in found)
        if not found:
            state = "absent" if meta.get("completeness", "full") == "full" else "unknown"
            steps.append(HistoryStep(dict(meta), [], state, []))
            continue
        if last is None or last == text:
            segments = [Segment("equal", text)]
            state = "present"
        else:
            segments = [Segment(op.op, op.text) for op in word_diff(last, text)]
            state = "changed"
        steps.append(HistoryStep(dict(meta), list(found), state, segments))
        last = text
    return steps
