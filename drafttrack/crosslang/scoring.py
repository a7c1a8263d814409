"""Hubness-corrected scores between the clauses of two texts, and their calibration to 0..1.

Raw cosine is a poor aligner across languages: some clauses ("hubs") are close to everything,
and similarities of right pairs vary from one language pair to another. The *margin* of a pair
(Bertalign, after Artetxe & Schwenk 2019) is its cosine minus the mean of the cosines of each
side with its ``k`` nearest neighbours on the other side:

    margin(x, y) = cos(x, y) − (mean_kNN(x) + mean_kNN(y)) / 2

(CSLS is the same quantity times two). A right pair stands out from its neighbourhood; a hub
does not. Merged candidates (two adjacent clauses against one) are scored with the normalised
length-weighted sum of the two vectors and that sum's own neighbourhood.

Calibration: :func:`calibrated` maps a margin to the probability that the pair is a right
translation pair, by a logistic curve ``1 / (1 + exp(−(A · margin + B)))``. ``A`` and ``B``
were fitted by logistic regression on the development seeds of ``bench/bench_crosslang.py
--calibrate`` (every candidate pair within the alignment window of the Contributor Covenant
de/fr/ru ↔ en texts under seeded edits, labelled right or wrong by the known edits), so that
a reported ``similarity`` of 0.9 means about nine in ten such pairs are right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

K = 4
"""Neighbours in the margin's neighbourhood means."""
KIND_PENALTY = 0.1
"""Subtracted from the cosine of a heading against a clause that is not one: translations keep
headings headings, and short headings are otherwise close to many things."""
A, B = 22.3, 3.38
"""Calibration of the margin (see the module docstring; refit with ``--calibrate``)."""


class Scores:
    """Cosines, neighbourhood means and margins of two sets of unit vectors."""

    def __init__(
        self,
        old: np.ndarray,
        new: np.ndarray,
        k: int = K,
        old_headings: Sequence[bool] = (),
        new_headings: Sequence[bool] = (),
        old_lengths: Sequence[int] = (),
        new_lengths: Sequence[int] = (),
    ) -> None:
        import numpy as np

        self.old_w = _weights(old_lengths, len(old))
        self.new_w = _weights(new_lengths, len(new))

        self.old, self.new = old, new
        n, m = len(old), len(new)
        self.cos = old @ new.T if n and m else np.zeros((n, m), dtype=np.float32)
        self.mismatch = np.zeros((n, m), dtype=np.float32)
        self.old_headings, self.new_headings = list(old_headings), list(new_headings)
        if len(old_headings) == n and len(new_headings) == m and n and m:
            a = np.array(old_headings, dtype=bool)
            b = np.array(new_headings, dtype=bool)
            self.mismatch = (a[:, None] != b[None, :]).astype(np.float32) * KIND_PENALTY
            self.cos = self.cos - self.mismatch
        self.r_old = knn_mean(self.cos, min(k, m))
        self.r_new = knn_mean(self.cos.T, min(k, n))
        self.margin = self.cos - (self.r_old[:, None] + self.r_new[None, :]) / 2
        self._merged_old: np.ndarray | None = None
        self._merged_new: np.ndarray | None = None

    def old_heading(self, i: int) -> bool:
        """Whether old clause ``i`` is a heading."""
        return bool(self.old_headings) and bool(self.old_headings[i])

    def new_heading(self, j: int) -> bool:
        """Whether new clause ``j`` is a heading."""
        return bool(self.new_headings) and bool(self.new_headings[j])

    def merged_old_margins(self) -> np.ndarray:
        """``(n−1, m)``: margins of old clauses ``i`` and ``i+1`` together against new ``j``."""
        import numpy as np

        if self._merged_old is None:
            merged = _merged(self.old, self.old_w, self.new, self.r_new)
            if len(merged):
                merged -= np.maximum(self.mismatch[:-1], self.mismatch[1:])
            self._merged_old = merged
        return self._merged_old

    def merged_new_margins(self) -> np.ndarray:
        """``(n, m−1)``: margins of old clause ``i`` against new ``j`` and ``j+1`` together."""
        import numpy as np

        if self._merged_new is None:
            merged = _merged(self.new, self.new_w, self.old, self.r_old).T
            if merged.size:
                merged -= np.maximum(self.mismatch[:, :-1], self.mismatch[:, 1:])
            self._merged_new = merged
        return self._merged_new


def _weights(lengths: Sequence[int], n: int) -> np.ndarray:
    import numpy as np

    if len(lengths) != n:
        return np.ones((n, 1), dtype=np.float32)
    return np.maximum(np.array(lengths, dtype=np.float32), 1.0).reshape(n, 1)


def _merged(pairs: np.ndarray, weights: np.ndarray, other: np.ndarray,
            r_other: np.ndarray) -> np.ndarray:  # fmt: skip
    """Margins of each two adjacent rows of ``pairs`` against ``other``: their sum weighted by
    length (the model mean-pools over tokens, so this approximates the vector of the two texts
    joined), normalised."""
    import numpy as np

    if len(pairs) < 2 or len(other) == 0:
        return np.zeros((max(len(pairs) - 1, 0), len(other)), dtype=np.float32)
    weighted = pairs * weights
    summed = weighted[:-1] + weighted[1:]
    summed /= np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-9)
    cos = summed @ other.T
    r = knn_mean(cos, min(K, len(other)))  # the merged text's own neighbourhood
    out: np.ndarray = cos - (r[:, None] + r_other[None, :]) / 2
    return out


def knn_mean(cos: np.ndarray, k: int) -> np.ndarray:
    """Per row, the mean of its ``k`` largest values."""
    import numpy as np

    if k <= 0 or cos.shape[1] == 0:
        return np.zeros(cos.shape[0], dtype=np.float32)
    top = np.partition(cos, cos.shape[1] - k, axis=1)[:, cos.shape[1] - k :]
    out: np.ndarray = top.mean(axis=1)
    return out


def calibrated(margin: float) -> float:
    """The calibrated 0..1 similarity of a pair with this margin (see the module docstring)."""
    x = A * margin + B
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0
