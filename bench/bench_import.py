"""Benchmark: ``drafttrack import`` alone, on the history bench_trace.py's "many" case generates.

Run from the repository root::

    python bench/bench_import.py                      # 2,000 words x 2,000 versions
    python bench/bench_import.py --versions 200       # 2,000 words x 200 versions
    python bench/bench_import.py --profile out.prof   # also write a cProfile of the import

The history is ``bench_trace.history(words, versions, seed=words + versions)`` (the seed
bench_trace.py uses), written as one file per version; only the import is timed, split into
reading the folder and building the versions ("read+build"), and writing them: the pack built in
Python, ``git index-pack`` and ``update-ref`` ("write").
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_trace  # noqa: E402

from drafttrack.cli import main as drafttrack_main  # noqa: E402
from repo_store import bulk  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--versions", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=1, help="imports into fresh stores")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the last import")
    args = parser.parse_args()
    if not bench_trace.CORPORA.is_dir():
        sys.exit(f"corpora not found at {bench_trace.CORPORA}")
    texts = bench_trace.history(args.words, args.versions, seed=args.words + args.versions)
    write_time = [0.0]
    real_run = bulk._write_commits

    def timed_run(*a: object, **k: object) -> str:
        start = time.perf_counter()
        try:
            return real_run(*a, **k)  # type: ignore[arg-type]
        finally:
            write_time[0] += time.perf_counter() - start

    bulk._write_commits = timed_run  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="drafttrack-bench-import-") as tmp:
        folder = Path(tmp) / "many"
        folder.mkdir()
        for n, text in enumerate(texts, 1):
            (folder / f"{n:05d}.md").write_text(text, "utf-8")
        for r in range(args.repeat):
            store = Path(tmp) / f"store-{r}"
            assert drafttrack_main(["--store", str(store), "init"]) == 0
            write_time[0] = 0.0
            argv = ["--store", str(store), "import", "many", str(folder)]
            profiler = cProfile.Profile() if args.profile and r == args.repeat - 1 else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            assert drafttrack_main(argv) == 0
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            elapsed = time.perf_counter() - start
            print(
                f"import {args.words:,} words x {args.versions:,} versions: {elapsed:6.2f} s "
                f"{args.versions / elapsed:6.0f} versions/s  "
                f"(read+build {elapsed - write_time[0]:5.2f} s, write {write_time[0]:5.2f} s)"
            )


if __name__ == "__main__":
    main()
