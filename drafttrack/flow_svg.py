"""The history flow's geometry: the numbers and path data of its SVG (the template writes tags).

Coordinates are in a 1,000-unit-wide view box that the page scales to its width. Each version
has a slot of equal width in draft order; a band spans the slots of the versions it is in, so a
removed clause's band ends at the left edge of the version that removed it. A bundle is one
focusable shape (one ``<a>``), however many versions and bands it covers; marks for rewordings
and the connectors of moves are one path each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafttrack.history_flow import Bundle, Flow

WIDTH = 1000
PAD = 4
TOP = 40
"""Room above the bands: date ticks (y 12) and the strip of columns (y 18 to 34)."""
ROW_MAX, ROW_MIN_TOTAL, ROW_MAX_TOTAL = 12.0, 120.0, 640.0
"""A band's height at most; the bands' total height between these (a long document's rows thin
out rather than the picture growing past a screen)."""
TICKS = 7
TITLE_CHARS = 100


@dataclass(slots=True)
class BandShape:
    """One bundle as drawn."""

    index: int
    key: str
    path: str
    y: float
    height: float
    cls: str
    title: str
    present: str
    """The versions it is in ("v1–v9, v12")."""
    reworded: str
    """The versions that reworded it ("" when none)."""


@dataclass(slots=True)
class ColumnShape:
    """One clickable column (a bin of versions) of the strip above the bands."""

    x: float
    width: float
    version: dict[str, Any]
    """The version the column opens (the bin's last)."""
    first: dict[str, Any]
    title: str


@dataclass(slots=True)
class Picture:
    """Everything the SVG template draws."""

    width: int
    height: float
    bands: list[BandShape]
    rewords: str
    moves: str
    partial: str
    columns: list[ColumnShape]
    ticks: list[tuple[float, str, str]]
    """(x, text, text-anchor)."""


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def version_name(v: dict[str, Any]) -> str:
    """A version's label, with its date when it has one."""
    date = v.get("drafted_on") or v.get("reported_on")
    return f"{v['label']} ({date})" if date else str(v["label"])


def spans_text(versions: list[dict[str, Any]], spans: list[tuple[int, int]], most: int = 4) -> str:
    """ "v1–v9, v12" for spans of version indexes."""
    parts = [
        str(versions[a]["label"]) if a == b else f"{versions[a]['label']}–{versions[b]['label']}"
        for a, b in spans[:most]
    ]
    more = f" and {len(spans) - most} more" if len(spans) > most else ""
    return ", ".join(parts) + more


def bundle_title(flow: Flow, b: Bundle) -> str:
    """What hovering or focusing a bundle says."""
    text = " ".join(b.text.split())
    if b.number and not text.startswith(b.number):
        text = f"{b.number} {text}"
    if len(text) > TITLE_CHARS:
        text = text[: TITLE_CHARS - 1] + "…"
    parts = [text, f"in {spans_text(flow.versions, b.spans)}"]
    if b.reworded:
        parts.append(f"reworded in {spans_text(flow.versions, [(v, v) for v in b.reworded], 3)}")
    if b.moved_to is not None:
        parts.append("then moved")
    if b.count > 1:
        parts.append(f"with {b.count - 1} more unchanged clause{'s' if b.count > 2 else ''} below")
    return " · ".join(parts)


def picture(flow: Flow) -> Picture:
    """The SVG's shapes for ``flow``."""
    n = max(len(flow.versions), 1)
    slot = (WIDTH - 2 * PAD) / n
    rows = max(len(flow.bands), 1)
    total = min(max(rows * ROW_MAX, ROW_MIN_TOTAL), ROW_MAX_TOTAL)
    row = min(ROW_MAX, total / rows)
    gap = 0.12 * row if row >= 4 else 0.0

    def x(v: int) -> float:
        return PAD + v * slot

    last = n - 1
    shapes: list[BandShape] = []
    for i, b in enumerate(flow.bundles):
        y, h = TOP + b.first * row, b.count * row - gap
        d = "".join(
            f"M{_n(x(a))} {_n(y)}h{_n((e - a + 1) * slot)}v{_n(h)}h{_n(-(e - a + 1) * slot)}z"
            for a, e in b.spans
        )
        cls = "band"
        if b.reworded:
            cls += " band-reworded"
        if b.spans[-1][1] < last:
            cls += " band-gone"
        rew = spans_text(flow.versions, [(v, v) for v in b.reworded], 5) if b.reworded else ""
        present = spans_text(flow.versions, b.spans)
        shapes.append(BandShape(i, b.key, d, y, h, cls, bundle_title(flow, b), present, rew))
    rewords, moves = [], []
    for i, band in enumerate(flow.bands):
        y = TOP + i * row
        rewords += [f"M{_n(x(v))} {_n(y)}v{_n(max(row - gap, 1.0))}" for v in band.reworded]
        if band.moved_to is not None:
            to = flow.bands[band.moved_to]
            x1, x2 = x(band.spans[-1][1] + 1), x(to.spans[0][0])
            y1, y2 = y + row / 2, TOP + band.moved_to * row + row / 2
            moves.append(f"M{_n(x1 - min(slot, 6))} {_n(y1)}L{_n(x2)} {_n(y2)}")
    height = TOP + rows * row + 6
    partial = "".join(
        f"M{_n(x(v))} {TOP - 4}h{_n(slot)}v{_n(height - TOP)}h{_n(-slot)}z"
        for v, ver in enumerate(flow.versions)
        if str(ver.get("completeness") or "full") != "full"
    )
    columns = []
    for a, e in flow.columns:
        first, version = flow.versions[a], flow.versions[e]
        names = version_name(first)
        if a != e:
            names += f" – {version_name(version)}"
        columns.append(ColumnShape(x(a), (e - a + 1) * slot, version, first, names))
    return Picture(
        WIDTH, height, shapes, "".join(rewords), "".join(moves), partial, columns, ticks(flow, x)
    )


def ticks(flow: Flow, x: Any) -> list[tuple[float, str, str]]:
    """About ``TICKS`` evenly spaced dates (or labels, for undated versions)."""
    n = len(flow.versions)
    if not n:
        return []
    step = max(1, -(-n // TICKS))
    picks = list(range(0, n, step))
    if n - 1 not in picks and n > 1:
        if n - 1 - picks[-1] < step / 2:
            picks.pop()
        picks.append(n - 1)
    out = []
    slot = (WIDTH - 2 * PAD) / n
    for v in picks:
        ver = flow.versions[v]
        text = str(ver.get("drafted_on") or ver.get("reported_on") or ver["label"])
        anchor = "start" if v == 0 else ("end" if v == n - 1 and n > 1 else "middle")
        if n <= TICKS:
            text, anchor = str(ver["label"]), "middle"
        at = x(v) if anchor == "start" else (x(v + 1) if anchor == "end" else x(v) + slot / 2)
        out.append((at, text, anchor))
    return out


VOLUME_HEIGHT = 96
VOLUME_MID = 52
"""The bar chart's baseline: words added rise above it, words removed hang below."""


@dataclass(slots=True)
class VolumeBar:
    """One column of the change-volume chart (a bin of versions) and what it sums."""

    x: float
    width: float
    first: int
    last: int
    added: int
    removed: int
    modified: int
    editorial: int
    title: str


@dataclass(slots=True)
class Volume:
    """The change-volume chart: one path per tone, one link per column."""

    width: int
    height: int
    added: str
    removed: str
    editorial: str
    bars: list[VolumeBar]
    peak: int


def volume(flow: Flow) -> Volume:
    """Bars of substantive words added (up) and removed (down) per column; clauses changed only
    editorially as a lighter bar. Heights grow with the square root, so small edits show."""
    n = max(len(flow.versions), 1)
    slot = (WIDTH - 2 * PAD) / n
    bars = []
    for a, e in flow.columns:
        sums = [0, 0, 0, 0]
        for c in flow.changes[a : e + 1]:
            if c is not None:
                for k, value in enumerate((c.added, c.removed, c.modified, c.editorial)):
                    sums[k] += value
        first, last = flow.versions[a], flow.versions[e]
        names = str(first["label"]) if a == e else f"{first['label']}–{last['label']}"
        title = (
            f"{names}: {sums[0]} words added, {sums[1]} removed, {sums[2]} clauses reworded or "
            f"moved, {sums[3]} changed editorially"
        )
        added, removed, modified, editorial = sums
        bars.append(
            VolumeBar(
                PAD + a * slot, (e - a + 1) * slot, a, e, added, removed, modified, editorial, title
            )
        )
    peak = max([max(b.added, b.removed) for b in bars] + [1])
    peak_ed = max([b.editorial for b in bars] + [1])
    room = VOLUME_MID - 8

    def h(value: int, top: int) -> float:
        return room * (value / top) ** 0.5 if value else 0.0

    def bar(b: VolumeBar, height: float, down: bool) -> str:
        if height <= 0:
            return ""
        w = max(b.width - (0.2 * b.width if b.width > 3 else 0), 0.6)
        y = VOLUME_MID if down else VOLUME_MID - height
        return f"M{_n(b.x)} {_n(y)}h{_n(w)}v{_n(height)}h{_n(-w)}z"

    return Volume(
        WIDTH,
        VOLUME_HEIGHT,
        "".join(bar(b, max(h(b.added, peak), 1.0 if b.added else 0), False) for b in bars),
        "".join(bar(b, max(h(b.removed, peak), 1.0 if b.removed else 0), True) for b in bars),
        "".join(bar(b, h(b.editorial, peak_ed) * 0.6, False) for b in bars),
        bars,
        peak,
    )
