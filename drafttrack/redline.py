"""The redline a reader sees: word changes on the visible text, with its formatting.

``redline_runs`` turns a change's clause texts into runs of visible text — equal, deleted or
inserted — each carrying the formatting that shows it (bold, italic, strike, code, a link and
its target). Texts without inline markup give exactly the runs of the change's word diff. No
HTML here: renderers (viewer, HTML/PDF/DOCX reports) decide how a run looks, and use
``needs_gap`` so a deletion directly followed by an insertion never reads as one word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drafttrack.inline import Inline, has_markup, joined, parse_inline
from drafttrack.model import WordOp
from drafttrack.worddiff import word_diff


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of visible text with one operation and one formatting."""

    op: str
    """equal | insert | delete"""
    text: str
    marks: tuple[str, ...] = ()
    """strong, em, strike, code, link, image (outermost first)."""
    target: str | None = None
    """The link's target when ``marks`` holds ``link``."""


def formatted(text: str, op: str = "equal") -> list[Run]:
    """One clause text as runs of visible text, all with ``op``."""
    if not has_markup(text):
        return [Run(op, text)] if text else []
    inline = parse_inline(text)
    return _cut(inline, 0, len(inline.visible), op)


def formatted_many(texts: Sequence[str], op: str = "equal") -> list[Run]:
    """Several clause texts joined by spaces, as runs."""
    if not any(has_markup(t) for t in texts):
        joined_text = " ".join(texts)
        return [Run(op, joined_text)] if joined_text else []
    inline = joined(list(texts))
    return _cut(inline, 0, len(inline.visible), op)


def redline_runs(
    old_texts: Sequence[str], new_texts: Sequence[str], words: Sequence[WordOp]
) -> list[Run]:
    """Both sides of a reworded, split or merged change in one redline of visible words
    (equal text formatted as the new side shows it).

    ``words`` is the change's word diff of the source texts; it is used as it is when neither
    side has inline markup, else the visible texts are diffed again."""
    return _redline(old_texts, new_texts, words, "new")


def side_runs(
    old_texts: Sequence[str], new_texts: Sequence[str], words: Sequence[WordOp]
) -> tuple[list[Run], list[Run]]:
    """The old side (equal and deleted runs, formatted as the old text) and the new side
    (equal and inserted runs, formatted as the new text) of ``redline_runs``."""
    old = [r for r in _redline(old_texts, new_texts, words, "old") if r.op != "insert"]
    return old, [r for r in _redline(old_texts, new_texts, words, "new") if r.op != "delete"]


def _redline(
    old_texts: Sequence[str], new_texts: Sequence[str], words: Sequence[WordOp], equal: str
) -> list[Run]:
    if not any(has_markup(t) for t in (*old_texts, *new_texts)):
        return [Run(w.op, w.text) for w in words]
    old, new = joined(list(old_texts)), joined(list(new_texts))
    out: list[Run] = []
    at_old = at_new = 0
    for w in word_diff(old.visible, new.visible):
        n = len(w.text)
        if w.op == "delete":
            out.extend(_cut(old, at_old, at_old + n, "delete"))
            at_old += n
        elif w.op == "insert":
            out.extend(_cut(new, at_new, at_new + n, "insert"))
            at_new += n
        else:
            if equal == "old":
                out.extend(_cut(old, at_old, at_old + n, "equal"))
            else:
                out.extend(_cut(new, at_new, at_new + n, "equal"))
            at_old += n
            at_new += n
    return out


def needs_gap(previous: Run | None, run: Run) -> bool:
    """True when ``run`` is an insertion right after a deletion with no white space between:
    a renderer then puts a space there, so each word stays whole on screen and in a PDF's
    text layer ("environment Promoting", not "environmentPromoting")."""
    if previous is None or previous.op != "delete" or run.op != "insert":
        return False
    return (
        bool(previous.text)
        and bool(run.text)
        and not (previous.text[-1].isspace() or run.text[0].isspace())
    )


def _cut(inline: Inline, start: int, end: int, op: str) -> list[Run]:
    """``inline.visible[start:end]`` as runs, cut where its formatting changes."""
    if not inline.spans:
        return [Run(op, inline.visible[start:end])] if end > start else []
    points = [start, *(p for p in inline.cuts() if start < p < end), end]
    out: list[Run] = []
    for a, b in zip(points, points[1:], strict=False):
        if b <= a:
            continue
        marks, target = inline.marks_at(a, b)
        text = inline.visible[a:b]
        if out and out[-1].marks == marks and out[-1].target == target:
            out[-1] = Run(op, out[-1].text + text, marks, target)
        else:
            out.append(Run(op, text, marks, target))
    return out
