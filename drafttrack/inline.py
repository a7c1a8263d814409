"""Inline Markdown of one clause text: what a reader sees, and the markup kept beside it.

``parse_inline`` reads a clause's source text with markdown-it-py's inline rules (``js-default``
preset, raw HTML off, ``validateLink`` kept) and returns its *visible* text — link text rather
than link syntax, emphasis markers and backslash escapes removed, entities decoded, empty HTML
anchors (``<a id="…"></a>``, left by web converters) dropped — with *spans* over that visible
text naming the formatting and link target of each stretch. Comparison runs on the visible
text; the spans let renderers show bold as bold and a link as its text, and the markup
fingerprint lets ``editorial`` tell a change of link target or formatting from a change of words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_MARKUP_CHARS = re.compile(r"[*_\[\]`\\<&~]")
"""A text with none of these has no inline markup: its visible text is the text itself."""

_EMPTY_ANCHOR = re.compile(r"<a\s+(?:id|name)=(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>]+)\s*>\s*</a>", re.I)
"""``<a id="2-1"></a>``: an anchor a web page's converter left before a heading's number."""

_STRAY_CLOSE = re.compile(r"\]\(([^()\s]*)\)")
"""``](target)`` left in text: the end of a link whose opening a converter put elsewhere; shown
as nothing, its target kept (as an empty link)."""

_KINDS = {"strong": "strong", "em": "em", "s": "strike", "link": "link"}
MAX_INLINE_CHARS = 200_000
"""Longer clause texts are taken as plain text (the inline parser's work is bounded)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch ``[start, end)`` of the visible text and the markup that shows it."""

    start: int
    end: int
    kind: str
    """strong | em | strike | code | link | image"""
    target: str | None = None
    """The link target (``href``) or image source; None for emphasis and code."""


@dataclass(frozen=True, slots=True)
class Inline:
    """A clause text read as a reader sees it."""

    source: str
    """The text as written (Markdown inline syntax kept)."""
    visible: str
    """What a reader sees: link text, no emphasis markers, no escapes."""
    spans: tuple[Span, ...] = ()
    """Formatting and links over ``visible``, in document order of their start."""

    @property
    def targets(self) -> tuple[str, ...]:
        """Link targets and image sources, in order."""
        return tuple(s.target or "" for s in self.spans if s.kind in ("link", "image"))

    @property
    def formatting(self) -> tuple[tuple[str, str], ...]:
        """Each emphasis, strike and code span as (kind, the visible text it covers)."""
        return tuple(
            (s.kind, self.visible[s.start : s.end])
            for s in self.spans
            if s.kind not in ("link", "image")
        )

    def marks_at(self, start: int, end: int) -> tuple[tuple[str, ...], str | None]:
        """Kinds of the spans covering all of ``[start, end)``, and the innermost link target."""
        kinds: list[str] = []
        target = None
        for s in self.spans:
            if s.start <= start and end <= s.end and s.start < s.end:
                if s.kind not in kinds:
                    kinds.append(s.kind)
                if s.kind == "link":
                    target = s.target
        return tuple(kinds), target

    def cuts(self) -> list[int]:
        """Offsets where some span starts or ends (where formatting may change)."""
        return sorted({p for s in self.spans for p in (s.start, s.end)})


def has_markup(text: str) -> bool:
    """Whether ``text`` may hold inline Markdown (else its visible text is itself)."""
    return _MARKUP_CHARS.search(text) is not None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default", {"typographer": False})


@lru_cache(maxsize=65536)
def parse_inline(text: str) -> Inline:
    """``text`` read as inline Markdown: its visible text and the spans over it."""
    if not has_markup(text) or len(text) > MAX_INLINE_CHARS:
        return Inline(text, text)
    source = text
    if "<" in text:
        text = _EMPTY_ANCHOR.sub("", text)
    tokens = _parser().parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    builder = _Builder()
    builder.feed(children)
    return Inline(source, "".join(builder.out), tuple(sorted(builder.spans, key=_span_order)))


def _span_order(s: Span) -> tuple[int, int]:
    return (s.start, -s.end)


def visible_text(text: str) -> str:
    """What a reader sees of ``text`` (see ``parse_inline``)."""
    return parse_inline(text).visible if has_markup(text) else text


def joined(texts: list[str]) -> Inline:
    """Several clause texts read one by one and joined by single spaces, spans shifted."""
    if len(texts) == 1:
        return parse_inline(texts[0])
    visible: list[str] = []
    spans: list[Span] = []
    at = 0
    for text in texts:
        part = parse_inline(text)
        if visible:
            visible.append(" ")
            at += 1
        visible.append(part.visible)
        spans.extend(Span(s.start + at, s.end + at, s.kind, s.target) for s in part.spans)
        at += len(part.visible)
    return Inline(" ".join(texts), "".join(visible), tuple(spans))


class _Builder:
    """Walks inline tokens, writing the visible text and recording spans."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.at = 0
        self.open: list[tuple[str, int, str | None]] = []
        self.spans: list[Span] = []

    def write(self, text: str) -> None:
        self.out.append(text)
        self.at += len(text)

    def text_with_stray_ends(self, text: str) -> None:
        at = 0
        for m in _STRAY_CLOSE.finditer(text):
            self.write(text[at : m.start()])
            self.spans.append(Span(self.at, self.at, "link", m.group(1)))
            at = m.end()
        self.write(text[at:])

    def feed(self, tokens: list[Token]) -> None:
        for tok in tokens:
            t = tok.type
            if t == "text" and "](" in tok.content:
                self.text_with_stray_ends(tok.content)
            elif t in ("text", "text_special", "html_inline"):
                self.write(tok.content)
            elif t in ("softbreak", "hardbreak"):
                self.write(" ")
            elif t == "code_inline":
                start = self.at
                self.write(tok.content)
                self.spans.append(Span(start, self.at, "code"))
            elif t == "image":
                start = self.at
                self.feed(tok.children or [])
                src = tok.attrGet("src")
                self.spans.append(Span(start, self.at, "image", str(src) if src else ""))
            elif t.endswith("_open") and t[:-5] in _KINDS:
                href = tok.attrGet("href") if t == "link_open" else None
                self.open.append((_KINDS[t[:-5]], self.at, str(href) if href else None))
            elif t.endswith("_close") and t[:-6] in _KINDS and self.open:
                kind, start, target = self.open.pop()
                if kind == "link":
                    target = target or ""
                self.spans.append(Span(start, self.at, kind, target))
            else:
                self.write(tok.content)
