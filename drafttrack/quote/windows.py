"""Sentence-sized windows of a clause: what a 6–12-word quote is scored against.

A quote is a fragment: compared with a whole long clause its embedding is diluted by the rest of
the clause. Each clause is therefore cut into overlapping runs of words about as long as a
typical quote, which cross sentence boundaries as quotes do; its short sentences and the whole
clause are windows too. Measured on the Contributor Covenant translations
(``bench/bench_quote.py``): runs of 8 words every 4 beat 16/8 and 12/4 (top-1 0.84 against 0.76
and 0.79, hub correction only), and runs across sentence ends beat runs inside sentences (0.91
against 0.88 with all evidence). With ``passage:`` windows, over dev seeds 8–10: a step of 2
words instead of 4 (a quote then always has a window within a word of its own span) raised mean
top-1 from 0.907 to 0.917 (top-3 0.978 to 0.980); a step of 1 gained nothing more (0.916), and
neither did runs of 7 or 9 words, of 6 or 10, nor all of 6, 8, 10 and 12 words (0.916–0.917).
"""

from __future__ import annotations

import re

from drafttrack.normalize import strip_markdown

WINDOW_WORDS = 8
"""Words in one run; a clause or sentence of at most ``WINDOW_WORDS + 2`` words is one window."""

STRIDE = 2
"""Step between the starts of the overlapping runs of a long clause."""

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+")
_LIST_LINE = re.compile(r"\n\s*(?:[-*+]|\d+[.)])\s+")


def plain(text: str) -> str:
    """Clause text without Markdown inline syntax, on one line."""
    return _SPACE.sub(" ", strip_markdown(text)).strip()


def sentences(text: str) -> list[str]:
    """The sentences of a clause (list lines inside it count as sentences too)."""
    parts: list[str] = []
    for block in _LIST_LINE.split(strip_markdown(text)):
        for piece in _SENTENCE_END.split(block):
            piece = _SPACE.sub(" ", piece).strip()
            if piece:
                parts.append(piece)
    return parts


def runs(sentence: str, size: int = WINDOW_WORDS, stride: int = STRIDE) -> list[str]:
    """Overlapping runs of ``size`` words covering ``sentence`` (itself when short)."""
    words = sentence.split(" ")
    if len(words) <= size + 2:
        return [sentence]
    last = len(words) - size
    starts = list(range(0, last + 1, stride))
    if starts[-1] != last:
        starts.append(last)
    return [" ".join(words[s : s + size]) for s in starts]


def windows(text: str) -> list[str]:
    """Distinct windows of ``text``: short sentences, runs of words, the whole clause last."""
    whole = plain(text)
    if not whole:
        return []
    out = [s for s in sentences(text) if len(s.split(" ")) <= WINDOW_WORDS + 2]
    out += runs(whole)
    out.append(whole)
    return list(dict.fromkeys(out))
