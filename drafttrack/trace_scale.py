"""A trace at any number of versions: runs of versions in the same state as one segment, a chart
that fits the page width (zoomed to a range of versions), and the "each version" table with runs
of an identical clause collapsed into one row.

Geometry is in a 1,000-unit-wide view box. Zoomed in to ``MARKS_UP_TO`` versions or fewer, each
version also gets its own mark (the shapes of ``trace/_chart.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafttrack.inline import visible_text
from drafttrack.render_rows import TraceLine

WIDTH = 1000
PAD = 6
TOP = 34
ROW = 46
MARKS_UP_TO = 40
TICKS = 8


@dataclass(slots=True)
class Segment:
    """Versions ``first``..``last`` (draft indexes, inclusive) of one lineage in one state."""

    state: str
    first: int
    last: int
    x: float
    width: float


@dataclass(slots=True)
class ChartRow:
    """One traced lineage: its label and its segments in the shown range."""

    key: str
    label: str
    text: str
    y: float
    segments: list[Segment]
    marks: list[tuple[str, float]]
    """(state, centre x) per version, when zoomed in far enough."""


@dataclass(slots=True)
class Chart:
    """The trace chart for versions ``lo``..``hi``."""

    width: int
    height: int
    lo: int
    hi: int
    slot: float
    rows: list[ChartRow]
    ticks: list[tuple[float, str, str]]


def segments(states: list[str], lo: int = 0, hi: int | None = None) -> list[tuple[str, int, int]]:
    """(state, first, last) for each run of equal states within ``lo``..``hi``."""
    hi = len(states) - 1 if hi is None else hi
    out: list[tuple[str, int, int]] = []
    for k in range(lo, hi + 1):
        if out and out[-1][0] == states[k]:
            out[-1] = (states[k], out[-1][1], k)
        else:
            out.append((states[k], k, k))
    return out


def chart(grid: list[TraceLine], versions: list[dict[str, Any]], lo: int, hi: int) -> Chart:
    """The chart of ``grid`` over versions ``lo``..``hi`` (draft indexes, inclusive)."""
    count = hi - lo + 1
    slot = (WIDTH - 2 * PAD) / max(count, 1)
    marks_on = count <= MARKS_UP_TO
    rows = []
    for i, line in enumerate(grid):
        y = TOP + i * ROW
        segs = [
            Segment(s, a, b, PAD + (a - lo) * slot, (b - a + 1) * slot)
            for s, a, b in segments(line.states, lo, hi)
        ]
        marks = (
            [(line.states[k], PAD + (k - lo + 0.5) * slot) for k in range(lo, hi + 1)]
            if marks_on
            else []
        )
        label = visible_text(line.text)
        if line.number and not label.startswith(line.number):
            label = f"{line.number} {label}"
        rows.append(ChartRow(line.key, _short(label, 64), label, y, segs, marks))
    ticks = []
    step = max(1, -(-count // TICKS))
    for k in range(lo, hi + 1, step):
        v = versions[k]
        text = (
            str(v["label"])
            if count <= TICKS * 2
            else str(v.get("drafted_on") or v.get("reported_on") or v["label"])
        )
        ticks.append(
            (
                PAD + (k - lo + 0.5) * slot,
                f"{v['position']}. {text}" if count <= TICKS else text,
                "middle",
            )
        )
    if ticks and count > 1:
        ticks[0] = (PAD, ticks[0][1], "start")
    return Chart(WIDTH, TOP + len(grid) * ROW + 8, lo, hi, slot, rows, ticks)


def _short(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def collapsed(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``trace --json`` timeline with runs of versions in the same state holding the same
    clauses (key, number and text; a new enclosing heading alone does not break a run) as one
    row: ``{"first", "last", "state", "clauses", "versions"}``."""
    out: list[dict[str, Any]] = []
    seen: tuple[Any, ...] | None = None
    for entry in timeline:
        last = out[-1] if out else None
        same = (entry["state"], [(c["key"], c.get("number"), c["text"]) for c in entry["clauses"]])
        if last and same == seen:
            last["last"] = entry["version"]
            last["versions"].append(entry["version"])
        else:
            out.append(
                {
                    "first": entry["version"],
                    "last": entry["version"],
                    "state": entry["state"],
                    "clauses": entry["clauses"],
                    "versions": [entry["version"]],
                }
            )
            seen = same
    return out
