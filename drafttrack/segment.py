"""Split a version's Markdown (or pasted plain text) into clauses.

markdown-it-py's block tokens give the structure: headings open paths, and paragraphs, list items
(nested), table rows, block quotes and code blocks become clauses, each with its source lines
(``token.map``). Clause numbers come from list markers or from the text (see ``numbering``).
Plain text without Markdown structure is split at numbered lines; very long paragraphs are split
into sentences. Every word of the input ends up in some clause's number or text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from drafttrack.errors import InputTooLarge
from drafttrack.model import Clause
from drafttrack.normalize import WORD_RE
from drafttrack.numbering import is_label_only, split_number, starts_with_number

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_INPUT_CHARS = 64_000_000
"""Largest text we parse (about 9 million words): beyond this, parsing would exhaust memory."""

LONG_PARAGRAPH = 2000
"""Paragraphs longer than this many characters are split into sentences, so that a one-word
edit in a long paragraph reads as a change to one sentence, not to a page."""

PSEUDO_HEADING_LEVEL = 7
"""Level given to a paragraph that is only a label ("Article L1"): below every Markdown heading."""

_SPACE = re.compile(r"[ \t\r\n]+")
_RUNS = ("  ", "\n ", " \n", "\n\n", "\t", "\r")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'\u201c\u201e\u00ab(]?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Art|Abs|Nr|No|Sec|S|Satz|vgl|bzw|z|B|e|g|i|Dr|Mr|Ms|St)\.|\d\.)$"
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Block structure only: clauses keep their inline Markdown as source text, so the inline
    parser (half the parse time) is not needed. Built on first use: a comparison whose
    segmentations are cached never imports markdown-it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default", {"typographer": False}).disable("inline")


@dataclass(slots=True)
class _Heading:
    level: int
    text: str
    number: str | None


@dataclass(slots=True)
class _Item:
    number: str | None
    at: int
    """Index in the clause list where this item's clause belongs."""
    map: list[int] | None
    has_clause: bool = False


@dataclass(slots=True)
class _State:
    offset: int
    clauses: list[Clause] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    quote_depth: int = 0
    heading_context: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """Path and numbers of ``headings``, computed once per change of headings."""

    def close_headings(self, level: int) -> None:
        """Leave the headings at ``level`` or deeper."""
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
            self.heading_context = None

    def open_heading(self, heading: _Heading) -> None:
        """Enter ``heading``: the clauses that follow are under it."""
        self.headings.append(heading)
        self.heading_context = None


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
        parsed: tuple[list[Token], list[str], int] | None = None,
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
            if parsed is None:
                tokens = self.parse(chunk + FOLLOWED if followed else chunk)
                covered = _walk(tokens, chunk.split("\n"), sub)
            else:
                covered = _walk(parsed[0], parsed[1], sub, parsed[2])
            found = self.walks[key] = _Walked(
                tuple(_template(c) for c in sub.clauses),
                tuple(covered),
                tuple(sub.headings),
                tuple((h.level, h.text, h.number) for h in sub.headings),
            )
            self.texts.add(chunk)
        return found


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


_START = _Walked((), (), (), ())
"""Where a text starts: no headings open."""


_UNCHUNKABLE = re.compile(r"^[ \t]*(?:```|~~~|<)", re.M)
"""Fenced code and HTML blocks may run across blank lines: a text with them is one chunk."""


def chunks(lines: list[str]) -> list[tuple[int, int, int, int]]:
    """Chunks of a text that markdown-it parses the same alone as in the whole text: each as
    its line range ``[start, stop)`` and its character range in ``"\\n".join(lines)``.

    A chunk ends before a line that starts at the margin after one or more blank lines: no
    paragraph, list item, block quote, table or indented code block continues there, so the
    block structure before it cannot change what follows (link reference definitions consume
    their lines but, with inline parsing off, change no token). Blank lines stay with the
    chunk before them, so block ends (``token.map``) come out as in the whole text. The caller
    checks ``_UNCHUNKABLE`` first.
    """
    out: list[tuple[int, int, int, int]] = []
    start = char_start = char = 0
    blank = False
    for n, line in enumerate(lines):
        if not line.strip(" \t"):
            blank = True
        else:
            if blank and n > start and line[0] not in " \t":
                out.append((start, n, char_start, char - 1))
                start, char_start = n, char
            blank = False
        char += len(line) + 1
    out.append((start, len(lines), char_start, char - 1))
    return out


def segment(text: str, memo: BlockMemo | None = None) -> list[Clause]:
    """The clauses of ``text`` in reading order, keyed ``c1``, ``c2``, …

    With ``memo``, the text is parsed chunk by chunk and chunks parsed before are not parsed
    again (the result is the same as without).
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLarge(f"text of {len(text):,} characters exceeds {MAX_INPUT_CHARS:,}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    clauses: list[Clause] = []
    offset = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        clauses.extend(_front_matter(fm.group(1)))
        offset = fm.group(0).count("\n")
        text = text[fm.end() :]
    lines = text.split("\n")
    state = _State(offset=offset, clauses=clauses)
    covered = None
    if memo is not None and not _UNCHUNKABLE.search(text):
        front = len(clauses)
        try:
            covered = _chunked(text, lines, state, memo)
        except _Unchunkable:
            del clauses[front:]
            state = _State(offset=offset, clauses=clauses)
    if covered is None:
        covered = _walk(_parser().parse(text), lines, state)
    _recover_uncovered(lines, covered, state)
    for i, clause in enumerate(clauses, 1):
        clause.key = f"c{i}"
    return clauses


def _chunked(text: str, lines: list[str], state: _State, memo: BlockMemo) -> set[int]:
    """``_walk`` over the whole text, done chunk by chunk through ``memo``.

    Chunks the memo has not seen are parsed together, each run of consecutive ones in one go
    (markdown-it's set-up per parse costs more than a short chunk's parsing), and the tokens are
    cut at the chunk boundaries: a first version is parsed about as fast as whole.
    """
    covered: set[int] = set()
    clauses, offset = state.clauses, state.offset
    walked = _START
    end = len(lines)
    spans = chunks(lines)
    chunk_texts = [text[a:b] for _s, _t, a, b in spans]
    unseen = [t not in memo.texts for t in chunk_texts]
    run: dict[int, tuple[list[Token], list[str], int]] = {}
    for i, (start, stop, _a, _b) in enumerate(spans):
        parsed = None
        if unseen[i]:
            if i not in run:  # the first chunk of a run
                run = _parse_run(lines, spans, unseen, i, memo)
            parsed = run[i]
        walked = memo.walk(chunk_texts[i], stop < end, walked, parsed)
        shift = start + offset
        for number, path, ctext, kind, (a, b), numbering in walked.clauses:
            where = (a + shift, b + shift) if b else (offset, offset)
            clauses.append(Clause("", number, path, ctext, kind, where, numbering))
        covered.update(map(start.__add__, walked.covered))
    state.headings = list(walked.headings)
    state.heading_context = None
    return covered


def _parse_run(
    lines: list[str],
    spans: list[tuple[int, int, int, int]],
    unseen: list[bool],
    first: int,
    memo: BlockMemo,
) -> dict[int, tuple[list[Token], list[str], int]]:
    """Parse the run of unseen chunks from ``first`` as one text; per chunk, its tokens (each
    token goes to the chunk where its source map starts; a token without one stays with the
    token before), that text's lines and the chunk's negated line offset in it."""
    last = first
    while last + 1 < len(spans) and unseen[last + 1]:
        last += 1
    top, bottom = spans[first][0], spans[last][1]
    run_lines = lines[top:bottom]
    source = "\n".join(run_lines) + (FOLLOWED if bottom < len(lines) else "")
    starts = [spans[i][0] - top for i in range(first, last + 1)]
    parts: list[list[Token]] = [[] for _ in starts]
    at = 0
    for tok in memo.parse(source):
        if tok.map is not None:
            at = bisect.bisect_right(starts, tok.map[0]) - 1
        parts[at].append(tok)
    return {first + k: (parts[k], run_lines, -starts[k]) for k in range(len(starts))}


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


def _walk(tokens: list[Token], lines: list[str], st: _State, base: int = 0) -> set[int]:
    """Turn block tokens into clauses; return the source lines they cover.

    ``tokens`` and ``lines`` may be a chunk of the text starting at line ``base``.
    """
    covered: set[int] = set()
    for i, tok in enumerate(tokens):
        t = tok.type
        m = tok.map
        if m and base:
            m = [m[0] + base, m[1] + base]
        if m and t in ("heading_open", "paragraph_open", "tr_open", "fence", "code_block"):
            covered.update(range(*m))
        if t == "heading_open":
            _heading(int(tok.tag[1:]), tokens[i + 1].content, m, st)
        elif t == "list_item_open":
            number = f"{tok.info}{tok.markup}".rstrip(".") if tok.info else None
            st.items.append(_Item(number or None, len(st.clauses), m))
        elif t == "list_item_close":
            _close_item(st)
        elif t == "blockquote_open":
            st.quote_depth += 1
        elif t == "blockquote_close":
            st.quote_depth -= 1
        elif t == "paragraph_open":
            _paragraph(tokens[i + 1].content, m, st)
        elif t == "tr_open" and m:
            row = lines[m[0] - base].strip()
            _add(st, None, row, "table_row", m)
        elif t == "code_block" and m:
            _indented(tok.content, m[0], st)
        elif t == "fence" and m:
            raw = "\n".join(lines[m[0] - base : m[1] - base]).strip("\n")
            _add(st, None, raw, "code", m)
    return covered


def _close_item(st: _State) -> None:
    """An item without a paragraph of its own ("1." alone, or only a nested list) keeps its
    number as an empty clause, so no number is lost."""
    item = st.items[-1]
    if not item.has_clause and item.number:
        at = len(st.clauses)
        _add(st, item.number, "", "list_item", item.map, in_items=False)
        st.clauses.insert(item.at, st.clauses.pop(at))
    st.items.pop()


def _heading(level: int, content: str, map_: list[int] | None, st: _State) -> None:
    text = squash(content).strip()
    st.close_headings(level)
    number = split_number(text)[0]
    _add(st, number, text, "heading", map_, in_items=False)
    st.open_heading(_Heading(level, text, number))


def _paragraph(content: str, map_: list[int] | None, st: _State) -> None:
    item = st.items[-1] if st.items else None
    if item is not None and not item.has_clause:
        item.has_clause = True
        text = squash(content).strip()
        number = item.number or split_number(text)[0]
        _add(st, number, text, "list_item", map_, in_items=False)
        return
    kind = "blockquote" if st.quote_depth else "paragraph"
    first = map_[0] if map_ else 0
    for start, part in _plain_parts(content):
        text = squash(part).strip()
        if not text:
            continue
        part_map = [first + start, first + start + part.count("\n") + 1]
        if item is None and is_label_only(text):
            st.close_headings(PSEUDO_HEADING_LEVEL)
            number = split_number(text)[0]
            _add(st, number, text, "heading", part_map)
            st.open_heading(_Heading(PSEUDO_HEADING_LEVEL, text, number))
            continue
        for j, sentence in enumerate(_sentences(text)):
            number = split_number(sentence)[0] if j == 0 else None
            _add(st, number, sentence, kind, part_map)


def squash(text: str) -> str:
    """``text`` with each run of spaces, tabs and line breaks made one space (re-wrapping a
    paragraph changes nothing). Hard-wrapped prose has single breaks only: those are replaced
    without the regular expression."""
    if any(run in text for run in _RUNS):
        return _SPACE.sub(" ", text)
    return text.replace("\n", " ")


def _indented(content: str, first: int, st: _State) -> None:
    """An indented block: in a policy text, wrapped sub-items rather than code. Each
    blank-line-separated chunk is read as a paragraph of pasted text."""
    start = 0
    for chunk in re.split(r"(\n[ \t]*\n)", content):
        if chunk.strip() and not chunk.startswith("\n"):
            _paragraph(
                chunk.strip("\n"), [first + start, first + start + chunk.count("\n") + 1], st
            )
        start += chunk.count("\n")


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


def _add(
    st: _State,
    number: str | None,
    text: str,
    kind: str,
    map_: list[int] | None,
    *,
    in_items: bool = True,
) -> None:
    """Append a clause with its path (headings, then enclosing list item numbers)."""
    context = st.heading_context
    if context is None:
        context = st.heading_context = (
            tuple(h.text for h in st.headings),
            tuple(h.number for h in st.headings if h.number),
        )
    path, numbering = context
    items = st.items if in_items else st.items[:-1]
    if items:
        numbers = tuple(it.number for it in items if it.number)
        path += numbers
        numbering += numbers
    if number:
        numbering += (number,)
    begin, end = (map_[0], map_[1]) if map_ else (0, 0)
    lines = (begin + st.offset, end + st.offset)
    st.clauses.append(Clause("", number, path, text, kind, lines, numbering))


def _recover_uncovered(lines: list[str], covered: set[int], st: _State) -> None:
    """Keep words markdown-it consumed without a token (link reference definitions)."""
    extra: list[Clause] = []
    for n, line in enumerate(lines):
        if line and n not in covered and WORD_RE.search(line) and not _is_markup_only(line):
            where = (n + st.offset, n + 1 + st.offset)
            extra.append(Clause("", None, (), line.strip(), "paragraph", where))
    if not extra:
        return
    merged = st.clauses + extra
    merged.sort(key=lambda c: c.lines[0])
    st.clauses[:] = merged


def _is_markup_only(line: str) -> bool:
    """Lines whose words are markup already kept elsewhere (list markers, heading hashes)."""
    stripped = line.strip().lstrip(">").strip()
    return not WORD_RE.search(re.sub(r"^(?:[-*+]|\d+[.)]|#+)\s*", "", stripped))
