"""The fast path: chunks markdown-it would read as one paragraph, heading or tight bullet list,
read without parsing them."""

from __future__ import annotations

_MD_TRIM = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What markdown-it trims from a paragraph's content (its ``MD_TRIM_CHARS``)."""


def _plain_block(chunk: str) -> tuple[int, str, int] | None:
    """A chunk markdown-it reads as one paragraph, ATX heading or tight bullet list, read
    without parsing it, as (heading level or 0, content, lines); None for any other chunk.

    A paragraph qualifies when each line up to the trailing blank ones starts with a letter,
    or with ``**`` and a word: that opens no other block (headings, lists, quotes, fences,
    tables, HTML and code all start otherwise) and ends none. A heading qualifies when it is
    the only line and has no closing ``#``; a bullet list (level -1) when each line is an item
    with the same marker, one space and such a start.
    """
    lines = chunk.split("\n")
    height = len(lines)
    while height and not lines[height - 1].strip(" \t"):
        height -= 1
    if not height or "\0" in chunk:
        return None
    first = lines[0]
    if first[:1] == "#":
        level = len(first) - len(first.lstrip("#"))
        rest = first[level:]
        if height > 1 or level > 6 or rest[:1] not in (" ", "\t"):
            return None
        content = rest.strip(_MD_TRIM)
        if not content or rest.rstrip(" \t").endswith("#"):
            return None
        return level, content, 1
    if first[:2] in ("* ", "- ", "+ ") and first[2:3] != " ":
        marker = first[:2]
        for line in lines[:height]:
            if line[:2] != marker or not _starts_a_word(line[2:]):
                return None
        return -1, "", height
    for line in lines[:height]:
        if not _starts_a_word(line):
            return None
    return 0, "\n".join(lines[:height]).strip(_MD_TRIM), height


def _starts_a_word(line: str) -> bool:
    return line[:1].isalpha() or (line[:2] == "**" and line[2:3].isalnum())
