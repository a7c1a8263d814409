"""Server-side time of the viewer's compare page for two ~100,000-word versions, cold and warm;
and of the document, history-flow and trace pages of a 1,000-version history.

    python bench/bench_web.py                  # generated pair (100,000 words) + kredwg pair
    python bench/bench_web.py --words 200000   # another size for the generated pair
    python bench/bench_web.py --history-only   # only the 1,000-version histories

Histories (``tests/flow_history.py``): real corpus prose edited version after version
(rewordings, insertions, deletions, restorations, moves): ~160 paragraphs of GitHub's site
policies, and ~2,000 paragraphs of the Kreditwesengesetz when that corpus is present. Per page:
**cold** = the document page first asked of a fresh app over a fresh store (it builds the
lineage index); **first** = a page's first request once the index exists; **warm** = the same
URL again (page cache per store HEAD); **warm render** =
page cache cleared, derived data (lineage index, flow) kept. Targets: warm under 300 ms and under
1 MB of HTML.

Pairs: (1) real corpus text of ~100,000 words and an edited copy (2% of clauses reworded, some
deleted, inserted and moved; the generator of ``bench_diff.py``); (2) two real versions of the
Kreditwesengesetz (``bundestag-gesetze/kredwg``, ~105,000 words) when the corpus is present.

Each pair goes into a fresh store and is requested through the real Flask app (test client, no
network), after the report libraries are loaded (``serve`` loads them at start, in a thread):
**cold, nothing cached** = the first request of a fresh app with the store's cache folder deleted
(segmentation, alignment, word diffs, rendering); **cold, segmentations cached at add** = the
same with both texts segmented beforehand, as ``add`` and the upload form leave a store (not
``import``); **warm** = the same URL again (page cache per store HEAD); **warm render** = the page
rendered again with the comparison cached (page cache cleared): as it opens (a long pair opens as
changes only), the whole side by side and inline (``?all=1``), changes only. Baselines measured
in the same process: the engine alone (``compare_clauses`` on already segmented clauses) and the
documents page.

    python bench/bench_web.py --pairs-only     # only the compare pairs
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(n: int, fn: Callable[[], object]) -> float:
    return statistics.median(timed(fn)[0] for _ in range(n))


def pairs(words: int) -> list[tuple[str, str, str]]:
    """(name, old text, new text) for each benchmark pair available."""
    out = []
    if CORPORA.is_dir():
        from bench_diff import base_text, edited_text

        base = base_text(words)
        edited, _ = edited_text(base)
        out.append((f"generated {len(base.split()):,} words", base, edited))
        kredwg = CORPORA / "bundestag-gesetze" / "kredwg"
        if (kredwg / "011.md").exists():
            old = (kredwg / "008.md").read_text("utf-8")
            new = (kredwg / "011.md").read_text("utf-8")
            out.append((f"kredwg 008→011 {len(new.split()):,} words", old, new))
    else:
        para = "The parties shall review clause {i} of this agreement every {i} months in faith."
        old = "\n\n".join(para.format(i=i) for i in range(words // 15))
        new = old.replace("in faith", "in good faith", 50)
        out.append((f"synthetic {len(old.split()):,} words (corpus absent)", old, new))
    return out


def bench_pair(name: str, old: str, new: str, tmp: Path) -> None:
    import shutil

    from drafttrack.compare import compare_clauses
    from drafttrack.segment import segment
    from drafttrack.segment_cache import warm
    from repo_store import Provenance, Store
    from web import create_app
    from web.views import export_formats

    path = tmp / name.split()[0]
    with Store.init(path) as store:
        a = store.add_version("bench", old, Provenance(label="old")).version.id
        b = store.add_version("bench", new, Provenance(label="new")).version.id
        cache_dir = store.cache_dir
    libraries, _ = timed(export_formats)  # `serve` loads them at start, before any page
    url = f"/d/bench/compare/{a}/{b}"

    def fresh(u: str, segments_cached: bool) -> tuple[float, int]:
        """Server time of the first request of a fresh app in a new process (the engine's
        in-process memos empty), the store's derived data deleted first (``segments_cached``:
        then both texts segmented again, as ``add`` leaves it); and the page's size."""
        shutil.rmtree(cache_dir, ignore_errors=True)
        if segments_cached:
            warm(cache_dir, old)
            warm(cache_dir, new)
        code = (
            "import sys, time\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from web import create_app\n"
            "from web.views import export_formats\n"
            "export_formats()  # `serve` loads the report libraries at start\n"
            f"app = create_app({str(path)!r}, {{'SECRET_KEY': 'bench', 'TESTING': True}})\n"
            "client = app.test_client()\n"
            "start = time.perf_counter()\n"
            f"response = client.get({u!r})\n"
            "assert response.status_code == 200, response.status_code\n"
            "print(time.perf_counter() - start, len(response.data))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        seconds, size = out.stdout.split()
        return float(seconds), int(size)

    cold, size = fresh(url, False)
    cold_whole, whole_size = fresh(url + "?all=1", False)
    added, _ = fresh(url, True)
    added_whole, _ = fresh(url + "?all=1", True)
    app = create_app(path, {"SECRET_KEY": "bench", "TESTING": True})
    client = app.test_client()
    get_first, _ = timed(lambda: client.get(url))

    def get(u: str) -> int:
        response = client.get(u)
        assert response.status_code == 200, response.status_code
        return len(response.data)

    pages = app.extensions["drafttrack_caches"]["pages"]

    def rendered(u: str) -> int:
        pages.clear()  # the comparison stays cached; the HTML is rendered again
        return get(u)

    warm_s = median_of(5, lambda: get(url))
    side = median_of(3, lambda: rendered(url))
    whole = median_of(3, lambda: rendered(url + "?all=1"))
    inline_first = median_of(3, lambda: rendered(url + "?view=inline&all=1"))
    only_first = median_of(3, lambda: rendered(url + "?changes=only"))
    index = median_of(5, lambda: get("/"))
    old_c, new_c = segment(old), segment(new)
    engine = median_of(3, lambda: compare_clauses(old_c, new_c))
    print(f"\n{name}: {len(new_c):,} clauses; page {size / 1e6:.2f} MB of HTML as it opens, "
          f"{whole_size / 1e6:.1f} MB whole (?all=1)")  # fmt: skip
    print(f"  report libraries loaded at server start (as `serve` does) {libraries:7.3f} s")
    print("  cold = first request of a fresh app in a new process (server time):")
    print(f"  cold, nothing cached (cache folder deleted)             {cold:7.3f} s")
    print(f"  cold, nothing cached, whole comparison (?all=1)         {cold_whole:7.3f} s")
    print(f"  cold, segmentations cached at add                       {added:7.3f} s")
    print(f"  cold, segmentations cached at add, whole (?all=1)       {added_whole:7.3f} s")
    print(f"  first request, fresh app in this process, all on disk  {get_first:7.3f} s")
    print(f"  warm  (same URL, page cache)                            {warm_s:7.4f} s")
    print(f"  warm render: as it opens (comparison cached)            {side:7.3f} s")
    print(f"  warm render: whole side by side (?all=1)                {whole:7.3f} s")
    print(f"  warm render: whole inline view                          {inline_first:7.3f} s")
    print(f"  warm render: changes only                               {only_first:7.3f} s")
    print(f"  baseline: engine compare_clauses alone                  {engine:7.3f} s")
    print(f"  baseline: documents page                                {index:7.4f} s")
    print(
        f"  ratios: cold / engine {cold / engine:.1f}x; whole render / engine "
        f"{whole / engine:.2f}x; warm / documents page {warm_s / index:.1f}x"
    )


def histories(versions: int) -> list[tuple[str, object]]:
    """(name, generated History) for each history benchmark the corpora allow."""
    from tests.flow_history import generate

    if not CORPORA.is_dir():
        return []
    out: list[tuple[str, object]] = [("policies", generate(CORPORA, versions))]
    kredwg = "bundestag-gesetze/kredwg/011.md"
    if (CORPORA / kredwg).exists():
        out.append(("kredwg", generate(CORPORA, versions, 2000, sources=[kredwg])))
    return out


def bench_history(name: str, history: object, tmp: Path) -> None:
    from drafttrack.history_flow import history_flow
    from drafttrack.service.lineages import document_lineages
    from repo_store import Store
    from tests.flow_history import record
    from web import create_app

    path = tmp / f"history-{name}"
    with Store.init(path) as store:
        record(store, "gen", history)
    app = create_app(path, {"SECRET_KEY": "bench", "TESTING": True})
    client = app.test_client()
    pages = app.extensions["drafttrack_caches"]["pages"]

    def get(u: str) -> int:
        response = client.get(u)
        assert response.status_code == 200, (u, response.status_code)
        return len(response.data)

    def rendered(u: str) -> int:
        pages.clear()
        return get(u)

    urls = {
        "document page": "/d/gen",
        "history flow page": "/d/gen/flow",
        "trace page": "/d/gen/trace?q=annual+review+of+every+transfer",
        "versions page 5 (filtered)": "/d/gen?substantive=1&page=5",
    }
    n = len(history.texts)  # type: ignore[attr-defined]
    cold, _ = timed(lambda: get(urls["document page"]))
    pages.clear()
    with Store.open(path) as store, document_lineages(store, "gen") as lin:
        flow = history_flow(lin)
        engine = median_of(3, lambda: history_flow(lin))
    print(f"\nhistory {name}: {n:,} versions, {len(flow.bands):,} bands in "
          f"{len(flow.bundles):,} shapes, {len(flow.columns)} columns")  # fmt: skip
    print(f"  cold: first request of a fresh app, lineage index built   {cold:7.3f} s")
    for label, url in urls.items():
        first, size = timed(lambda u=url: get(u))
        warm = median_of(5, lambda u=url: get(u))
        render = median_of(3, lambda u=url: rendered(u))
        ok = "meets" if warm < 0.3 and size < 1e6 else "MISSES"
        print(f"  {label:27s} first {first:7.3f} s  warm {warm * 1e3:7.2f} ms  "
              f"warm render {render * 1e3:7.1f} ms  {size / 1e3:7.0f} kB  "
              f"({ok} 300 ms / 1 MB)")  # fmt: skip
    index = median_of(5, lambda: rendered("/"))
    print(f"  baseline: history_flow from the stored index alone {engine * 1e3:7.1f} ms; "
          f"documents page render {index * 1e3:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=1000, help="versions of each history")
    parser.add_argument("--history-only", action="store_true", help="skip the compare pairs")
    parser.add_argument("--pairs-only", action="store_true", help="skip the histories")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (figures scale with load)")
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        for name, history in [] if args.pairs_only else histories(args.versions):
            bench_history(name, history, Path(tmp))
        if not args.history_only:
            for name, old, new in pairs(args.words):
                bench_pair(name, old, new, Path(tmp))


if __name__ == "__main__":
    main()
