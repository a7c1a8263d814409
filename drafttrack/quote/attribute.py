"""Attribute a quote to clauses: combine the lexical and the semantic matcher's evidence.

The lexical matcher decides same-language quotes (exact wording, typos, other quote marks); the
semantic one finds translations and paraphrases. Numbers, names and rare words that a quote
shares with a clause across languages ("24", "Paris", "NATO") add a small bonus. Each match
says which matcher found it: ``lexical`` when the wording itself matched, else ``semantic``.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from drafttrack.errors import DrafttrackError
from drafttrack.normalize import editorial_form
from drafttrack.quote.cognates import CognateIndex
from drafttrack.quote.entries import Entry
from drafttrack.quote.language import detect_language
from drafttrack.quote.lexical import LexicalIndex

if TYPE_CHECKING:
    import numpy as np

    from drafttrack.quote.cache import QuoteCache
    from drafttrack.quote.embedder import Embedder
    from drafttrack.quote.semantic import SemanticIndex

MAX_QUOTE_CHARS = 2000
DEFAULT_TOP = 5

LEXICAL_SURE = 0.75
"""A lexical score from which the wording itself is taken to match (typos allowed)."""

SEMANTIC_FLOOR, SEMANTIC_CEILING = 0.50, 0.72
"""Hub-corrected window similarities mapped linearly onto scores 0..1 (in the benchmark, the
right clause scores 0.58–0.68 and the best wrong one 0.57–0.64)."""

SECOND_WEIGHT = 0.5
"""Share of the second encoder's similarities (rescaled per quote to the first one's mean and
spread) where it knows the quote's language (dev seeds 8–10: 0.4–0.7 within 0.001 of top-1)."""

SECOND_SKIP_MARGIN = 0.03
"""The second encoder is not asked (nor loaded) when the first one's best clause leads the
next by this much, or the wording matched lexically: on dev seeds 8–10 that skips half of the
translated quotes and changes no ranking's top-1."""

SEMANTIC_CANDIDATES = 64
"""Clauses (best by embedding) that also get the anchor and lexical evidence."""

ANCHOR_BONUS = 0.04
"""Score added per rare token (number, name, rare word) a quote shares with a clause, up to
three."""

COGNATE_WEIGHT = 0.04
"""Weight of the cognate score (``cognates.py``; IDF-weighted, about 0..3) of a candidate."""

RARE_SHARE = 0.05
"""A word in at most this share of the clauses counts as rare."""

_ANCHOR = re.compile(r"\d+|[^\W\d_]{4,}")


class QuoteError(DrafttrackError):
    """A quote that cannot be attributed (empty, too long)."""


@dataclass(slots=True)
class Match:
    """A clause text (with the versions holding it) that a quote probably comes from."""

    entry: Entry
    score: float
    matcher: Literal["lexical", "semantic"]

    def to_json(self) -> dict[str, Any]:
        """The contract's match object."""
        e = self.entry
        return {
            "document": e.document, "key": e.key, "number": e.number, "path": list(e.path),
            "text": e.text, "versions": list(e.versions), "score": round(self.score, 4),
            "matcher": self.matcher,
        }  # fmt: skip


def check_quote(quote: str) -> str:
    """The quote with outer white space removed; ``QuoteError`` when empty or too long."""
    text = quote.strip()
    if not editorial_form(text):
        raise QuoteError("the quote is empty (it has no words)")
    if len(text) > MAX_QUOTE_CHARS:
        raise QuoteError(f"the quote has {len(text):,} characters; at most {MAX_QUOTE_CHARS:,}")
    return text


class Attributor:
    """Indexes over one list of entries, answering any number of quotes."""

    def __init__(
        self,
        entries: Sequence[Entry],
        embedder: Embedder | None = None,
        cache: QuoteCache | None = None,
        progress: Callable[[int, int], None] | None = None,
        second: Embedder | None = None,
    ) -> None:
        """``progress(done, total)``: called as clause windows are embedded (a cold index).
        ``second``: a second encoder voting with ``embedder`` on quotes in its ``languages``
        (all of them when it has none), and on quotes whose language is not detected."""
        self.entries = list(entries)
        texts = [e.text for e in self.entries]
        self.lexical = LexicalIndex(texts)
        self._cognates: CognateIndex | None = None
        self.semantic: SemanticIndex | None = None
        self.second: SemanticIndex | None = None
        self._cache_folder = cache.folder.parent if cache is not None else None
        self._second_languages: frozenset[str] | None = getattr(second, "languages", None)
        if embedder is not None and self.entries:
            from drafttrack.quote.semantic import SemanticIndex

            self.semantic = SemanticIndex(texts, embedder, cache, progress)
            if second is not None:
                self.second = SemanticIndex(texts, second, cache, progress)

    def attribute(self, quote: str, top: int = DEFAULT_TOP) -> list[Match]:
        """The ``top`` most likely clauses for ``quote``, best first."""
        return self.attribute_many([quote], top)[0]

    def attribute_many(
        self, quotes: Sequence[str], top: int = DEFAULT_TOP, remember: bool = False
    ) -> list[list[Match]]:
        """:meth:`attribute` for several quotes: each distinct quote ranked once, the embeddings
        of all of them computed in one batch (each distinct text once) and the rough lexical
        pass over all of them in one call. ``remember``: keep the quotes' vectors and lexical
        candidates in the derived cache, so asking the same quotes again (a report linked
        again) embeds nothing and scans no clause list."""
        checked = [check_quote(q) for q in quotes]
        if not self.entries:
            return [[] for _ in checked]
        distinct = list(dict.fromkeys(checked))
        cache = None
        if remember and self._cache_folder is not None:
            from drafttrack.quote.cache import QuoteCache

            cache = QuoteCache(self._cache_folder)
        try:
            sims_of = self._similarities(distinct, cache)
            lexical = self.lexical.scores_many(distinct, cache=cache)
        except (sqlite3.Error, OSError):
            if cache is None:
                raise
            # an unwritable cache: the same answers, computed without keeping them
            sims_of = self._similarities(distinct, None)
            lexical = self.lexical.scores_many(distinct)
        finally:
            if cache is not None:
                cache.close()
        ranked = {
            q: self._rank(q, sims, lex, top)
            for q, sims, lex in zip(distinct, sims_of, lexical, strict=True)
        }
        return [[Match(m.entry, m.score, m.matcher) for m in ranked[q]] for q in checked]

    def _similarities(self, quotes: Sequence[str], cache: QuoteCache | None) -> list[Any]:
        """Per quote, the semantic index's scores of every clause (None without an embedder).
        An embedder gives each text the same vector in any batch, so the vectors that a
        ``cache`` gives back are the ones it would compute."""
        if self.semantic is None or not quotes:
            return [None] * len(quotes)
        groups = [self.semantic.quote_texts(q) for q in quotes]
        texts = list(dict.fromkeys(t for g in groups for t in g))
        embedder = self.semantic.embedder
        vectors = cache.vectors(texts, embedder) if cache else embedder.embed(texts)
        row = {t: i for i, t in enumerate(texts)}
        return self.semantic.scores_many([vectors[[row[t] for t in g]] for g in groups])

    def _rank(self, quote: str, sims: Any, lexical: dict[int, float], top: int) -> list[Match]:
        semantic: dict[int, float] = {}
        if sims is not None:
            if self.second is not None and self._second_needed(quote, sims, lexical):
                sims = _vote(sims, self.second.scores(self.second.embed_quote(quote)))
            count = min(SEMANTIC_CANDIDATES, len(sims))
            best = sims.argpartition(-count)[-count:]
            span = SEMANTIC_CEILING - SEMANTIC_FLOOR
            semantic = {int(i): min(max((sims[i] - SEMANTIC_FLOOR) / span, 0.0), 1.0) for i in best}
        anchors = self._anchors(quote)
        candidates = set(lexical) | set(semantic)
        cognates = self.cognates.scores(quote, candidates) if semantic else {}
        ranked: list[tuple[float, int, str]] = []
        for i in candidates:
            lex, sem = lexical.get(i, 0.0), semantic.get(i, 0.0)
            if lex >= LEXICAL_SURE or lex >= sem:
                score, matcher = lex + 0.1 * sem * (1 - lex), "lexical"
            else:
                score, matcher = sem + 0.2 * lex * (1 - sem), "semantic"
            if score < 1.0:
                bonus = self._anchor_bonus(anchors, i) + COGNATE_WEIGHT * cognates.get(i, 0.0)
                score = min(score + bonus, 0.99)
            if score > 0:
                ranked.append((-float(score), i, matcher))
        ranked.sort()
        return [
            Match(self.entries[i], -neg, matcher)  # type: ignore[arg-type]
            for neg, i, matcher in ranked[:top]
        ]

    def _second_needed(self, quote: str, sims: np.ndarray, lexical: dict[int, float]) -> bool:
        """Whether the second encoder votes on ``quote``: the first one is not sure, the wording
        did not match, and the quote's language is one the second encoder knows, or undetected
        (short quotes in a language it knows often are)."""
        if max(lexical.values(), default=0.0) >= LEXICAL_SURE:
            return False
        if len(sims) > 1:
            top = sims[sims.argpartition(-2)[-2:]]
            if abs(float(top[1] - top[0])) >= SECOND_SKIP_MARGIN:
                return False
        if self._second_languages is None:
            return True
        language = detect_language(quote)
        return language is None or language in self._second_languages

    @property
    def cognates(self) -> CognateIndex:
        """The cognate index of the entries, built on first use."""
        if self._cognates is None:
            self._cognates = CognateIndex([e.text for e in self.entries])
        return self._cognates

    def _anchors(self, quote: str) -> list[str]:
        """The quote's rare tokens: numbers, and words found in few clauses (but some)."""
        rare = max(1, math.ceil(len(self.entries) * RARE_SHARE))
        out = []
        for token in set(_ANCHOR.findall(editorial_form(quote))):
            if 0 < self.lexical.frequency(token) <= rare:
                out.append(f" {token} ")
        return out

    def _anchor_bonus(self, anchors: list[str], i: int) -> float:
        if not anchors:
            return 0.0
        form = self.lexical.padded[i]
        return ANCHOR_BONUS * min(3, sum(a in form for a in anchors))


def _vote(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``first`` mixed with ``second`` rescaled to ``first``'s mean and spread over the clauses
    (the two models' cosines live on different scales)."""
    spread = float(second.std())
    if len(first) < 2 or spread <= 1e-9:
        return first
    rescaled = first.mean() + (second - second.mean()) * (float(first.std()) / spread)
    mixed: np.ndarray = (1 - SECOND_WEIGHT) * first + SECOND_WEIGHT * rescaled
    return mixed


def attribute(
    quote: str,
    entries: Sequence[Entry],
    top: int = DEFAULT_TOP,
    embedder: Embedder | None = None,
    cache: QuoteCache | None = None,
    second: Embedder | None = None,
) -> list[Match]:
    """The ``top`` clauses of ``entries`` most likely quoted by ``quote``, best first."""
    return Attributor(entries, embedder, cache, second=second).attribute(quote, top)
