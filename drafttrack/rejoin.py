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
_LINK_OPEN = re.compile(rf"^[ \t]{{0,3}}(?:{_TARGET})?\[[^\[\]]*$")
"""A line that opens a link left open at its end: ``[``, ``[What Products``, or ``](#a)[``
(closing one link and opening the next)."""
_LINK_CLOSE = re.compile(rf"^[^\[\]]*{_TARGET}")
"""A line that closes the open link: ``](#a)``, ``cover?](#a)``, maybe with more after it."""
_EMPHASIS = re.compile(r"^[ \t]{0,3}(\*\*|__)[ \t]*$")
"""A line that is an emphasis marker alone: ``**`` or ``__``."""
_BLOCK_START = re.compile(r"^[ \t]*(?:#|>|\||```|~~~|[-+*][ \t]|\d+[.)][ \t])")
"""Lines that start a block of their own, never the inside of a broken link or emphasis."""

MAX_LINES = 40
"""How far a construct may reach: its text is a heading or a short paragraph or two."""


def rejoin(text: str) -> str:
    """``text`` with links and emphasis broken over blank lines each on one line."""
    if "\n\n" not in text or not ("[" in text or "**\n" in text or "__\n" in text):
        return text
    lines = text.split("\n")
    i = 0
    changed = False
    while i < len(lines):
        line = lines[i]
        end = None
        if "[" in line or "*" in line or "_" in line:
            if i == 0 or _ends_block(lines[i - 1]):
                end = _construct_end(lines, i)
        if end is not None:
            lines[i : end + 1] = [_joined(lines[i : end + 1])] + [""] * (end - i)
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
    there is none, it does not close, or it has no blank line inside (markdown-it reads those)."""
    first = lines[start]
    if _LINK_OPEN.match(first):
        return _link_end(lines, start)
    m = _EMPHASIS.match(first)
    if m:
        return _emphasis_end(lines, start, m.group(1))
    return None


def _link_end(lines: list[str], start: int) -> int | None:
    words = bool(_after_bracket(lines[start]))
    blank_inside = False
    for j in range(start + 1, min(len(lines), start + MAX_LINES + 1)):
        line = lines[j]
        if not line.strip():
            blank_inside = True
            continue
        m = _LINK_CLOSE.match(line)
        if m:
            words = words or bool(line[: line.index("](")].strip())
            if not words:
                return None
            rest = line[m.end() :]
            if re.fullmatch(r"\[[^\[\]]*", rest.rstrip()):
                words = bool(rest.strip()[1:])
                continue
            return j if blank_inside else None
        if "[" in line or "]" in line or _BLOCK_START.match(line):
            return None
        words = True
    return None


def _after_bracket(line: str) -> str:
    """The text after the last ``[`` of a link-opening line."""
    return line[line.rindex("[") + 1 :].strip()


def _emphasis_end(lines: list[str], start: int, mark: str) -> int | None:
    words = False
    blank_inside = False
    for j in range(start + 1, min(len(lines), start + MAX_LINES + 1)):
        line = lines[j]
        if not line.strip():
            blank_inside = True
        elif line.strip() == mark:
            return j if words and blank_inside else None
        elif _BLOCK_START.match(line) or _EMPHASIS.match(line) or _LINK_OPEN.match(line):
            return None
        else:
            words = True
    return None


def _joined(lines: list[str]) -> str:
    """The non-blank lines of a construct on one line: markup glued to the words it encloses
    (no space after an opening ``[`` or marker, none before ``](`` or a closing marker),
    words of consecutive lines separated by one space."""
    pieces = [line.strip() for line in lines if line.strip()]
    out = pieces[0]
    for piece in pieces[1:]:
        if not (_opens(out) or piece.startswith(("](", "**", "__"))):
            out += " "
        out += piece
    return out


def _opens(text: str) -> bool:
    """Whether ``text`` ends with an opening mark (``[``, or a marker with nothing after it)."""
    return text.endswith("[") or text in ("**", "__")
