"""Paragraph text: runs of white space squashed, pasted plain text cut at numbered lines, long
paragraphs cut into sentences."""

from __future__ import annotations

import re

from drafttrack.numbering import is_label_only, starts_with_number

LONG_PARAGRAPH = 2000
"""Paragraphs longer than this many characters are split into sentences, so that a one-word
edit in a long paragraph reads as a change to one sentence, not to a page."""


_SPACE = re.compile(r"[ \t\r\n]+")
_RUNS = ("  ", "\n ", " \n", "\n\n", "\t", "\r")


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'\u201c\u201e\u00ab(]?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Art|Abs|Nr|No|Sec|S|Satz|vgl|bzw|z|B|e|g|i|Dr|Mr|Ms|St)\.|\d\.)$"
)


def squash(text: str) -> str:
    """``text`` with each run of spaces, tabs and line breaks made one space (re-wrapping a
    paragraph changes nothing). Hard-wrapped prose has single breaks only: those are replaced
    without the regular expression."""
    if any(run in text for run in _RUNS):
        return _SPACE.sub(" ", text)
    return text.replace("\n", " ")


def _plain_parts(content: str) -> list[tuple[int, str]]:
    """Split a paragraph at lines that open a new numbered clause (pasted plain text).

    A line starting with a clause number opens a new part when the previous line ends a
    sentence or is itself only a label; a hard-wrapped line that happens to start with a
    number ("Artikel 145 Abs. 3 …" after "gemäß") stays in its sentence.
    """
    lines = content.split("\n")
    parts: list[tuple[int, list[str]]] = [(0, [lines[0]])]
    for n, line in enumerate(lines[1:], 1):
        prev = lines[n - 1].rstrip()
        ends = prev.endswith((".", ";", ":", "!", "?")) and not _ABBREVIATION.search(prev)
        if starts_with_number(line) and (ends or is_label_only(prev)):
            parts.append((n, [line]))
        elif is_label_only(prev) and len(parts[-1][1]) == 1:
            parts.append((n, [line]))
        else:
            parts[-1][1].append(line)
    return [(start, "\n".join(ls)) for start, ls in parts]


def _sentences(text: str) -> list[str]:
    """``text`` itself, or its sentences when it is longer than ``LONG_PARAGRAPH``."""
    if len(text) <= LONG_PARAGRAPH:
        return [text]
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, max(start, m.start() - 6), m.start()):
            continue
        out.append(text[start : m.start()])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s]
