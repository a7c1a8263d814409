"""Reports as evidence: link accuracy on synthetic reports, and linking speed.

    python bench/bench_reports.py                     # evaluation (reporting seeds) + timing
    python bench/bench_reports.py --seeds 1,2         # the tuning seeds (what thresholds saw)
    python bench/bench_reports.py --no-timing --quick # one seed, one report per pair
    python bench/bench_reports.py --no-eval --clauses 2000

Evaluation (``drafttrack.evidence.evaluate``): the Contributor Covenant releases that have
German, French and Russian translations paragraph for paragraph; the English paragraphs (a
quarter held out per seed as "clauses no version has", plus 200 distractor paragraphs of GitHub's
community guidelines) are the store. Synthetic reports in en/de/fr/ru mix sentences quoting (in
quotation marks) or paraphrasing (with a reporting cue) a stored clause, in the report's
language — so a German report quotes the German translation of an English clause —, news filler,
and claims cut from held-out paragraphs. Printed per language: sentence-level link precision
and recall, top-1 clause accuracy of linked sentences, unmatched-claim precision and recall.
Targets: precision >= 0.95, recall >= 0.90, unmatched recall >= 0.85. Seeds 1-2 were used to
choose the thresholds in ``drafttrack/evidence/link.py``; seeds 11-13 (the default) report.

Timing: a report of about 2,000 words (its sentences from the synthetic generator, one third
quoting or paraphrasing) linked against 10,000 distinct clauses (real corpus sentences), with
the clause vectors already in the derived cache (warm; the first, cold run embeds them and is
printed too). Printed: a first report, a second report never linked before (warm index, its
sentences embedded), and that report linked again (each ``report show`` links it again: its
vectors are then read from the derived cache). Baseline, same process: the same queries asked
one by one through ``Attributor.attribute`` (no batching). Target: warm < 3 s. The CPU time
(every thread of the process) is printed beside the wall time: on a shared machine it says
more.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from drafttrack.evidence.evaluate import run  # noqa: E402

TARGETS = {"precision": 0.95, "recall": 0.90, "unmatched_recall": 0.85}


def print_figures(results: dict) -> None:  # type: ignore[type-arg]
    print(f"{'lang':>5} {'claims':>6} {'unm.':>5} {'prec':>6} {'recall':>6} {'top-1':>6} "
          f"{'u.prec':>6} {'u.rec':>6}")  # fmt: skip
    for lang, tally in results.items():
        f = tally.figures()
        print(f"{lang:>5} {tally.claims:6d} {tally.unmatched:5d} {f['precision']:6.3f} "
              f"{f['recall']:6.3f} {f['top1']:6.3f} {f['unmatched_precision']:6.3f} "
              f"{f['unmatched_recall']:6.3f}")  # fmt: skip
    print("targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()))


def _report(stored: list[tuple[str, str]], spare: list[str], words: int, seed: int) -> list:  # type: ignore[type-arg]
    from drafttrack.evidence.synthetic import build_report

    rng = random.Random(seed)
    planted: list = []  # type: ignore[type-arg]
    while sum(len(p.text.split()) for p in planted) < words:
        planted += build_report(stored, spare, rng.choice(["en", "de"]), rng, 12)
    return planted


def timing(clauses: int, words: int, cache: Path, report_seed: int = 6) -> None:
    from bench_quote import corpus_sentences

    from drafttrack.evidence.link import _prepare, link_report
    from drafttrack.evidence.synthetic import report_text
    from drafttrack.quote import Attributor, Entry, load_embedder
    from drafttrack.quote.cache import QuoteCache

    sentences = corpus_sentences()
    texts = [f"{sentences[i % len(sentences)]} §{i}" for i in range(clauses)]
    entries = [Entry("doc", f"k{i}", None, [], t, ["v1"]) for i, t in enumerate(texts)]
    stored = [(e.key, e.text) for e in entries[:500]]
    # seed 5: the report of the earlier figures; the others: reports never linked before
    reports = [_report(stored, sentences[-200:], words, seed) for seed in (5, report_seed)]
    model = load_embedder()
    with QuoteCache(cache) as qc:
        started = time.perf_counter()
        attributor = Attributor(entries, model, qc)
        print(f"\ntiming: {clauses:,} clauses, index built in {time.perf_counter() - started:.1f} s"
              " (cold when the cache was empty)")  # fmt: skip
        figures = {}
        runs = [("first (new report)", 0), ("new report, warm", 1), ("the same again", 1)]
        for name, which in runs:
            report = report_text(reports[which])
            started, cpu = time.perf_counter(), time.process_time()
            linked = link_report(report, None, attributor, lambda _d: ["v1"])
            figures[name] = time.perf_counter() - started
            cpu = time.process_time() - cpu
            print(f"link {name:20}: {figures[name]:6.2f} s, CPU {cpu:6.2f} s  "
                  f"({len(report.split()):,} words, {len(reports[which])} sentences)")  # fmt: skip
        queries = []
        for s in (x.sentence for x in linked):
            prepared, body = _prepare(s)
            queries += prepared.quotes + ([body] if body else [])
        started = time.perf_counter()
        for q in queries:
            attributor.attribute(q, 12)
        base = time.perf_counter() - started
        print(f"baseline, {len(queries)} queries one by one: {base:6.2f} s (batched, new report, "
              f"is {base / figures['new report, warm']:.2f}x faster)")  # fmt: skip
        print("target: warm < 3 s (a report linked again embeds nothing: its vectors are kept)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="11,12,13")
    parser.add_argument("--quick", action="store_true", help="first seed, one report per pair")
    parser.add_argument("--no-eval", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--clauses", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep vectors here (reruns; the reports' vectors are kept too: "
                        "give a rerun another --report-seed for a new report)")  # fmt: skip
    parser.add_argument("--report-seed", type=int, default=6, help="the second timed report")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "cache"
        if not args.no_eval:
            started = time.perf_counter()
            results = run(SHARED, seeds[:1] if args.quick else seeds, cache,
                          1 if args.quick else 2)  # fmt: skip
            print(f"seeds {seeds[:1] if args.quick else seeds}, "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            print_figures(results)
        if not args.no_timing:
            timing(args.clauses, args.words, cache, args.report_seed)


if __name__ == "__main__":
    main()
