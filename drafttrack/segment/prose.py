"""Whether an indented block is laid-out prose or program code."""

from __future__ import annotations

import re

_CODE_CHARS = frozenset("<>=|\\$^~`")
"""Characters common in program code and rare in prose."""

_CODE_SYNTAX = re.compile(
    r"\w\([^()\n]*\)\s*[:{;]\s*$|\w\(\)|[{[]\s*$|^\s*[}\]]"
    r"|^\s*(?:def|import|return|function|const|var)\s",
    re.M,
)
"""Calls that end a line of code, empty calls, braces that open or close lines, and keywords
that start lines of code: each counts as ``CODE_SYNTAX_WEIGHT`` code characters (braces inside
a line are prose too: chemical names in the laws' annexes)."""

CODE_SYNTAX_WEIGHT = 3

CODE_SHARE = 0.02
"""An indented block is code when more than this share of its characters is code's."""


def _looks_like_prose(content: str) -> bool:
    """Whether an indented block reads as prose (or as lists of words and figures): (almost)
    none of the characters and syntax of program code."""
    chars = "".join(content.split())
    code = sum(ch in _CODE_CHARS for ch in chars)
    code += CODE_SYNTAX_WEIGHT * len(_CODE_SYNTAX.findall(content))
    return code <= CODE_SHARE * len(chars)
