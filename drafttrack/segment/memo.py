"""Chunks (stretches of a text markdown-it parses the same alone as in the whole text) and the
memo of their walks shared by the segmentations of one build."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from drafttrack import coverage
from drafttrack.model import Clause
from drafttrack.segment.plain import _MD_TRIM, _plain_block
from drafttrack.segment.walk import (
    _close_item,
    _has_stray_words,
    _Heading,
    _heading,
    _Item,
    _paragraph,
    _parser,
    _State,
    _walk,
)

if TYPE_CHECKING:
    from markdown_it.token import Token


Parsed = tuple[list["Token"], list[str], int]
"""A chunk's tokens cut from a parse of several chunks, that text's lines, and the chunk's
negated line offset in it (``_walk``'s ``base``)."""


class BlockMemo:
    """Block tokens of text chunks already parsed, shared by the segmentations of one build.

    Consecutive versions of a document share most of their paragraphs: segmenting a history,
    each distinct chunk (see ``chunks``) is parsed once, and only the clauses made of it are
    kept (not markdown-it's tokens). Bounded: cleared when it grows past ``limit`` chunks.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self.walks: dict[tuple[str, bool, tuple[tuple[int, str, str | None], ...]], _Walked] = {}
        self.texts: set[str] = set()
        """Chunk texts walked before (in any context)."""
        self.limit = limit
        self.parsed = 0
        """Chunks parsed so far (the others came from the memo)."""

    def parse(self, chunk: str) -> list[Token]:
        """Block tokens of ``chunk`` (maps relative to its first line); not kept, only what
        ``walk`` makes of them.

        A chunk that ``FOLLOWED`` ends is parsed with that line after it, as blocks end
        differently at the end of the text (an item's source map takes in the blank lines after
        it only when something follows); the line's own tokens are dropped.
        """
        self.parsed += 1
        tokens = _parser().parse(chunk)
        if chunk.endswith(FOLLOWED):
            last = chunk.count("\n")
            opened = tokens[-3] if len(tokens) >= 3 else None
            if opened is None or opened.type != "paragraph_open" or opened.map != [last, last + 1]:
                raise _Unchunkable(chunk[-80:])  # not seen on any text: parsed whole instead
            tokens = tokens[:-3]
        return tokens

    def walk(
        self,
        chunk: str,
        followed: bool,
        headings: _Walked,
        parsed: Parsed | None = None,
    ) -> _Walked:
        """Clauses of ``chunk`` (lines relative to it; ``followed``: more text comes after
        it) under the headings left open by ``headings`` (the chunk before), and the headings
        open after it: computed once per chunk text and incoming headings.

        ``parsed``: the chunk's tokens cut from a parse of several chunks, with that text's
        lines and the chunk's line offset in it negated (``_walk``'s ``base``); by default the
        chunk is parsed alone when needed.
        """
        key = (chunk, followed, headings.heading_key)
        found = self.walks.get(key)
        if found is None:
            if len(self.walks) >= self.limit:
                self.walks.clear()
                self.texts.clear()
            sub = _State(offset=0, headings=list(headings.headings))
            plain = _plain_block(chunk) if parsed is None else None
            if plain is not None:
                level, content, height = plain
                if level > 0:
                    _heading(level, content, [0, 1], sub)
                elif level == 0:
                    _paragraph(content, [0, height], sub)
                else:
                    for k, line in enumerate(chunk.split("\n")[:height]):
                        sub.items.append(_Item(None, len(sub.clauses), [k, k + 1]))
                        _paragraph(line[2:].strip(_MD_TRIM), [k, k + 1], sub)
                        _close_item(sub)
                covered = set(range(height))
            elif parsed is None:
                tokens = self.parse(chunk + FOLLOWED if followed else chunk)
                covered = _walk(tokens, chunk.split("\n"), sub)
            else:
                covered = _walk(parsed[0], parsed[1], sub, parsed[2])
            lines = chunk.split("\n")
            stray = _has_stray_words(lines, covered)
            lost: tuple[coverage.Span, ...] = ()
            if plain is None and not stray:  # a stray line is kept later, over the whole text
                lost = tuple(coverage.guard(lines, sub.clauses, 0, _context(headings.headings)))
            found = self.walks[key] = _Walked(
                tuple(_template(c) for c in sub.clauses),
                tuple(covered),
                tuple(sub.headings),
                tuple((h.level, h.text, h.number) for h in sub.headings),
                stray,
                lost,
            )
            self.texts.add(chunk)
        return found


def _needs_parse(chunk: str, memo: BlockMemo) -> bool:
    """Whether the memo has not walked ``chunk`` and it is not a plain block."""
    return chunk not in memo.texts and _plain_block(chunk) is None


class _Unchunkable(Exception):
    """A chunk did not parse as a chunk should."""


FOLLOWED = "\n\u2063"
"""Appended to a chunk that more text follows: a line at the margin (an invisible separator,
which no text of ours ends a chunk with) that opens a paragraph of its own."""


_Template = tuple[str | None, tuple[str, ...], str, str, tuple[int, int], tuple[str, ...]]


def _template(c: Clause) -> _Template:
    return (c.number, c.path, c.text, c.kind, c.lines, c.numbering)


@dataclass(slots=True, frozen=True)
class _Walked:
    """A chunk's clauses as (number, path, text, kind, lines, numbering), lines relative to
    the chunk ((0, 0): no source map), the lines covered, and the headings open after it."""

    clauses: tuple[_Template, ...]
    covered: tuple[int, ...]
    headings: tuple[_Heading, ...]
    heading_key: tuple[tuple[int, str, str | None], ...]
    stray: bool = False
    """Whether a line of the chunk has words no token took (``_recover_uncovered`` keeps them)."""
    lost: tuple[coverage.Span, ...] = ()
    """Stretches of the chunk whose clauses lost words, read as plain paragraphs instead."""


def _context(headings: tuple[_Heading, ...] | list[_Heading]) -> coverage.Context:
    """The path and numbering under ``headings``."""
    return tuple(h.text for h in headings), tuple(h.number for h in headings if h.number)


_START = _Walked((), (), (), ())
"""Where a text starts: no headings open."""


_UNCHUNKABLE = re.compile(r"\n[ \t]*(?:```|~~~|<)")
"""Fenced code and HTML blocks may run across blank lines: a text with them is one chunk."""


def _unchunkable(text: str) -> bool:
    """Whether a line of ``text`` (the first included) is one ``_UNCHUNKABLE`` finds."""
    return _UNCHUNKABLE.search("\n" + text) is not None


def chunks(lines: list[str]) -> list[tuple[int, int, int, int]]:
    """Chunks of a text that markdown-it parses the same alone as in the whole text: each as
    its line range ``[start, stop)`` and its character range in ``"\\n".join(lines)``.

    A chunk ends before a line that starts at the margin after one or more blank lines: no
    paragraph, list item, block quote, table or indented code block continues there, so the
    block structure before it cannot change what follows (link reference definitions consume
    their lines but, with inline parsing off, change no token). Blank lines stay with the
    chunk before them, so block ends (``token.map``) come out as in the whole text. Nor does a
    chunk start at a line opening with "[": a link reference definition gives no token, so the
    block after it would open its chunk, where the walk starts without the context the clause
    before leaves to the next one (a paragraph read as a heading, "Artikel 12 Abs. 2"). The
    caller checks ``_UNCHUNKABLE`` first.
    """
    out: list[tuple[int, int, int, int]] = []
    start = char_start = char = 0
    blank = False
    for n, line in enumerate(lines):
        if not line.strip(" \t"):
            blank = True
        else:
            if blank and n > start and line[0] not in " \t[":
                out.append((start, n, char_start, char - 1))
                start, char_start = n, char
            blank = False
        char += len(line) + 1
    out.append((start, len(lines), char_start, char - 1))
    return out


def _parse_chunks(chunks: list[str], followed: bool, memo: BlockMemo) -> list[Parsed]:
    """Parse consecutive chunks as one text (``followed``: more text comes after them); each
    token goes to the chunk where its source map starts (a token without one stays with the
    token before)."""
    run_lines = "\n".join(chunks).split("\n")
    starts = [0, *accumulate(chunk.count("\n") + 1 for chunk in chunks[:-1])]
    source = "\n".join(run_lines) + (FOLLOWED if followed else "")
    parts: list[list[Token]] = [[] for _ in starts]
    at = 0
    for tok in memo.parse(source):
        if tok.map is not None:
            at = bisect.bisect_right(starts, tok.map[0]) - 1
        parts[at].append(tok)
    return [(part, run_lines, -start) for part, start in zip(parts, starts, strict=True)]


def _placed(walked: _Walked, shift: int, unmapped: int) -> list[Clause]:
    """A walked chunk's clauses, its lines moved down by ``shift`` (clauses without a source
    map get line ``unmapped``)."""
    return [
        Clause(
            "",
            number,
            path,
            text,
            kind,
            (a + shift, b + shift) if b else (unmapped, unmapped),
            numbering,
        )
        for number, path, text, kind, (a, b), numbering in walked.clauses
    ]


_CHUNK_BREAK = re.compile(r"(\n[ \t]*)\n(?=[^ \t\n\[])")
"""A line end, a blank line and a line at the margin: a chunk starts there (see ``chunks``);
the group is what stays with the chunk before."""

_BLANK_START = re.compile(r"[ \t]*\n(?=[^ \t\n\[])")


def chunk_texts(text: str) -> list[str]:
    """The texts of ``chunks`` of ``text`` (``\\n`` line ends), found by regular expressions."""
    head: list[str] = []
    first = _BLANK_START.match(text)
    if first:
        head.append(text[: first.end() - 1])
        text = text[first.end() :]
    parts = _CHUNK_BREAK.split(text)
    return [*head, *map(str.__add__, parts[0:-1:2], parts[1::2]), parts[-1]]
