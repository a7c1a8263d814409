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
from itertools import accumulate
from typing import TYPE_CHECKING

from drafttrack import coverage
from drafttrack.errors import InputTooLarge
from drafttrack.model import Clause
from drafttrack.normalize import WORD_RE
from drafttrack.numbering import is_label_only, split_number, starts_with_number
from drafttrack.rejoin import rejoin

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
    text = rejoin(text.replace("\r\n", "\n").replace("\r", "\n"))
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
    front = len(clauses)
    lost: list[coverage.Span] = []
    guarded = False
    if memo is not None and not _unchunkable(text):
        try:
            covered, guarded = _chunked(text, lines, state, memo, lost)
        except _Unchunkable:
            del clauses[front:]
            lost.clear()
            state = _State(offset=offset, clauses=clauses)
    if covered is None:
        covered = _walk(_parser().parse(text), lines, state)
    _recover_uncovered(lines, covered, state)
    if not guarded:  # chunks without stray lines were each guarded when first walked
        body = clauses[front:]
        lost += coverage.guard(lines, body, offset)
        clauses[front:] = body
    if lost:
        coverage.report(_called(lines), sorted(lost))
    for i, clause in enumerate(clauses, 1):
        clause.key = f"c{i}"
    return clauses


def uncovered_stretches(text: str, clauses: list[Clause]) -> list[coverage.Span]:
    """The stretches of ``text`` (0-based line spans) with words none of ``clauses``, its
    segmentation, has (front matter is checked by ``_front_matter``, which keeps every line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    offset = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        offset = fm.group(0).count("\n")
        text = text[fm.end() :]
    body = [c for c in clauses if c.kind != "front_matter"]
    return coverage.uncovered(text.split("\n"), body, offset)


def _chunked(
    text: str, lines: list[str], state: _State, memo: BlockMemo, lost: list[coverage.Span]
) -> tuple[set[int], bool]:
    """``_walk`` over the whole text, done chunk by chunk through ``memo``, and whether each
    chunk went through the guard (none has stray lines); the stretches of chunks read as plain
    paragraphs are added to ``lost``.

    Chunks the memo has not seen are parsed together, each run of consecutive ones in one go
    (markdown-it's set-up per parse costs more than a short chunk's parsing), and the tokens are
    cut at the chunk boundaries: a first version is parsed about as fast as whole.
    """
    covered: set[int] = set()
    clauses, offset = state.clauses, state.offset
    walked = _START
    guarded = True
    end = len(lines)
    spans = chunks(lines)
    chunk_texts = [text[a:b] for _s, _t, a, b in spans]
    unseen = [_needs_parse(t, memo) for t in chunk_texts]
    run: dict[int, Parsed] = {}
    for i, (start, stop, _a, _b) in enumerate(spans):
        parsed = None
        if unseen[i]:
            if i not in run:  # the first chunk of a run
                last = i
                while last + 1 < len(spans) and unseen[last + 1]:
                    last += 1
                found = _parse_chunks(chunk_texts[i : last + 1], last + 1 < len(spans), memo)
                run = dict(enumerate(found, i))
            parsed = run[i]
        walked = memo.walk(chunk_texts[i], stop < end, walked, parsed)
        clauses += _placed(walked, start + offset, offset)
        covered.update(map(start.__add__, walked.covered))
        lost += [(a + start + offset, b + start + offset) for a, b in walked.lost]
        guarded = guarded and not walked.stray
    state.headings = list(walked.headings)
    state.heading_context = None
    return covered, guarded


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


_CHUNK_BREAK = re.compile(r"(\n[ \t]*)\n(?=[^ \t\n])")
"""A line end, a blank line and a line at the margin: a chunk starts there (see ``chunks``);
the group is what stays with the chunk before."""

_BLANK_START = re.compile(r"[ \t]*\n(?=[^ \t\n])")


def chunk_texts(text: str) -> list[str]:
    """The texts of ``chunks`` of ``text`` (``\\n`` line ends), found by regular expressions."""
    head: list[str] = []
    first = _BLANK_START.match(text)
    if first:
        head.append(text[: first.end() - 1])
        text = text[first.end() :]
    parts = _CHUNK_BREAK.split(text)
    return [*head, *map(str.__add__, parts[0:-1:2], parts[1::2]), parts[-1]]


@dataclass(slots=True)
class Layout:
    """A text segmented chunk by chunk, kept so that the next version reuses what it shares.

    ``clauses`` are the text's clauses as ``segment`` gives them, except that clauses reused
    from an earlier version keep that version's source lines and keys (lineages need neither).
    """

    text: str
    chunks: list[str]
    starts: list[int]
    """Where each chunk starts in ``text``, then ``len(text) + 1``."""
    walked: list[_Walked]
    first: list[int]
    """Index in ``clauses`` of each chunk's first clause, then the number of clauses."""
    clauses: list[Clause]


EMPTY_LAYOUT = Layout("", [], [0], [], [0], [])


Block = tuple[int, int, int]
"""(first clause in the old list, first clause in the new list, length): identical clauses."""


def relayout(before: Layout, text: str, memo: BlockMemo) -> tuple[Layout, list[Block]] | None:
    """``text`` segmented chunk by chunk, reusing the clauses of the chunks it shares with the
    text of ``before`` (same chunk text, same headings open before it), and those shared runs
    as blocks of identical clauses. ``EMPTY_LAYOUT`` segments a text afresh.

    Only the stretch between the longest common beginning and end of the two texts is cut into
    chunks and matched: a version costs about what it changed. None when the text must be
    parsed whole (front matter, fences, HTML blocks, words outside any block): ``segment``
    handles those.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLarge(f"text of {len(text):,} characters exceeds {MAX_INPUT_CHARS:,}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = rejoin(text)
    if _FRONT_MATTER.match(text):
        return None
    head, tail = _kept_ends(before, text)
    old_mid = before.chunks[head:tail]
    if before.chunks:
        mid_start = before.starts[head]
        mid_stop = len(text) - (len(before.text) + 1 - before.starts[tail])
        mid = chunk_texts(text[mid_start:mid_stop]) if mid_stop >= mid_start else []
    else:
        mid = chunk_texts(text)
    texts = before.chunks[:head] + mid + before.chunks[tail:]
    runs = [(0, 0, head)] if head else []
    runs += [(i + head, j + head, n) for i, j, n in _shared_runs(old_mid, mid)]
    if tail < len(before.chunks):
        runs.append((tail, head + len(mid), len(before.chunks) - tail))
    shaper = _Relayout(before, text, texts, memo)
    try:
        for i, j, n in runs:
            shaper.fresh(j)
            shaper.reuse(i, j, n)
        shaper.fresh(len(texts))
    except _Unchunkable:
        return None
    if shaper.stray:
        return None
    lost = [
        (a + shift, b + shift)
        for j, walked in enumerate(shaper.walks)
        if walked.lost
        for shift in (text.count("\n", 0, shaper.starts[j]),)
        for a, b in walked.lost
    ]
    if lost:
        coverage.report(_called(text.split("\n")), lost)
    shaper.first.append(len(shaper.clauses))
    layout = Layout(text, texts, shaper.starts, shaper.walks, shaper.first, shaper.clauses)
    return layout, shaper.blocks


def _kept_ends(before: Layout, text: str) -> tuple[int, int]:
    """How many chunks of ``before`` start ``text`` unchanged (``head``), and from which
    chunk on they end it (``tail``): whole chunks of the common beginning and end of the two
    texts, with the line that starts the next chunk (or the chunk before) in common too, so
    that the chunk boundaries there are the same."""
    old = before.text
    if not before.chunks:
        return 0, 0
    common = _common_prefix(old, text)
    head = bisect.bisect_right(before.starts, common - 1) - 1
    head = max(0, min(head, len(before.chunks) - 1))
    room = min(len(old), len(text)) - before.starts[head]
    same_end = _common_suffix(old, text, max(0, room))
    tail = bisect.bisect_left(before.starts, len(old) - same_end) + 1
    return head, max(head, min(tail, len(before.chunks)))


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common beginning of ``a`` and ``b`` (by halving: C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common end of ``a`` and ``b``, at most ``limit``."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _shared_runs(old: list[str], new: list[str]) -> list[Block]:
    """Runs of chunks ``new`` shares with ``old`` as (old, new, length), in order.

    Equal chunks are paired while they follow each other; at a difference, the side whose
    next match is nearer skips ahead (the other side's chunk was added or removed), or both
    skip one when neither chunk is found further on (a chunk reworded). Chunks that moved are
    left unpaired: clause alignment finds them. Cost: one pass, plus C-speed searches at the
    differences.
    """
    out: list[Block] = []
    i = j = 0
    n_old, n_new = len(old), len(new)
    while i < n_old and j < n_new:
        if old[i] == new[j]:
            start_i, start_j = i, j
            i, j = i + 1, j + 1
            while i < n_old and j < n_new and old[i] == new[j]:
                i, j = i + 1, j + 1
            out.append((start_i, start_j, i - start_i))
            continue
        skip_old = _distance(old, new[j], i + 1)
        skip_new = _distance(new, old[i], j + 1)
        if skip_old is None and skip_new is None:
            i, j = i + 1, j + 1
        elif skip_new is None or (skip_old is not None and skip_old <= skip_new):
            i += skip_old
        else:
            j += skip_new
    return out


def _distance(texts: list[str], text: str, start: int) -> int | None:
    """How far after ``start - 1`` ``text`` next occurs in ``texts`` (None: it does not)."""
    try:
        return texts.index(text, start) - start + 1
    except ValueError:
        return None


class _Relayout:
    """The state of ``relayout``: chunks walked so far, in the new text's order."""

    def __init__(self, before: Layout, text: str, texts: list[str], memo: BlockMemo) -> None:
        self.before, self.text, self.texts, self.memo = before, text, texts, memo
        self.starts = [0, *accumulate(map((1).__add__, map(len, texts)))]
        """Where each chunk starts in ``text``, then ``len(text) + 1``."""
        self.clauses: list[Clause] = []
        self.walks: list[_Walked] = []
        self.first: list[int] = []
        self.blocks: list[Block] = []
        self.stray = False
        self._unseen: dict[int, bool] = {}
        self._run: dict[int, Parsed] = {}

    def reuse(self, i: int, j: int, n: int) -> None:
        """The new text's chunks ``j..j+n`` (``j`` the next to walk) are chunks ``i..i+n`` of
        ``before``: reuse their clauses where the headings open before them are the same, and
        each is, or is not, the last of its text in both. The rest is left to ``fresh``."""
        before = self.before
        if (i + n == len(before.chunks)) != (j + n == len(self.texts)):
            n -= 1  # a text's last chunk is parsed as the end of that text
        while n > 0:
            came = before.walked[i - 1] if i else _START
            if came.heading_key == (self.walks[-1] if self.walks else _START).heading_key:
                break
            self.fresh(j + 1)  # other headings open: walk it, they may close the same way
            i, j, n = i + 1, j + 1, n - 1
        if n <= 0:
            return
        a, b = before.first[i], before.first[i + n]
        at = len(self.clauses)
        self.first += map((at - a).__add__, before.first[i : i + n])
        self.walks += before.walked[i : i + n]
        if b > a:
            last = self.blocks[-1] if self.blocks else None
            if last and last[0] + last[2] == a and last[1] + last[2] == at:
                self.blocks[-1] = (last[0], last[1], last[2] + b - a)
            else:
                self.blocks.append((a, at, b - a))
            self.clauses += before.clauses[a:b]

    def fresh(self, stop: int) -> None:
        """Walk the new text's chunks from the next one up to ``stop``."""
        j = len(self.walks)
        texts, memo = self.texts, self.memo
        last = len(texts) - 1
        while j < stop:
            chunk = texts[j]
            if _unchunkable(chunk):  # chunks shared with ``before`` passed this already
                raise _Unchunkable(chunk[:80])
            self.first.append(len(self.clauses))
            parsed = None
            if self._needs_parse(j):
                if j not in self._run:
                    end = j + 1
                    while end < len(texts) and self._needs_parse(end):
                        end += 1
                    found = _parse_chunks(texts[j:end], end < len(texts), memo)
                    self._run = dict(enumerate(found, j))
                parsed = self._run[j]
            walked = memo.walk(chunk, j < last, self.walks[-1] if self.walks else _START, parsed)
            self.stray = self.stray or walked.stray
            self.walks.append(walked)
            self.clauses += _placed(walked, self.text.count("\n", 0, self.starts[j]), 0)
            j += 1

    def _needs_parse(self, j: int) -> bool:
        found = self._unseen.get(j)
        if found is None:
            found = self._unseen[j] = _needs_parse(self.texts[j], self.memo)
        return found


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
            _indented(tok.content, m, st, _label_above(st, lines, base, m[0]))
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


def _indented(content: str, map_: list[int], st: _State, label: str | None = None) -> None:
    """An indented block: in the texts we track, laid-out prose far more often than code
    (paragraphs and lists indented four spaces under a heading or a label, as the German
    federal laws are published). Prose is read as Markdown of its own, dedented, so that its
    paragraphs, lists and numbers become clauses as anywhere else; a block that looks like
    code stays one clause. ``label``: the number of the clause whose body the block is."""
    lines = content.split("\n")
    if content.endswith("\n"):
        lines.pop()
    if not _looks_like_prose(content) or len(lines) != map_[1] - map_[0]:
        _add(st, None, content.rstrip("\n"), "code", map_)
        return
    if label is not None:  # "a)  "Fahrzeug":" then its definition, indented: an item's body
        st.items.append(_Item(label, len(st.clauses), map_, has_clause=True))
    plain = _plain_block(content)
    if plain is not None and plain[0] == 0:  # one paragraph, as markdown-it would read it
        _paragraph(plain[1], [map_[0], map_[0] + plain[2]], st)
    else:
        _walk(_parser().parse(content), lines, st, map_[0])
    if label is not None:
        st.items.pop()


def _label_above(st: _State, lines: list[str], base: int, start: int) -> str | None:
    """The number of the paragraph just before an indented block starting at line ``start``
    (``lines`` and ``base`` as in ``_walk``), when that paragraph is numbered, at the block's
    level, and only blank lines come between: the block is that clause's body."""
    if not st.clauses:
        return None
    last = st.clauses[-1]
    if last.kind != "paragraph" or not last.number or (st.items and not st.items[-1].has_clause):
        return None
    between = lines[max(0, last.lines[1] - st.offset - base) : max(0, start - base)]
    if any(line.strip() for line in between):
        return None
    context = st.heading_context
    depth = len(context[0]) if context is not None else len(st.headings)
    expected = depth + sum(1 for it in st.items if it.number)
    return last.number if len(last.path) == expected else None


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


def _has_stray_words(lines: list[str], covered: set[int]) -> bool:
    """Whether ``_recover_uncovered`` would keep a line of these."""
    return any(
        line and n not in covered and WORD_RE.search(line) and not _is_markup_only(line)
        for n, line in enumerate(lines)
    )


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
    return not WORD_RE.search(_MARKERS.sub("", stripped))


_MARKERS = re.compile(r"^(?:(?:[-*+]|\d+[.)])(?:[ \t]+|$))+|^#+[ \t]*")
"""List markers at the start of a line (several: ``*    *   1.`` opens three lists), or a
heading's hashes."""
