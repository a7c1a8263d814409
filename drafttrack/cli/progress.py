"""Progress bars for long work: counts, rate and time left on a terminal, nothing otherwise.

A bar appears only when stdout and stderr are both terminals (it is drawn on stderr, so
``--json`` output stays clean) and once the work has taken ``SHOW_AFTER`` seconds: short work
prints nothing extra. click's progress bar is used (click is already a dependency; ``rich``
would add one for the same counts, rate and ETA).
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any

import click

SHOW_AFTER = float(os.environ.get("DRAFTTRACK_PROGRESS_AFTER", "1.0"))
"""Seconds of work before a bar appears (``$DRAFTTRACK_PROGRESS_AFTER``)."""


def on_terminal() -> bool:
    """True when a progress bar may be drawn (stdout and stderr are terminals)."""
    return sys.stdout.isatty() and sys.stderr.isatty()


class Progress:
    """A callback ``progress(done, total)`` that draws a bar when it should; a context manager
    that closes the bar. ``summary()`` is what ``--json`` reports."""

    def __init__(self, label: str, unit: str) -> None:
        self.label, self.unit = label, unit
        self.enabled = on_terminal()
        self.started = time.perf_counter()
        self.done = 0
        self.total = 0
        self._bar: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)
            self._bar = None

    def _rate(self, _item: object) -> str:
        elapsed = time.perf_counter() - self.started
        return f"{self.done / elapsed:.1f} {self.unit}/s" if elapsed > 0 else ""

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if not self.enabled:
            return
        if self._bar is None:
            if time.perf_counter() - self.started < SHOW_AFTER or done >= total:
                return
            self._bar = click.progressbar(
                length=total, label=self.label, show_eta=True, show_pos=True,
                item_show_func=self._rate, file=sys.stderr,
            )  # fmt: skip
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos, done)

    def summary(self) -> dict[str, float | int]:
        """Counts and time of the work, for ``--json``."""
        seconds = time.perf_counter() - self.started
        return {self.unit: self.done, "seconds": round(seconds, 3)}
