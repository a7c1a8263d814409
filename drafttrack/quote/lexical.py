"""The same-language matcher: word and character n-grams, whole words, typos tolerated.

Texts are compared in ``editorial_form`` (case, quote and dash style, white space, Markdown and
punctuation erased), so „…“, "…" and «…» quote the same words. Character-level fuzzy alignment
(rapidfuzz) finds where in a clause a quote fits best, tolerating typos; the span is widened to
whole words before it is scored, so a quote never matches half a word. Word bigrams shared with
the clause add evidence of the same wording in the same order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import rapidfuzz
from rapidfuzz import fuzz, process

from drafttrack.normalize import editorial_form

if TYPE_CHECKING:
    from drafttrack.quote.cache import QuoteCache

CANDIDATES = 48
"""Clauses rescored precisely after the fast character-level pass."""

CHAR_WEIGHT = 0.75
"""Share of the character-level alignment in the lexical score (the rest: word bigrams)."""

BATCH_CELLS = 4_000_000
"""Quote × clause rough scores held at once by :meth:`LexicalIndex.scores_many` (32 MB)."""

CHANCE = 0.45
"""Raw similarity that unrelated texts reach by chance (shared letters); scores are rescaled so
that this is 0 and an exact match is 1."""


class LexicalIndex:
    """Clause texts in match form, ready to score quotes."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.forms = [editorial_form(t) for t in texts]
        self.padded = [f" {f} " for f in self.forms]
        """Forms with a space at each end, to find whole words with ``in``."""
        self._frequency: dict[str, int] | None = None
        self._digest: bytes | None = None

    def frequency(self, word: str) -> int:
        """How many clauses have ``word`` as one of their words (``f" {word} " in padded``)."""
        if self._frequency is None:
            counts: dict[str, int] = {}
            for form in self.forms:
                for w in set(form.split(" ")):
                    counts[w] = counts.get(w, 0) + 1
            self._frequency = counts
        return self._frequency.get(word, 0)

    def scores(self, quote: str, limit: int = CANDIDATES) -> dict[int, float]:
        """Lexical scores (0..1) of the clauses most like ``quote``, by clause index."""
        q = editorial_form(quote)
        if not q or not self.forms:
            return {}
        rough = process.extract(q, self.forms, scorer=fuzz.partial_ratio, limit=limit)
        out: dict[int, float] = {}
        for _, rough_score, i in rough:
            if rough_score > 0:
                out[i] = score(q, self.forms[i])
        return out

    def scores_many(
        self, quotes: Sequence[str], limit: int = CANDIDATES, cache: QuoteCache | None = None
    ) -> list[dict[int, float]]:
        """:meth:`scores` of each quote, the rough pass over every distinct match form of the
        quotes in one call on every core (the same fuzzy scores, the same candidates: best
        first, ties by clause order). With a ``cache``, the candidates of a quote asked
        before are read back instead (kept per clause list, limit and fuzzy matcher)."""
        qs = [editorial_form(q) for q in quotes]
        forms = [q for q in dict.fromkeys(qs) if q]
        if cache is not None and forms and self.forms:
            rough = cache.candidates(self._state(limit), forms, lambda m: self._rough(m, limit))
        else:
            rough = self._rough(forms, limit)
        found = {
            q: {j: score(q, self.forms[j]) for j in idx}
            for q, idx in zip(forms, rough, strict=True)
        }
        return [dict(found.get(q, {})) for q in qs]

    def _rough(self, forms: list[str], limit: int) -> list[list[int]]:
        """Per form, the clauses of the rough pass: the ``limit`` best, ties by clause order,
        those scoring above 0."""
        import numpy as np

        if not self.forms:
            return [[] for _ in forms]
        out: list[list[int]] = []
        step = max(1, BATCH_CELLS // len(self.forms))
        for at in range(0, len(forms), step):
            rows = forms[at : at + step]
            rough = process.cdist(rows, self.forms, scorer=fuzz.partial_ratio, dtype=np.float64,
                                  workers=-1)  # fmt: skip
            for row in rough:
                best = np.argsort(-row, kind="stable")[:limit]
                out.append([int(j) for j in best if row[j] > 0])
        return out

    def _state(self, limit: int) -> bytes:
        """What the rough candidates depend on: the clause forms, the limit, the matcher."""
        if self._digest is None:
            digest = hashlib.sha256(f"rough-v1\x1f{rapidfuzz.__version__}".encode())
            for form in self.forms:
                digest.update(b"\x1e" + form.encode("utf-8"))
            self._digest = digest.digest()
        return hashlib.sha256(self._digest + str(limit).encode()).digest()


def score(q: str, form: str) -> float:
    """How well the quote ``q`` (editorial form) matches inside ``form``, whole words, 0..1."""
    if not q or not form:
        return 0.0
    if f" {q} " in f" {form} ":
        return 1.0
    raw = CHAR_WEIGHT * _whole_word_ratio(q, form) + (1 - CHAR_WEIGHT) * _bigram_share(q, form)
    return max(0.0, (raw - CHANCE) / (1 - CHANCE))


def _whole_word_ratio(q: str, form: str) -> float:
    """Similarity of ``q`` with its best-aligned span of ``form``, widened to whole words."""
    if len(q) >= len(form):
        return fuzz.ratio(q, form) / 100
    al = fuzz.partial_ratio_alignment(q, form)
    if al is None:
        return 0.0
    start, end = al.dest_start, al.dest_end
    while start > 0 and form[start - 1] != " ":
        start -= 1
    while end < len(form) and form[end] != " ":
        end += 1
    return fuzz.ratio(q, form[start:end].strip()) / 100


def _bigram_share(q: str, form: str) -> float:
    """Share of the quote's word bigrams (or words, for a one-word quote) found in ``form``."""
    qw, fw = q.split(" "), form.split(" ")
    if len(qw) < 2:
        return 1.0 if qw[0] in fw else 0.0
    have = set(zip(fw, fw[1:], strict=False))
    grams = list(zip(qw, qw[1:], strict=False))
    return sum(g in have for g in grams) / len(grams)
