"""Evaluation of quote attribution on paragraph-parallel translations (used by bench and tests).

Fragments of 6–12 words are cut, with a fixed seed, from each translated paragraph; each is
attributed among the paragraphs of the original, and a hit is the parallel paragraph at rank 1
(top-1) or within the first three (top-3).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafttrack.quote.windows import plain

FRONT_MATTER = re.compile(r"\A(\+\+\+|---)\n.*?\n\1\n", re.S)
MIN_WORDS = 6
MAX_WORDS = 12


@dataclass(slots=True, frozen=True)
class Fragment:
    """A quote cut from translated paragraph ``target`` (its index among the originals)."""

    text: str
    target: int
    language: str


def paragraphs(markdown: str) -> list[str]:
    """Blank-line separated paragraphs of a text, front matter dropped."""
    body = FRONT_MATTER.sub("", markdown, count=1)
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def cut_fragments(
    translated: Sequence[str], language: str, per_paragraph: int, rng: random.Random
) -> list[Fragment]:
    """Up to ``per_paragraph`` fragments of 6–12 consecutive words from each long paragraph."""
    out: list[Fragment] = []
    for index, para in enumerate(translated):
        words = plain(para.lstrip("#-*+> ")).split(" ")
        if len(words) < MIN_WORDS + 2:
            continue
        for _ in range(per_paragraph):
            size = rng.randint(MIN_WORDS, min(MAX_WORDS, len(words)))
            start = rng.randint(0, len(words) - size)
            out.append(Fragment(" ".join(words[start : start + size]), index, language))
    return out


@dataclass(slots=True)
class Score:
    """Top-1 and top-3 hit rates over some fragments."""

    top1: float
    top3: float
    count: int


def evaluate(fragments: Sequence[Fragment], rank: Callable[[Fragment], list[int]]) -> Score:
    """Hit rates for ``rank``, which returns paragraph indices best first."""
    hits1 = hits3 = 0
    for fragment in fragments:
        ranked = rank(fragment)
        hits1 += bool(ranked[:1]) and ranked[0] == fragment.target
        hits3 += fragment.target in ranked[:3]
    n = max(len(fragments), 1)
    return Score(hits1 / n, hits3 / n, len(fragments))
