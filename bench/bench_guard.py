"""Benchmark: what the segmentation guard (every word in some clause) costs a cold lineage build.

Run from the repository root::

    python bench/bench_guard.py            # bench_trace's histories and every real corpus history
    python bench/bench_guard.py --quick    # the quick histories and the five federal laws

Each history is built cold (``build_lineages``, no cache, one process) with the guard as
shipped and with the guard's check replaced by one that finds nothing lost, alternately, and
the medians of ``--repeat`` builds are compared in the same process: the ratio is the guard's
share of a cold build (a trace's first build does this work and little else).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

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


def _timed(build: Callable[[], object]) -> float:
    started = time.perf_counter()
    build()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter histories")
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant (median)")
    args = parser.parse_args()
    shipped = coverage.uncovered
    total_on = total_off = 0.0
    for name, versions in _histories(args.quick):
        build_lineages("doc", versions, parallel=False)  # warm: imports and module caches
        on: list[float] = []
        off: list[float] = []
        for _ in range(args.repeat):
            coverage.uncovered = shipped
            on.append(_timed(lambda vs=versions: build_lineages("doc", vs, parallel=False)))
            coverage.uncovered = lambda *_a, **_k: []
            off.append(_timed(lambda vs=versions: build_lineages("doc", vs, parallel=False)))
        coverage.uncovered = shipped
        a, b = statistics.median(on), statistics.median(off)
        total_on, total_off = total_on + a, total_off + b
        print(f"{name:55} cold build {a:7.3f} s, without the guard {b:7.3f} s: {a / b - 1:+6.1%}")
    print(f"all histories: {total_on:.3f} s vs {total_off:.3f} s: {total_on / total_off - 1:+.1%}")


if __name__ == "__main__":
    main()
