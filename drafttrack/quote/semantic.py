"""The cross-language matcher: a quote against sentence windows of every clause, by embedding.

Each clause is cut into windows (``windows.py``); a clause scores its best window. Generic
windows ("hubs", such as a short heading-like sentence) are close to every quote, so each
window's similarity is lowered by ``HUB_WEIGHT`` times its mean similarity to its nearest
neighbours among the clause windows (cross-domain similarity local scaling, as used for
translation retrieval). Vectors and hub values come from the derived cache when one is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from drafttrack.quote.cache import embed_in_steps
from drafttrack.quote.embedder import passage_side
from drafttrack.quote.windows import STRIDE, WINDOW_WORDS, windows

if TYPE_CHECKING:
    from drafttrack.quote.cache import QuoteCache
    from drafttrack.quote.embedder import Embedder

HUB_WEIGHT = 0.3
"""How much a window's hubness lowers its score (0.3: +3 points top-1 in the benchmark with
``query:`` windows). With ``passage:`` windows every 2 words it changes the ranking little (dev
seeds 8–10, semantic evidence alone: top-1 0.918 with it, 0.920 without; 0.5 gave 0.912), but it
keeps the similarities on the scale that ``SEMANTIC_FLOOR``/``SEMANTIC_CEILING`` map (without
it the right clause scores 0.85–0.93, all above the ceiling)."""

HALF_WEIGHT = 0.2
"""Weight of each half of a quote: a clause that holds both halves of the quote, each in some
window, is likelier its source (+2–3 points top-1 in the benchmark)."""

HALF_MIN_WORDS = 6

WHOLE_WEIGHT = 0.2
"""Weight of the quote's similarity with the whole clause (the context a window lacks)."""

RESIDENT_BYTES = 256 << 20
"""Window matrices up to this size are read into memory for a batch of quotes (a report)."""

HUB_NEIGHBOURS = 10
HUB_SAMPLE = 2048
"""Hubness is measured against at most this many windows, spread evenly over the list."""


class SemanticIndex:
    """Window vectors of a list of clause texts, ready to score quotes."""

    def __init__(
        self,
        texts: Sequence[str],
        embedder: Embedder,
        cache: QuoteCache | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.embedder = embedder
        self.count = len(texts)
        searched = passage_side(embedder)

        def build() -> dict[str, np.ndarray]:
            all_windows: list[str] = []
            starts: list[int] = []
            for text in texts:
                starts.append(len(all_windows))
                all_windows.extend(windows(text) or [text])
            if cache is not None:
                matrix = cache.vectors(all_windows, searched, progress)
            else:
                matrix = embed_in_steps(searched, all_windows, progress)
            offsets = np.asarray(starts, dtype=np.int64)
            return {"matrix": matrix, "starts": offsets, "hub": hubness(matrix, offsets)}

        if cache is None:
            arrays = build()
        else:
            layout = f"windows-v5-{WINDOW_WORDS}-{STRIDE}"  # a new layout or hubness, new arrays
            key = "\x1f".join([searched.name, layout, "\x1e".join(texts)])
            arrays = cache.arrays(key, ("matrix", "starts", "hub"), build)
        self.matrix = arrays["matrix"]
        self.starts = arrays["starts"]
        self.hub = arrays["hub"]

    def embed_quote(self, quote: str) -> np.ndarray:
        """Vectors of the quote and, when it has ``HALF_MIN_WORDS`` words, of its two halves."""
        return self.embedder.embed(self.quote_texts(quote))

    @staticmethod
    def quote_texts(quote: str) -> list[str]:
        """The quote and, when it has ``HALF_MIN_WORDS`` words, its two halves."""
        words = quote.split()
        texts = [quote]
        if len(words) >= HALF_MIN_WORDS:
            middle = len(words) // 2
            texts += [" ".join(words[: middle + 1]), " ".join(words[middle - 1 :])]
        return texts

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Per clause, the hub-corrected similarity of its best window with the quote; also,
        weighted, that of each half of the quote with its best window and that of the quote
        with the whole clause (its last window)."""
        return _scores(vectors, self.matrix, self.hub, self.starts)

    def scores_many(self, groups: Sequence[np.ndarray]) -> list[np.ndarray]:
        """:meth:`scores` of several quotes' vectors, the window matrix read into memory once
        instead of through the file mapping (several times faster). Each quote keeps a
        product of its own: the last bits of a product depend on how many rows it has."""
        matrix, hub = self.matrix, self.hub
        if len(groups) > 1 and matrix.nbytes <= RESIDENT_BYTES:
            matrix, hub = np.array(matrix), np.array(hub)
        return [_scores(vectors, matrix, hub, self.starts) for vectors in groups]


def _scores(
    vectors: np.ndarray, matrix: np.ndarray, hub: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    if len(starts) == 0:
        return np.zeros(0, dtype=np.float32)
    sims = vectors @ matrix.T - HUB_WEIGHT * hub
    best = np.maximum.reduceat(sims, starts, axis=1)
    weights = np.array([1.0] + [HALF_WEIGHT] * (len(vectors) - 1), dtype=np.float32)
    ends = np.append(starts[1:], len(matrix)) - 1
    whole = sims[0, ends]
    result: np.ndarray = (weights @ best + WHOLE_WEIGHT * whole) / (weights.sum() + WHOLE_WEIGHT)
    return result


def hubness(matrix: np.ndarray, starts: np.ndarray | None = None) -> np.ndarray:
    """Each row's mean similarity to its ``HUB_NEIGHBOURS`` nearest rows of a sample, leaving out
    the windows of its own clause (``starts``: each clause's first row): overlapping windows of
    one clause are each other's nearest neighbours, which says nothing about hubness."""
    n = len(matrix)
    if n < 2:
        return np.zeros(n, dtype=np.float32)
    owner = np.zeros(n, dtype=np.int64)
    if starts is not None and len(starts) > 1:
        owner[starts[1:]] = 1
        owner = np.cumsum(owner)
    step = max(1, n // HUB_SAMPLE)
    sample = matrix[::step][:HUB_SAMPLE]
    sample_owner = owner[::step][: len(sample)]
    k = min(HUB_NEIGHBOURS, len(sample) - 1)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, 4096):
        sims = matrix[start : start + 4096] @ sample.T
        sims[sims > 0.9999] = -1.0  # the row itself, or an identical window
        if starts is not None:
            sims[owner[start : start + 4096, None] == sample_owner[None, :]] = -1.0
        top = np.partition(sims, -k, axis=1)[:, -k:]
        # in a small index a row may have fewer than k windows of other clauses: the left-out
        # ones (-1) are no neighbours, so the mean is over the real ones only
        real = top > -1.0
        total = np.where(real, top.clip(min=0.0), 0.0).sum(axis=1)
        out[start : start + len(sims)] = total / np.maximum(real.sum(axis=1), 1)
    return out
