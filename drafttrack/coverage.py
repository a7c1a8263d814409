"""Every word of a text in some clause: the check run on each segmentation, and its fallback.

A stretch of a text is a run of blank-line-separated blocks that no clause crosses. The words
of a stretch must all be in the texts and numbers of the clauses that start in it; a stretch
that loses one is read again as plain blank-line paragraphs, which cannot lose a word.

Cheap first: when the clauses, in order, hold exactly the text's characters but for ASCII
white space and punctuation (markup), no word is lost; only otherwise are words counted, for
the whole text, then stretch by stretch.
"""

from __future__ import annotations

import logging
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from drafttrack.model import Clause
from drafttrack.normalize import WORD_RE
from drafttrack.numbering import split_number

log = logging.getLogger("drafttrack.segment")

Span = tuple[int, int]
"""Lines ``[start, stop)`` of a text, 0-based."""

_SPACE = re.compile(r"[ \t\r\n]+")


def clause_words(clauses: Iterable[Clause]) -> Counter[str]:
    """The words of the clauses' numbers and texts."""
    found = WORD_RE.findall
    out: Counter[str] = Counter()
    for c in clauses:
        out.update(found(c.text))
        if c.number:
            out.update(found(c.number))
    return out


def uncovered(lines: Sequence[str], clauses: Sequence[Clause], offset: int = 0) -> list[Span]:
    """The stretches of ``lines`` (line ``offset`` of the text first) with words no clause
    has, as line spans of the text, in order (empty: every word is covered)."""
    source = "\n".join(lines)
    if _letters(source) == _clause_letters(clauses):
        return []
    if not Counter(WORD_RE.findall(source)) - clause_words(clauses):
        return []
    out: list[Span] = []
    for start, stop, inside in _stretches(lines, clauses, offset):
        text = "\n".join(lines[start - offset : stop - offset])
        if Counter(WORD_RE.findall(text)) - clause_words(inside):
            out.append((start, stop))
    return out


Context = tuple[tuple[str, ...], tuple[str, ...]]
"""A path and numbering: where a clause stands (headings and items, their numbers)."""


_NOT_LETTERS = bytes(string.whitespace + string.punctuation, "ascii")
"""ASCII white space and punctuation: markup, list markers, what re-wrapping changes."""


def _letters(text: str) -> bytes:
    """``text`` without ASCII white space and punctuation, as UTF-8 (C speed: a text of a
    million characters takes about a millisecond)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _NOT_LETTERS)


def _clause_letters(clauses: Iterable[Clause]) -> bytes:
    """``_letters`` of the clauses in order, each list item's number first when its marker
    gave it (the text does not start with it)."""
    parts = []
    for c in clauses:
        if c.number and c.kind == "list_item" and not _starts_with(c.text, c.number):
            parts.append(c.number)
        parts.append(c.text)
    return _letters("".join(parts))


def _starts_with(text: str, number: str) -> bool:
    """Whether ``text`` opens with ``number`` as a whole (``10 …`` does not open with ``1``)."""
    return text.startswith(number) and not text[len(number) : len(number) + 1].isalnum()


def guard(
    lines: Sequence[str], clauses: list[Clause], offset: int = 0, headings: Context = ((), ())
) -> list[Span]:
    """Make ``clauses`` (of ``lines``, line ``offset`` first) cover every word: each stretch
    that loses words gets plain paragraphs instead of its clauses. Returns those stretches.

    The paragraphs stand where the stretch's first clause stood, or under the headings open
    there (``headings``: those open before ``lines``)."""
    lost = uncovered(lines, clauses, offset)
    if not lost:
        return []
    out: list[Clause] = []
    spans = iter(lost)
    span = next(spans, None)
    first: Clause | None = None
    for c in clauses:
        while span is not None and c.lines[0] >= span[1]:
            out += _paragraphs(lines, span, offset, _where(first) if first else headings)
            span, first = next(spans, None), None
        if span is not None and span[0] <= c.lines[0] < span[1]:
            first = first or c
            continue
        out.append(c)
        if c.kind == "heading":
            headings = ((*c.path, c.text), c.numbering)
    while span is not None:
        out += _paragraphs(lines, span, offset, _where(first) if first else headings)
        span, first = next(spans, None), None
    clauses[:] = out
    return lost


def _where(c: Clause) -> Context:
    """The path and numbering ``c`` stands under (its own number left out)."""
    numbering = c.numbering
    if c.number and numbering[-1:] == (c.number,):
        numbering = numbering[:-1]
    return c.path, numbering


def report(where: str, lost: Sequence[Span]) -> None:
    """Log, once for a version, the stretches read as plain paragraphs (1-based lines)."""
    if lost:
        shown = ", ".join(f"{a + 1}-{b}" if b > a + 1 else f"{a + 1}" for a, b in lost)
        log.warning(
            "segmentation left words out of %s at lines %s: read as plain paragraphs",
            where,
            shown,
        )


def _blocks(lines: Sequence[str], offset: int) -> list[Span]:
    """Blank-line-separated blocks of ``lines`` as text line spans."""
    out: list[Span] = []
    start = None
    for n, line in enumerate(lines):
        if line.strip(" \t"):
            if start is None:
                start = n
        elif start is not None:
            out.append((start + offset, n + offset))
            start = None
    if start is not None:
        out.append((start + offset, len(lines) + offset))
    return out


def _stretches(
    lines: Sequence[str], clauses: Sequence[Clause], offset: int
) -> list[tuple[int, int, list[Clause]]]:
    """Blocks merged where a clause crosses from one into the next, each with the clauses
    that start in it (a clause starting on a blank line goes to the block before)."""
    blocks = _blocks(lines, offset)
    if not blocks:
        return []
    merged: list[list[Any]] = [[blocks[0][0], blocks[0][1], []]]
    order = sorted(clauses, key=lambda c: c.lines[0])
    i = 0
    for b_start, b_stop in blocks[1:]:
        reach = merged[-1][1]
        while i < len(order) and order[i].lines[0] < b_start:
            reach = max(reach, order[i].lines[1])
            merged[-1][2].append(order[i])
            i += 1
        if reach > b_start:
            merged[-1][1] = max(b_stop, reach)
        else:
            merged.append([b_start, b_stop, []])
    merged[-1][2].extend(order[i:])
    return [(a, b, inside) for a, b, inside in merged]


def _paragraphs(lines: Sequence[str], span: Span, offset: int, where: Context) -> list[Clause]:
    """The blocks of ``span`` as paragraphs standing at ``where``."""
    path, numbering = where
    out = []
    for start, stop in _blocks(lines[span[0] - offset : span[1] - offset], span[0]):
        text = _SPACE.sub(" ", "\n".join(lines[start - offset : stop - offset])).strip()
        number = split_number(text)[0]
        own = (*numbering, number) if number else numbering
        out.append(Clause("", number, path, text, "paragraph", (start, stop), own))
    return out
