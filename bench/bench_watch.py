"""Benchmark: how many watched pages ``watch run`` checks a minute, against a plain httpx loop.

Run from the repository root::

    python bench/bench_watch.py                 # 1,000 pages of ~20 KB, 3 cycles
    python bench/bench_watch.py --pages 200     # a quicker run

A loopback server (in this process) serves the pages with ETags. The first cycle records every
page (not timed: it is the initial import); then each cycle changes 10 % of the pages and polls
all watches (conditional requests: 90 % answer 304, 10 % a new body that is extracted and
recorded as a version), and one cycle with no change is all 304s. The schedule runs on a fake
clock (every watch due each cycle) and with no per-host gap (all pages are on one host); the
time measured is real. The baseline is a plain ``httpx.Client`` loop fetching every page once,
in the same process against the same server. Peak memory is this process's maximum RSS (the
ingest children that read changed pages are bounded separately).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from drafttrack.service.watching import Watch, Watching  # noqa: E402
from drafttrack.watch.clock import FakeClock  # noqa: E402
from drafttrack.watch.fetch import Fetcher  # noqa: E402
from repo_store import Store  # noqa: E402
from tests.watch_server import Site, conditional, serving  # noqa: E402

WORDS = (
    "the parties shall notify report measure committee guidelines secretariat agreement "
    "implementation annual cooperation information review conference force"
).split()


def page(n: int, revision: int, rng: random.Random) -> bytes:
    """~20 KB of numbered articles; ``revision`` changes one article's wording."""
    parts = [f"<html><body><main><h1>Page {n}</h1>"]
    for a in range(1, 41):
        words = " ".join(rng.choice(WORDS) for _ in range(70))
        if a == 7:
            words += f" revision {revision}"
        parts.append(f"<p>Article {a}. {words}.</p>")
    parts.append("</main></body></html>")
    return "".join(parts).encode()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=2, help="cycles with 10 %% changed")
    args = parser.parse_args()
    rng = random.Random(14)
    bodies = {n: page(n, 0, random.Random(n)) for n in range(args.pages)}
    revisions = dict.fromkeys(bodies, 0)
    with serving(Site()) as site, tempfile.TemporaryDirectory() as tmp:
        site.set("/robots.txt", b"User-agent: *\nDisallow:\n", content_type="text/plain")
        for n, body in bodies.items():
            site.set(f"/p/{n}", conditional(body, f'"{n}-0"'))
        store = Store.init(Path(tmp) / "store")
        clock = FakeClock()
        fetcher = Fetcher(clock=clock, min_gap_s=0)
        watching = Watching(store, clock=clock, fetcher=fetcher)
        for n in bodies:
            watching.add(Watch("", f"page-{n}", site.url(f"/p/{n}"), every_s=60))
        start = time.perf_counter()
        first = watching.run_due()
        print(f"initial cycle: {len(first)} pages recorded in {time.perf_counter() - start:.1f} s")

        def cycle(change: bool) -> tuple[float, dict[str, int]]:
            if change:
                for n in rng.sample(sorted(bodies), max(1, args.pages // 10)):
                    revisions[n] += 1
                    body = page(n, revisions[n], random.Random(n))
                    site.set(f"/p/{n}", conditional(body, f'"{n}-{revisions[n]}"'))
            clock.advance(70)
            t0 = time.perf_counter()
            reports = watching.run_due()
            elapsed = time.perf_counter() - t0
            counts: dict[str, int] = {}
            for r in reports:
                counts[r.outcome] = counts.get(r.outcome, 0) + 1
            return elapsed, counts

        for c in range(args.cycles):
            elapsed, counts = cycle(True)
            print(f"cycle {c + 1}, 10 % changed: {args.pages / elapsed * 60:,.0f} polls/min "
                  f"({elapsed:.1f} s; {counts})")  # fmt: skip
        elapsed_304, counts = cycle(False)
        print(f"cycle, all 304: {args.pages / elapsed_304 * 60:,.0f} polls/min "
              f"({elapsed_304:.1f} s; {counts})")  # fmt: skip
        with httpx.Client() as client:
            t0 = time.perf_counter()
            for n in bodies:
                client.get(site.url(f"/p/{n}")).raise_for_status()
            plain = time.perf_counter() - t0
        print(f"plain httpx loop (fetch only, full bodies): {args.pages / plain * 60:,.0f} "
              f"fetches/min ({plain:.1f} s)")  # fmt: skip
        print(f"ratio watch (all 304) / plain loop: {plain / elapsed_304:.2f}; "
              f"watch (10 % changed) / plain loop: {plain / elapsed:.2f}")  # fmt: skip
        print(f"peak memory (this process, max RSS): {peak_mb():.0f} MB")
        fetcher.close()
        store.close()


if __name__ == "__main__":
    main()
