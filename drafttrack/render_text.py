"""The terminal redline of a comparison (``drafttrack diff --format text``).

One line per clause: a mark (``=`` unchanged, ``~`` modified, ``-`` removed, ``+`` added,
``<`` split, ``>`` merged), the clause's number, its text with word changes marked, then
``[moved]``, ``[renumbered 4 → 3]`` or ``[editorial]``. Texts are shown as a reader sees them
(link text, no emphasis markers; see ``inline``). In colour, deletions are red and
insertions green; without colour they read ``[-old-]{+new+}`` like ``git diff --word-diff``.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from drafttrack.compare import Comparison, is_substantive
from drafttrack.inline import visible_text
from drafttrack.model import Change, Clause, WordOp
from drafttrack.redline import Run, needs_gap, redline_runs

MARKS = {
    "unchanged": "=", "modified": "~", "removed": "-", "added": "+", "split": "<", "merged": ">",
}  # fmt: skip

Style = Callable[..., str]


def render_text(
    comparison: Comparison,
    *,
    title: str = "",
    color: bool = False,
    changes_only: bool = False,
    substantive_only: bool = False,
) -> str:
    """The redline as text (with ANSI colour codes when ``color``)."""
    style: Style = click.style if color else _plain
    shown = _select(comparison.changes, changes_only, substantive_only)
    out: list[str] = []
    if title:
        out.append(style(title, bold=True))
    summary = comparison.summary()
    out.append(", ".join(f"{v} {k}" for k, v in summary.items() if v) or "no clauses")
    last = -1
    for index in shown:
        if last >= 0 and index > last + 1:
            out.append(style("  …", dim=True))
        out.append(_line(comparison.changes[index], style, substantive_only))
        last = index
    return "\n".join(out) + "\n"


def _select(changes: list[Change], changes_only: bool, substantive_only: bool) -> list[int]:
    """Indexes to show: all, or the changes with one clause of context on each side."""

    def changed(c: Change) -> bool:
        if substantive_only:
            return is_substantive(c)
        return c.kind != "unchanged" or c.moved or c.renumbered

    if not changes_only and not substantive_only:
        return list(range(len(changes)))
    keep: set[int] = set()
    for i, c in enumerate(changes):
        if changed(c):
            keep.update(k for k in (i - 1, i, i + 1) if 0 <= k < len(changes))
    return sorted(keep)


def _line(change: Change, style: Style, substantive_only: bool) -> str:
    quiet = substantive_only and not is_substantive(change)
    mark = "=" if quiet and change.kind != "unchanged" else MARKS[change.kind]
    clauses = change.new or change.old
    label = _label(clauses[0])
    if change.kind == "removed":
        body = style(_strike(visible_text(change.old[0].text), style), fg="red")
    elif change.kind == "added":
        body = style(visible_text(change.new[0].text), fg="green")
    elif change.words and not quiet:
        olds, news = [c.text for c in change.old], [c.text for c in change.new]
        body = _redline(redline_runs(olds, news, change.words), style)
    else:
        body = " ".join(visible_text(c.text) for c in change.new)
        if change.divergences is not None and change.kind != "unchanged":
            before = " ".join(visible_text(c.text) for c in change.old)
            body = f"{body}\n      ⇄ {style(before, dim=True)}"
    notes = [_divergence(d) for d in change.divergences or ()]
    if change.moved:
        notes.append("moved")
    if change.renumbered:
        notes.append(f"renumbered {_label(change.old[0]) or '–'} → {_label(change.new[0]) or '–'}")
    if change.editorial and change.kind != "unchanged":
        notes.append("editorial")
    tail = style(f"  [{', '.join(notes)}]", fg="yellow") if notes else ""
    head = style(f"{mark} {label}".rstrip(), bold=change.kind != "unchanged")
    return f"{head}  {body}{tail}"


def _divergence(d: dict[str, object]) -> str:
    """A divergence of a cross-language pair as a note: ``number 6 → 7``, ``negation: not → –``."""
    old, new = d.get("old") or "–", d.get("new") or "–"
    if d["kind"] == "entity":
        side = "old" if d.get("old") else "new"
        return f"{d.get('detail')} named only in the {side} text ({old if side == 'old' else new})"
    return f"{d['kind']} {old} → {new}"


def _label(clause: Clause) -> str:
    """The clause's full number ("Article 4 › 1"), or its last heading when unnumbered."""
    if clause.numbering:
        return " › ".join(clause.numbering)
    return f"({clause.path[-1]})" if clause.path and clause.kind != "heading" else ""


def _redline(runs: list[Run], style: Style) -> str:
    """Runs of visible words; in colour, a space between a deletion and the insertion right
    after it (without colour the ``[-…-]{+…+}`` marks keep them apart)."""
    out = []
    previous = None
    for run in runs:
        if style is not _plain and needs_gap(previous, run):
            out.append(" ")
        previous = run
        out.append(_word(run, style))
    return "".join(out)


def _word(op: WordOp | Run, style: Style) -> str:
    if op.op == "equal":
        return op.text
    if style is _plain:
        return f"[-{op.text}-]" if op.op == "delete" else f"{{+{op.text}+}}"
    if op.op == "delete":
        return style(op.text, fg="red", strikethrough=True)
    return style(op.text, fg="green", underline=True)


def _strike(text: str, style: Style) -> str:
    return f"[-{text}-]" if style is _plain else style(text, strikethrough=True)


def _plain(text: str, **_: object) -> str:
    return text
