"""Clause vectors for cross-language alignment: the quote embedder, batched and cached.

The texts embedded are what a reader sees of each clause without its number label (the
numbering is compared separately, as anchors). Vectors go through the quote cache in the
store's cache folder (keyed by model and text hash), so a clause embedded once — for a quote
or an earlier comparison — is never embedded again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from drafttrack.errors import DrafttrackError
from drafttrack.inline import visible_text
from drafttrack.model import Clause
from drafttrack.numbering import split_number
from drafttrack.quote.cache import QuoteCache
from drafttrack.quote.embedder import EXTRA_HINT, Embedder, load_embedder

if TYPE_CHECKING:
    import numpy as np

Vectors = Callable[[Sequence[str]], "np.ndarray"]
"""Texts in, one unit vector per text out."""


class NoEmbedder(DrafttrackError):
    """Cross-language comparison needs the multilingual model, which is not installed."""


def clause_text(clause: Clause) -> str:
    """The text of a clause as embedded: visible text, number label removed."""
    _, body = split_number(clause.text)
    text = visible_text(body or clause.text).strip()
    return text or visible_text(clause.text).strip() or "."


def clause_vectors(cache_folder: Path | None = None, embedder: Embedder | None = None) -> Vectors:
    """A function embedding texts with ``embedder`` (default: the quote model), through the
    vector cache under ``cache_folder`` when given; raises NoEmbedder when there is no model."""
    model = embedder or load_embedder()
    if model is None:
        raise NoEmbedder(EXTRA_HINT)
    chosen: Embedder = model

    def embed(texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, chosen.dim), dtype=np.float32)
        if cache_folder is None:
            unique = list(dict.fromkeys(texts))
            rows = dict(zip(unique, chosen.embed(unique), strict=True))
            return np.stack([rows[t] for t in texts]).astype(np.float32)
        with QuoteCache(cache_folder) as cache:
            return cache.vectors(list(texts), chosen)

    return embed
