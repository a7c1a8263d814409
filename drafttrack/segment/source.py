"""The text as received: the size we parse at most, YAML front matter, how logs name a text."""

from __future__ import annotations

import re

from drafttrack.model import Clause
from drafttrack.normalize import WORD_RE

MAX_INPUT_CHARS = 64_000_000
"""Largest text we parse (about 9 million words): beyond this, parsing would exhaust memory."""


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def _called(lines: list[str]) -> str:
    """How a log message names a text: its first line with words."""
    first = next((line.strip() for line in lines if WORD_RE.search(line)), "")
    return f"the text starting {first[:60]!r}"


def _front_matter(body: str) -> list[Clause]:
    """YAML front matter: one clause per top-level key (continuation lines kept with it)."""
    out: list[list[str]] = []
    starts: list[int] = []
    for i, line in enumerate(body.split("\n"), 1):
        if not line.strip():
            continue
        if line[:1] in (" ", "\t", "-") and out:
            out[-1].append(line.strip())
        else:
            out.append([line.strip()])
            starts.append(i)
    return [
        Clause("", None, ("front matter",), " ".join(parts), "front_matter", (s, s + len(parts)))
        for parts, s in zip(out, starts, strict=True)
    ]
