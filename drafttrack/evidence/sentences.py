"""A report's text cut into sentences, each with its character span in the stored text.

News text is split paragraph by paragraph (blank lines, Markdown headings and list items end a
sentence). Inside a paragraph a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with the closing
quotes or brackets that follow) when the next word starts a sentence, except:

- inside quotation marks of any style — „…“ (German, Ukrainian), «…» (French, Ukrainian,
  Russian), “…” and "…" (English), ‚…‘, ‹…›, »…« — so a quotation stays whole with the sentence
  that carries it, even when it holds several sentences of its own (a quote left open is closed
  at the paragraph's end);
- after an abbreviation of the language ("z. B.", "Dr.", "т. д.", "Mme."), an initial ("J.") or,
  in German, an ordinal before a month or a lower-case word ("am 6. Januar").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset("mr mrs ms dr prof st no art para vs etc e.g i.e jan feb mar apr jun jul aug "
                    "sep sept oct nov dec u.s u.k gen col lt sen rep gov inc ltd co corp".split()),
    "de": frozenset("z.b d.h u.a bzw nr art abs ca dr prof s vgl ggf usw inkl evtl sog bzw "
                    "jan feb märz apr jun jul aug sept okt nov dez u.s hrsg mio mrd".split()),
    "fr": frozenset("m mme mlle dr pr art al etc p ex janv févr avr juil sept oct nov déc "
                    "cf n°".split()),
    "uk": frozenset("т.д т.п ст п р рр ім млн млрд тис див пп".split()),
    "ru": frozenset("т.д т.п т.е ст п г гг им млн млрд тыс см пп".split()),
}  # fmt: skip
"""Words that end in a full stop without ending the sentence, per language (lower case,
without the final stop)."""

GERMAN_MONTHS = frozenset(
    "januar februar märz april mai juni juli august september oktober november dezember".split()
)

OPENING = {"„": "“”", "«": "»", "“": "”", "‚": "‘’", "‹": "›", "»": "«", '"': '"'}
"""Each opening quotation mark and the marks that close it. ``“`` opens in English but closes
„ in German; ``»`` opens in German book style but closes « elsewhere: the stack decides."""

MAX_QUOTE_CHARS = 1500
"""A quotation mark still open after this many characters is taken as a stray mark."""

_END = re.compile(r"[.!?…]+[\"“”»«’'‘›)\]]*")
_BLOCK_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)+")
_WORD_BEFORE = re.compile(r"([\w.°]+)$")
_NEXT_WORD = re.compile(r"\s+([\"„“«»‚‹(\[]?)(\w+)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a report."""

    index: int
    text: str
    start: int
    """Offset of its first character in the report text."""
    end: int
    """Offset just after its last character."""
    heading: bool = False
    """A Markdown heading (a headline) rather than a sentence of running text."""


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """The sentences of ``text`` (Markdown or plain), in order, with their spans."""
    out: list[Sentence] = []
    for start, end in _paragraphs(text):
        block = text[start:end]
        prefix = _BLOCK_PREFIX.match(block)
        skip = prefix.end() if prefix else 0
        heading = block.startswith("#")
        for s, e in _split_block(block, skip, language):
            piece = block[s:e]
            if piece.strip():
                out.append(Sentence(len(out), piece, start + s, start + e, heading))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs: runs of lines separated by blank lines, headings and list items
    on their own."""
    spans: list[tuple[int, int]] = []
    pos, start, last_end = 0, None, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_start, pos = pos, pos + len(line)
        content_end = line_start + len(line.rstrip("\r\n"))
        if not stripped:
            if start is not None:
                spans.append((start, last_end))
                start = None
            continue
        own = _BLOCK_PREFIX.match(stripped) is not None
        if own and start is not None:
            spans.append((start, last_end))
            start = None
        if start is None:
            start = line_start + (len(line) - len(line.lstrip()))
        last_end = content_end
        if stripped.startswith("#"):
            spans.append((start, last_end))
            start = None
    if start is not None:
        spans.append((start, last_end))
    return spans


def _split_block(block: str, skip: int, language: str | None) -> list[tuple[int, int]]:
    """Sentence spans inside one paragraph, line breaks inside it read as spaces."""
    spans: list[tuple[int, int]] = []
    start = skip
    stack: list[tuple[str, int]] = []  # (closing marks, position opened)
    i = skip
    n = len(block)
    while i < n:
        ch = block[i]
        if stack and i - stack[-1][1] > MAX_QUOTE_CHARS:
            stack.clear()
        if stack and ch in stack[-1][0] and _closes(block, i, ch):
            stack.pop()
            i += 1
            if not stack and block[i - 2 : i - 1] in (".", "!", "?", "…"):
                m = _END.match(block, i)
                end = m.end() if m else i
                if _ends_sentence(block, i - 2, end, language):
                    spans.append((start, end))
                    while end < n and block[end].isspace():
                        end += 1
                    start = i = end
            continue
        if ch in OPENING and _opens(block, i, ch):
            stack.append((OPENING[ch], i))
            i += 1
            continue
        if ch in ".!?…" and not stack:
            m = _END.match(block, i)
            end = m.end() if m else i + 1
            if _ends_sentence(block, i, end, language):
                spans.append((start, end))
                while end < n and block[end].isspace():
                    end += 1
                start = end
                i = end
                continue
            i = end
            continue
        i += 1
    if start < n and block[start:].strip():
        spans.append((start, len(block.rstrip())))
    return spans


def _opens(block: str, i: int, ch: str) -> bool:
    """A straight ``"`` opens only where a word could start after it (not after a letter)."""
    if ch != '"':
        return ch != "»" or i + 1 < len(block) and not block[i + 1].isspace()
    before = block[i - 1] if i else " "
    after = block[i + 1] if i + 1 < len(block) else " "
    return not before.isalnum() and not after.isspace()


def _closes(block: str, i: int, ch: str) -> bool:
    if ch != '"':
        return True
    before = block[i - 1] if i else " "
    return not before.isspace()


def _ends_sentence(block: str, dot: int, end: int, language: str | None) -> bool:
    if end >= len(block.rstrip()):
        return True
    nxt = _NEXT_WORD.match(block, end)
    if nxt is None:
        return False
    word = nxt.group(2)
    if block[dot] != ".":
        return word[:1].isupper() or word[:1].isdigit() or bool(nxt.group(1))
    before = _WORD_BEFORE.search(block[:dot])
    token = before.group(1).lower() if before else ""
    if token and _is_abbreviation(token, language):
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith"
    if token.isdigit() and (language in (None, "de")):
        if word.lower() in GERMAN_MONTHS or word[:1].islower():
            return False
    return word[:1].isupper() or word[:1].isdigit() or bool(nxt.group(1))


def _is_abbreviation(token: str, language: str | None) -> bool:
    langs = [language, "en"] if language in ABBREVIATIONS else list(ABBREVIATIONS)
    token = token.rstrip(".")
    return any(token in ABBREVIATIONS[lang] for lang in langs if lang)
