"""Benchmark of the clause engine against baselines, on generated pairs from real corpus text.

    python bench/bench_diff.py                 # 100,000 and 1,000,000 words
    python bench/bench_diff.py --sizes 100000  # one size

For each size: a base text built from the latest versions of the corpus documents (cycled, each
copy under its own heading), and an edited copy with ~2% of clauses reworded plus a few deleted,
inserted and moved. Reported in the same run: the engine's segmentation, alignment and word-diff
times and peak memory (in a child process), ``drafttrack diff --format json`` end to end against
a real store (process start included; cold = first run, warm = segment cache filled), and the
baselines (a) a fresh Python process that only parses both texts with markdown-it-py, (b) ``git
diff --no-index --word-diff=porcelain``, (c) ``difflib.SequenceMatcher`` over the words (skipped
above 200,000 words: it takes minutes), (d) the ``redlines`` package when installed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))

REWORD_SHARE = 0.02
DELETED, INSERTED, MOVED = 10, 10, 5


def base_text(words_wanted: int) -> str:
    """Real corpus text: latest version of each document, cycled until ``words_wanted``."""
    docs = sorted((p for p in CORPORA.glob("*/*") if p.is_dir()), key=lambda p: (p.name, p))
    texts = []
    for d in docs:
        files = sorted(d.glob("0*.md"))
        if files:
            text = files[-1].read_text("utf-8")
            text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
            texts.append(text)
    out: list[str] = []
    count = 0
    copy = 0
    while count < words_wanted:
        for t in texts:
            copy += 1
            out.append(f"# Book {copy}\n")
            for para in t.split("\n\n"):
                out.append(para + "\n")
                count += len(para.split())
                if count >= words_wanted:
                    return "\n".join(out)
    return "\n".join(out)


def edited_text(text: str, seed: int = 7) -> tuple[str, dict[str, int]]:
    """``text`` with ~2% of paragraphs reworded and a few deleted, inserted and moved."""
    from drafttrack.segment import segment

    lines = text.split("\n")
    clauses = segment(text)
    owners: dict[tuple[int, int], int] = {}
    for c in clauses:
        owners[c.lines] = owners.get(c.lines, 0) + 1
    paras = [
        c
        for c in clauses
        if c.kind == "paragraph"
        and owners[c.lines] == 1
        and len(c.text.split()) >= 10
        and not lines[c.lines[0]][:1].isspace()
    ]
    rng = random.Random(seed)
    n_reword = max(1, int(len(clauses) * REWORD_SHARE))
    picked = rng.sample(paras, min(len(paras), n_reword + DELETED + INSERTED + 2 * MOVED))
    reword = picked[:n_reword]
    delete = picked[n_reword : n_reword + DELETED]
    insert = picked[n_reword + DELETED : n_reword + DELETED + INSERTED]
    move = picked[n_reword + DELETED + INSERTED :][:MOVED]
    targets = picked[n_reword + DELETED + INSERTED :][MOVED:]
    blocks: dict[int, tuple[int, list[str]]] = {}
    for c in reword:
        block = lines[c.lines[0] : c.lines[1]]
        block[0] = re.sub(r"(\w{5,})", r"\1 zusätzlich", block[0], count=1)
        blocks[c.lines[0]] = (c.lines[1], block)
    for c in delete:
        blocks[c.lines[0]] = (c.lines[1], [])
    for k, c in enumerate(insert):
        extra = f"Inserted clause number {k} about lighthouses, quokkas and tidal charts."
        blocks[c.lines[0]] = (c.lines[1], [*lines[c.lines[0] : c.lines[1]], "", extra])
    for c, t in zip(move, targets, strict=False):
        blocks[c.lines[0]] = (c.lines[1], [])
        moved = lines[c.lines[0] : c.lines[1]]
        blocks[t.lines[0]] = (t.lines[1], [*moved, "", *lines[t.lines[0] : t.lines[1]]])
    out: list[str] = []
    n = 0
    while n < len(lines):
        if n in blocks:
            end, block = blocks[n]
            out.extend(block)
            n = end
        else:
            out.append(lines[n])
            n += 1
    edits = {"reworded": len(reword), "deleted": len(delete), "inserted": len(insert)}
    edits["moved"] = len(move)
    return "\n".join(out), edits


ENGINE_CHILD = """
import json, resource, sys, time
from drafttrack.align import align
from drafttrack.compare import compare_clauses
from drafttrack.segment import segment
from drafttrack.worddiff import word_diff
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
segment("")  # markdown-it is imported on first use: time the segmentation, not the import
t0 = time.perf_counter(); A = segment(a); B = segment(b); t1 = time.perf_counter()
changes = align(A, B); t2 = time.perf_counter()
for c in changes:
    if c.kind in ("modified", "split", "merged"):
        word_diff(" ".join(x.text for x in c.old), " ".join(x.text for x in c.new))
t3 = time.perf_counter()
summary = compare_clauses(A, B).summary(); t4 = time.perf_counter()
print(json.dumps({"segment": t1 - t0, "align": t2 - t1, "worddiff": t3 - t2,
                  "compare": t4 - t3, "clauses": [len(A), len(B)], "summary": summary,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PARSE_CHILD = """
import sys
from markdown_it import MarkdownIt
md = MarkdownIt("js-default")
for f in sys.argv[1:]:
    md.parse(open(f, encoding="utf-8").read())
"""


CPU: dict[str, float] = {}
"""CPU seconds (user + system) of the last run of each timed command, by its first argument
after the interpreter: on a shared machine wall time includes waiting for a core."""
PEAK_MB: dict[str, float] = {}
"""Peak resident memory of the last run of each timed command (same keys as ``CPU``)."""


def timed(cmd: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one run of ``cmd`` (output discarded); its CPU time and peak memory
    are recorded in ``CPU`` and ``PEAK_MB``."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        key = " ".join(cmd[1:3])
        CPU[key] = usage.ru_utime + usage.ru_stime
        PEAK_MB[key] = usage.ru_maxrss / 1024
        if code not in ok:
            err.seek(0)
            raise SystemExit(f"{cmd[:3]} failed: {err.read().decode()[-500:]}")
    return elapsed


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    return min(fn() for _ in range(n))


def run_size(words: int, tmp: Path) -> None:
    print(f"\n== {words:,} words ==")
    old = base_text(words)
    new, edits = edited_text(old)
    a, b = tmp / f"old-{words}.md", tmp / f"new-{words}.md"
    a.write_text(old, "utf-8")
    b.write_text(new, "utf-8")
    print(f"pair: {len(old.split()):,} / {len(new.split()):,} words; edits {edits}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    py = sys.executable
    proc = subprocess.run(
        [py, "-c", ENGINE_CHILD, str(a), str(b)], capture_output=True, env=env, check=True
    )
    eng = json.loads(proc.stdout)
    print(
        f"engine: segment {eng['segment']:.3f} s (both texts), align {eng['align']:.3f} s, "
        f"word diff {eng['worddiff']:.3f} s, compare total {eng['compare']:.3f} s; "
        f"clauses {eng['clauses']}; peak {eng['peak_mb']:.0f} MB"
    )
    print(f"summary: { {k: v for k, v in eng['summary'].items() if v} }")
    rounds = 3 if words <= 200_000 else 1
    floor = best_of(rounds, lambda: timed([py, "-c", PARSE_CHILD, str(a), str(b)], env))
    floor_cpu = CPU[f"-c {PARSE_CHILD}"]
    print(f"(a) fresh process, markdown-it parse of both: {floor:.3f} s (cpu {floor_cpu:.3f} s)")
    git = best_of(
        rounds,
        lambda: timed(
            ["git", "diff", "--no-index", "--word-diff=porcelain", str(a), str(b)], ok=(0, 1)
        ),
    )
    print(f"(b) git diff --no-index --word-diff=porcelain: {git:.3f} s")
    if words <= 200_000:
        import difflib

        start = time.perf_counter()
        difflib.SequenceMatcher(None, old.split(), new.split()).get_opcodes()
        print(f"(c) difflib.SequenceMatcher over words: {time.perf_counter() - start:.2f} s")
    else:
        print("(c) difflib.SequenceMatcher: skipped above 200,000 words (takes minutes)")
    try:
        import redlines  # type: ignore[import-not-found]  # noqa: F401

        start = time.perf_counter()
        redlines.Redlines(old, new).output_markdown  # noqa: B018
        print(f"(d) redlines: {time.perf_counter() - start:.2f} s")
    except ImportError:
        print("(d) redlines: not installed, skipped")
    store = tmp / f"store-{words}"
    cli = [py, "-m", "drafttrack", "--store", str(store)]
    subprocess.run([*cli, "init"], capture_output=True, env=env, check=True)
    for label, path in (("old", a), ("new", b)):
        subprocess.run([*cli, "add", "doc", str(path), "--label", label], env=env,
                       capture_output=True, check=True)  # fmt: skip
    diff = [*cli, "diff", "doc", "old", "new", "--format", "json"]
    cold = timed(diff, env)
    cold_cpu, cold_mb = CPU["-m drafttrack"], PEAK_MB["-m drafttrack"]
    warm = best_of(rounds, lambda: timed(diff, env))
    warm_cpu, warm_mb = CPU["-m drafttrack"], PEAK_MB["-m drafttrack"]
    print(
        f"drafttrack diff --format json end to end: cold {cold:.3f} s (cpu {cold_cpu:.3f} s, "
        f"peak {cold_mb:.0f} MB; first diff after `add`: builds the lineage index), "
        f"warm {warm:.3f} s (cpu {warm_cpu:.3f} s, peak {warm_mb:.0f} MB)"
    )
    print(
        f"ratios: warm/(a) {warm / floor:.2f}x (target <= 2), cold/(a) {cold / floor:.2f}x, "
        f"warm/git {warm / git:.0f}x, engine compare/(a) {eng['compare'] / floor:.2f}x; "
        f"cpu: warm/(a) {warm_cpu / floor_cpu:.2f}x, cold/(a) {cold_cpu / floor_cpu:.2f}x"
    )
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest child peak memory so far: {peak_child:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated word counts")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        raise SystemExit("shared/corpora is not present beside the repository")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            run_size(size, Path(tmp))


if __name__ == "__main__":
    main()
