"""The Markdown walk: markdown-it's block tokens turned into clauses with their paths (headings,
then list item numbers), numbers and source lines; indented prose read as Markdown of its own;
words no token took kept as paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from drafttrack.model import Clause
from drafttrack.normalize import WORD_RE
from drafttrack.numbering import is_label_only, split_number
from drafttrack.segment.plain import _plain_block
from drafttrack.segment.prose import _looks_like_prose
from drafttrack.segment.sentences import _plain_parts, _sentences, squash

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


PSEUDO_HEADING_LEVEL = 7
"""Level given to a paragraph that is only a label ("Article L1"): below every Markdown heading."""


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
