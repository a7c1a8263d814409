"""Benchmark: import, then trace a phrase cold and warm against ``git log -S`` on the same store.

Run from the repository root::

    python bench/bench_trace.py            # 20,000 words x 200 versions, 2,000 words x 2,000
    python bench/bench_trace.py --quick    # 20,000 x 20 and 2,000 x 200

Histories are generated from real corpus text (``../shared/corpora/``, beside the repository)
with seeded, realistic edits: rewordings, inserted and deleted paragraphs, and a few paragraphs
deleted then restored. The traced phrase lives in a paragraph that is removed at 60 % of the
history and restored at 80 %. Each document is recorded with ``drafttrack import``; then, in the
same process: ``git log -S PHRASE --format=%H`` (the baseline), a cold trace (no index), the
first trace that builds the index, and warm traces (index current). Cold traces are the
median of three; a cold build of 500 versions or more segments in a second process where it
can, so a cold trace confined to one process is timed too.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafttrack import forked  # noqa: E402
from drafttrack.cli import main as drafttrack_main  # noqa: E402
from drafttrack.service.lineages import document_lineages  # noqa: E402
from drafttrack.trace import trace_lineages  # noqa: E402
from repo_store import Store  # noqa: E402
from repo_store.gitio import git_env  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
SOURCES = [
    "github-site-policy/privacy-statement/070.md",
    "github-site-policy/terms-of-service/044.md",
    "github-site-policy/acceptable-use-policies/037.md",
    "github-site-policy/community-guidelines/030.md",
    "github-site-policy/dmca-takedown-policy/031.md",
]
PLANTED = (
    "The steering committee shall publish an annual review of every transfer of personal data "
    "to authorities outside the participating states, together with the legal basis relied on."
)
PHRASE = "annual review of every transfer of personal data"


def corpus_paragraphs() -> list[str]:
    """Prose paragraphs (and headings) of the corpus texts, front matter and comments dropped."""
    out: list[str] = []
    for rel in SOURCES:
        text = (CORPORA / rel).read_text("utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if block and len(block.split()) >= 3 and "{%" not in block:
                out.append(block)
    return out


def history(words: int, versions: int, seed: int) -> list[str]:
    """``versions`` texts of about ``words`` words, each a realistic edit of the one before."""
    rng = random.Random(seed)
    pool = corpus_paragraphs()
    vocabulary = sorted({w for p in pool for w in p.split() if w.isalpha() and len(w) > 3})
    paras: list[str] = []
    i = 0
    while sum(len(p.split()) for p in paras) < words:
        paras.append(pool[i % len(pool)])
        i += 1
    paras.insert(len(paras) // 3, PLANTED)
    removed: list[str] = []
    out: list[str] = []
    planted_out = int(versions * 0.6)
    planted_back = int(versions * 0.8)
    for v in range(versions):
        if v == planted_out:
            at = paras.index(PLANTED)
            paras.pop(at)
        elif v == planted_back:
            paras.insert(min(at, len(paras)), PLANTED)
        elif v:
            for _ in range(rng.randint(1, 3)):
                size = sum(len(p.split()) for p in paras) / words
                _edit(rng, paras, removed, pool, vocabulary, size)
        out.append("\n\n".join(paras) + "\n")
    return out


def _edit(
    rng: random.Random,
    paras: list[str],
    removed: list[str],
    pool: list[str],
    vocab: list[str],
    size: float,
) -> None:
    """One edit; ``size`` (current words / target) steers insertions against deletions."""
    grow = 3 if size < 0.97 else (1 if size > 1.03 else 2)
    kind = rng.choices(["reword", "insert", "delete", "restore"], [6, grow, 4 - grow, 1])[0]
    candidates = [k for k, p in enumerate(paras) if p != PLANTED and not p.startswith("#")]
    if kind == "restore" and removed:
        paras.insert(rng.randrange(len(paras) + 1), removed.pop(rng.randrange(len(removed))))
    elif kind == "insert":
        paras.insert(rng.randrange(len(paras) + 1), rng.choice(pool))
    elif kind == "delete" and len(candidates) > 5:
        removed.append(paras.pop(rng.choice(candidates)))
    else:
        k = rng.choice(candidates)
        tokens = paras[k].split(" ")
        for _ in range(rng.randint(1, 3)):
            tokens[rng.randrange(len(tokens))] = rng.choice(vocab)
        paras[k] = " ".join(tokens)


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_of(fn: Callable[[], object]) -> float:
    """CPU seconds of one call, this process's and its children's (git): a figure that other
    work on the machine inflates less than wall time."""
    before = os.times()
    fn()
    after = os.times()
    return sum(after[:4]) - sum(before[:4])


def run_case(name: str, words: int, versions: int, workdir: Path) -> None:
    folder = workdir / name
    folder.mkdir()
    for n, text in enumerate(history(words, versions, seed=words + versions), 1):
        (folder / f"{n:05d}.md").write_text(text, "utf-8")
    store = workdir / f"{name}-store"
    assert drafttrack_main(["--store", str(store), "init"]) == 0
    start = time.perf_counter()
    assert drafttrack_main(["--store", str(store), "import", name, str(folder)]) == 0
    imported = time.perf_counter() - start

    def pickaxe() -> None:
        subprocess.run(
            ["git", "--git-dir", str(store), "log", "-S", PHRASE, "--format=%H"],
            check=True, capture_output=True, env={**git_env(), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip

    def trace(use_cache: bool) -> dict:
        with Store.open(store) as st, document_lineages(st, name, use_cache=use_cache) as lin:
            return trace_lineages(lin, PHRASE)

    def one_process() -> dict:
        can_fork = forked.can_fork
        forked.can_fork = lambda: False
        try:
            return trace(False)
        finally:
            forked.can_fork = can_fork

    result = trace(False)
    git_s = timed(pickaxe, 3)
    cold_s = timed(lambda: trace(False), 3)
    single_s = timed(one_process, 1)
    git_cpu, cold_cpu = cpu_of(pickaxe), cpu_of(lambda: trace(False))
    build_s = timed(lambda: trace(True), 1)
    warm_s = timed(lambda: trace(True), 5)
    events = ", ".join(f"{e['type']}@{e['version']['label']}" for e in result["events"])
    print(f"\n{name}: {words:,} words x {versions:,} versions")
    print(f"  import            {imported:8.2f} s   {versions / imported:8.0f} versions/s")
    print(f"  git log -S        {git_s:8.3f} s")
    print(f"  trace cold        {cold_s:8.3f} s   {cold_s / git_s:6.2f}x git log -S")
    ratio = cold_cpu / git_cpu
    print(f"    CPU time        {cold_cpu:8.3f} s   {ratio:6.2f}x git log -S's {git_cpu:.3f} s")
    print(f"    in one process  {single_s:8.3f} s   {single_s / git_s:6.2f}x git log -S")
    print(f"  trace, build idx  {build_s:8.3f} s   {build_s / git_s:6.2f}x git log -S")
    print(f"  trace warm        {warm_s:8.3f} s   git log -S / warm = {git_s / warm_s:6.1f}x")
    print(f"  result: first {result['first_seen']}, last {result['last_seen']}, "
          f"gone {result['gone_in']} ({result['gone_how']}); {events}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the versions")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA} (the shared folder beside the repository)")
    scale = 10 if args.quick else 1
    with tempfile.TemporaryDirectory(prefix="drafttrack-bench-") as tmp:
        run_case("long", 20_000, 200 // scale, Path(tmp))
        run_case("many", 2_000, 2_000 // scale, Path(tmp))


if __name__ == "__main__":
    main()
