"""Links and emphasis that web converters broke over blank lines, joined again before parsing.

Converted pages often write a link whose text was a block as ``[``, a blank line, the text, a
blank line, ``](#target)[`` … . Parsed as it stands, every piece is a paragraph of its own
(``[`` and ``](#target)`` become clauses), and the version that writes the same link on one
line looks entirely different. ``rejoin`` puts each such construct on one line, as a reader
sees it, and keeps the line count (the lines it frees become blank lines after it), so source
line maps of everything else stay right.
"""

from __future__ import annotations

import re

_TARGET = r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)"
"""The end of a link: ``](target)`` or ``](target "title")``."""
_OPENER = re.compile(rf"^[ \t]{{0,3}}(?:{_TARGET})?(\[|\*\*|__)[ \t]*$")
"""A line that opens a construct and nothing else: ``[``, ``**``, ``__``, or ``](#a)[``
(closing one link and opening the next)."""
_CLOSERS = {"[": re.compile(rf"^[ \t]*{_TARGET}"), "**": re.compile(r"^[ \t]*\*\*(?!\*)")}
_CLOSERS["__"] = re.compile(r"^[ \t]*__(?!_)")
_BLOCK_START = re.compile(r"^[ \t]*(?:#|>|\||```|~~~|[-+*][ \t]|\d+[.)][ \t])")
"""Lines that start a block of their own, never the inside of a broken link or emphasis."""

MAX_LINES = 40
"""How far a construct may reach: its text is a heading or a short paragraph or two."""


def rejoin(text: str) -> str:
    """``text`` with links and emphasis broken over blank lines each on one line."""
    if "\n\n" not in text or not ("[\n" in text or "**\n" in text or "__\n" in text):
        return text
    lines = text.split("\n")
    i = 0
    changed = False
    while i < len(lines):
        if _OPENER.match(lines[i]) and (i == 0 or _ends_block(lines[i - 1])):
            end = _construct_end(lines, i)
            if end is not None:
                joined = _joined(lines[i : end + 1])
                lines[i : end + 1] = [joined] + [""] * (end - i)
                changed = True
                i = end + 1
                continue
        i += 1
    return "\n".join(lines) if changed else text


def _ends_block(line: str) -> bool:
    """Whether a construct may start on the line after ``line``: a blank line or a heading."""
    return not line.strip() or line.lstrip().startswith("#")


def _construct_end(lines: list[str], start: int) -> int | None:
    """The last line of the construct (or chain of links) opening at ``start``, or None when
    it does not close, or closes without a blank line inside (markdown-it reads those)."""
    opener = _OPENER.match(lines[start])
    assert opener is not None
    mark = opener.group(1)
    blank_inside = False
    words = False
    j = start + 1
    while j < len(lines) and j - start <= MAX_LINES:
        line = lines[j]
        if not line.strip():
            blank_inside = True
        elif _CLOSERS[mark].match(line):
            if not words:
                return None
            again = _OPENER.match(line)
            if again and again.group(1) == mark == "[":
                words = False
            else:
                return j if blank_inside else None
        elif _BLOCK_START.match(line) or _OPENER.match(line):
            return None
        else:
            words = True
        j += 1
    return None


def _joined(lines: list[str]) -> str:
    """The non-blank lines of a construct on one line: markup glued to the words it encloses,
    words of consecutive lines separated by one space."""
    out = ""
    previous_words = False
    for line in lines:
        piece = line.strip()
        if not piece:
            continue
        words = not (_OPENER.match(piece) or any(c.match(piece) for c in _CLOSERS.values()))
        if words and previous_words:
            out += " "
        out += piece
        previous_words = words
    return out
