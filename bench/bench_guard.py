"""Benchmark: what the segmentation guard (every word in some clause) costs a cold lineage build.

Run from the repository root::

    python bench/bench_guard.py            # bench_trace's histories and every real corpus history
    python bench/bench_guard.py --quick    # the quick histories and the five federal laws

Each history is built cold (``build_lineages``, no cache, one process) ``--repeat`` times; the
time spent in the guard (``coverage.guard``, run after every parse: whole texts, chunks) is
summed in each build, and the medians are compared: the guard's share of a cold build (a
trace's first build does this work and little else). Measured inside one build, the share does
not depend on how busy the machine is, as two builds timed against each other would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_trace  # noqa: E402

from drafttrack import coverage  # noqa: E402
from drafttrack.lineage import build_lineages  # noqa: E402
from drafttrack.model import VersionText  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"


def _versions(texts: Sequence[str]) -> list[VersionText]:
    return [
        VersionText({"id": f"v{k}", "label": f"v{k}", "position": k, "completeness": "full"}, t)
        for k, t in enumerate(texts)
    ]


def _histories(quick: bool) -> list[tuple[str, list[VersionText]]]:
    out = []
    for words, versions in ((20_000, 20), (2_000, 200)) if quick else ((20_000, 200),):
        texts = bench_trace.history(words, versions, seed=words + versions)
        out.append((f"generated {words:,} words x {versions}", _versions(texts)))
    folders = sorted(p for p in CORPORA.glob("*/*") if p.is_dir()) if CORPORA.is_dir() else []
    for folder in folders:
        if quick and folder.parent.name != "bundestag-gesetze":
            continue
        texts = [f.read_text("utf-8") for f in sorted(folder.glob("[0-9]*.md"))]
        out.append((f"{folder.parent.name}/{folder.name} x {len(texts)}", _versions(texts)))
    return out


class _Stopwatch:
    """``coverage.guard`` (what segmentation calls after each parse) with its time summed."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.guard = coverage.guard

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.guard(*args, **kwargs)
        finally:
            self.spent += time.perf_counter() - started


def _build(versions: list[VersionText], watch: _Stopwatch) -> tuple[float, float]:
    """A cold build's wall time and the time the guard took in it."""
    watch.spent = 0.0
    started = time.perf_counter()
    build_lineages("doc", versions, parallel=False)
    return time.perf_counter() - started, watch.spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter histories")
    parser.add_argument("--repeat", type=int, default=3, help="builds per history (median)")
    args = parser.parse_args()
    watch = _Stopwatch()
    coverage.guard = watch  # type: ignore[assignment]
    total_build = total_guard = 0.0
    try:
        for name, versions in _histories(args.quick):
            _build(versions, watch)  # warm: imports and module caches
            runs = [_build(versions, watch) for _ in range(args.repeat)]
            build = statistics.median(b for b, _g in runs)
            guard = statistics.median(g for _b, g in runs)
            total_build, total_guard = total_build + build, total_guard + guard
            print(
                f"{name:50} cold build {build:7.3f} s, guard {guard * 1000:7.1f} ms:"
                f" {guard / build:6.2%}"
            )
    finally:
        coverage.guard = watch.guard
    print(
        f"all histories: cold builds {total_build:.3f} s, guard {total_guard * 1000:.1f} ms:"
        f" {total_guard / total_build:.2%} of a cold build"
    )


if __name__ == "__main__":
    main()
