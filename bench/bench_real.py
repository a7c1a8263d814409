"""Benchmark on real-like histories: trace, diff and the compare page against git, in one run.

    python bench/bench_real.py                 # generated real-like histories + shared corpora
    python bench/bench_real.py --quick         # smaller generated histories
    python bench/bench_real.py --profile       # also profile where a cold trace spends its time

Histories:
- **generated, real-like**: hundreds of versions of a 20,000-40,000-word policy text built from
  corpus paragraphs, with links throughout (link targets and tracking parameters changed in many
  places per version), 1-40 % of clauses changed per version (rewordings, insertions, deletions,
  reorderings of whole sections), and a planted clause removed at 60 % of the history;
- **the longest histories in the shared corpora** (beside the repository, when present).

For each history, in the same process: a git repository holding the versions as successive
commits of one file (the source repository) and ``git log -S PHRASE`` on it (the baseline);
``drafttrack import``; the **cold** trace (first trace after import: nothing cached) and the
**warm** trace, each as a new ``drafttrack`` process; the warm trace through the viewer's API
(Flask test client, in process); ``drafttrack diff --format json`` of the largest consecutive pair
cold and warm (new process: the fast path, and the normal path reading the comparison cache)
against ``git diff --word-diff`` of the same pair; ``log``, ``docs`` and ``show`` warm as new
processes (fast path and normal path) against ``git log``, ``git ls-tree`` and ``git show``; the
viewer's compare page cold (fresh app, nothing cached) and warm. Process start of ``python -c
pass`` and of ``drafttrack --help`` are printed as the floor any new-process figure stands on.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_trace import cpu_of, timed  # noqa: E402  (median wall time; CPU of one call)

CACHE_NAME = "drafttrack-cache"
PLANTED = (
    "The provider shall notify every affected member in writing within thirty days of any "
    "transfer of their account records to a successor entity."
)
PLANTED_PHRASE = "transfer of their account records"
CORPUS_HISTORIES = [
    "github-site-policy/privacy-statement",
    "github-site-policy/terms-of-service",
    "legalize-fr/code-pensions-retraite-marins",
    "bundestag-gesetze/kredwg",
]
GIT_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": os.environ.get("HOME", "/tmp"),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C.UTF-8",
}


@dataclass
class History:
    name: str
    versions: list[str]
    phrase: str


# -- generated, real-like histories ---------------------------------------------------------


def corpus_paragraphs() -> list[str]:
    """Prose paragraphs of the English corpus texts (front matter, comments, tables dropped)."""
    out: list[str] = []
    for folder in sorted((CORPORA / "github-site-policy").glob("*")):
        files = sorted(folder.glob("[0-9]*.md"))
        for f in files[-3:]:
            text = re.sub(r"\A---\n.*?\n---\n", "", f.read_text("utf-8"), flags=re.S)
            text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
            for block in re.split(r"\n\s*\n", text):
                block = " ".join(block.split())
                if len(block.split()) >= 8 and not block.startswith(("#", "|", "{%", "-", "*")):
                    out.append(block)
    return sorted(set(out))


def _linked(rng: random.Random, para: str, serial: int) -> str:
    """``para`` with two or three of its words made into links with tracking parameters."""
    words = para.split(" ")
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(words))
        w = words[k]
        if w.isalpha() and "](" not in w:
            words[k] = f"[{w}](https://example.org/{w.lower()}?utm_source=site&ref={serial})"
    return " ".join(words)


def generated_history(words: int, versions: int, seed: int) -> History:
    """``versions`` texts of about ``words`` words edited heavily, as real policy histories are."""
    rng = random.Random(seed)
    pool = corpus_paragraphs()
    vocab = sorted({w for p in pool for w in p.split() if w.isalpha() and len(w) > 3})
    sections: list[list[str]] = []
    count = 0
    serial = 0
    while count < words:
        body = []
        for _ in range(rng.randint(3, 8)):
            para = _linked(rng, rng.choice(pool), serial)
            body.append(para)
            count += len(para.split())
        sections.append(body)
    sections[len(sections) // 3].insert(1, PLANTED)
    titles = [f"Section {n + 1}: {rng.choice(vocab).title()}" for n in range(len(sections))]
    out: list[str] = []
    planted_out = int(versions * 0.6)
    for v in range(versions):
        if v == planted_out:
            for body in sections:
                if PLANTED in body:
                    body.remove(PLANTED)
        elif v:
            serial += 1
            share = rng.choice([0.01, 0.02, 0.05, 0.1, 0.2, 0.4])
            _edit_version(rng, sections, titles, pool, vocab, share, serial)
        parts = []
        for title, body in zip(titles, sections, strict=True):
            parts.append(f"## {title}")
            parts.extend(body)
        out.append("\n\n".join(parts) + "\n")
    return History(f"generated {words // 1000}k x {versions}", out, PLANTED_PHRASE)


def _edit_version(
    rng: random.Random,
    sections: list[list[str]],
    titles: list[str],
    pool: list[str],
    vocab: list[str],
    share: float,
    serial: int,
) -> None:
    """Change about ``share`` of the clauses: link targets, rewordings, inserts, deletes, moves."""
    cells = [(s, k) for s, body in enumerate(sections) for k in range(len(body))]
    for s, k in rng.sample(cells, max(1, int(len(cells) * share))):
        para = sections[s][k]
        if para == PLANTED:
            continue
        kind = rng.choices(["link", "reword", "insert", "delete"], [5, 4, 1, 1])[0]
        if kind == "link":
            para = re.sub(r"ref=\d+", f"ref={serial}", para)
        elif kind == "reword":
            tokens = para.split(" ")
            for _ in range(rng.randint(1, 4)):
                tokens[rng.randrange(len(tokens))] = rng.choice(vocab)
            para = " ".join(tokens)
        elif kind == "insert":
            sections[s].append(_linked(rng, rng.choice(pool), serial))
        elif kind == "delete" and len(sections[s]) > 2:
            para = ""
        sections[s][k] = para
    for body in sections:
        body[:] = [p for p in body if p]
    if rng.random() < 0.3:  # reorder: a whole section moves
        a, b = rng.randrange(len(sections)), rng.randrange(len(sections))
        sections.insert(b, sections.pop(a))
        titles.insert(b, titles.pop(a))


# -- corpus histories -----------------------------------------------------------------------


def corpus_history(rel: str) -> History | None:
    folder = CORPORA / rel
    files = sorted(folder.glob("[0-9]*.md"))
    if len(files) < 3:
        return None
    versions = [f.read_text("utf-8") for f in files]
    return History(f"{rel} ({len(files)})", versions, disappearing_phrase(versions))


def disappearing_phrase(versions: list[str]) -> str:
    """Five words of a sentence of the first version that the last version no longer has."""
    last = " ".join(versions[-1].split()).lower()
    body = re.sub(r"\A---\n.*?\n---\n", "", versions[0], flags=re.S)
    candidates = []
    for para in re.split(r"\n\s*\n", body):
        words = re.findall(r"[^\W\d_]{4,}", para)
        for i in range(0, max(0, len(words) - 5), 5):
            phrase = " ".join(words[i : i + 5])
            if phrase.lower() not in last and phrase in " ".join(para.split()):
                candidates.append(phrase)
    if candidates:
        return candidates[len(candidates) // 2]
    words = re.findall(r"[^\W\d_]{4,}", body)
    return " ".join(words[len(words) // 2 : len(words) // 2 + 4])


# -- measuring ------------------------------------------------------------------------------


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, check=True, capture_output=True, **kw)  # type: ignore[call-overload]


def drafttrack_cmd(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "drafttrack", "--store", str(store), *args]


def normal_path(cmd: list[str]) -> list[str]:
    """``cmd`` (a ``drafttrack_cmd``) through the full click command line, never the fast
    path (``drafttrack.cli.fast``): the warm trace as it was before the fast path."""
    entry = "import sys; from drafttrack.cli.base import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", entry, *cmd[3:]]


PYCACHE = Path(tempfile.gettempdir()) / "drafttrack-bench-pycache"
"""Where child processes keep compiled bytecode: an installed package has its ``.pyc`` files,
and a new-process figure should not include compiling every module from source each time (as
it does when ``PYTHONDONTWRITEBYTECODE`` is set and no bytecode exists)."""


def child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def source_repository(versions: list[str], path: Path) -> Path:
    """A git repository with each version as one commit of ``doc.md`` (git fast-import)."""
    run(["git", "init", "-q", "--bare", "--initial-branch=main", str(path)], env=GIT_ENV)
    stream = io.BytesIO()
    for n, text in enumerate(versions, 1):
        data = text.encode("utf-8")
        msg = f"version {n}".encode()
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"committer Bench <b@example.org> {1_600_000_000 + n * 3600} +0000\n".encode())
        stream.write(b"data %d\n%s\n" % (len(msg), msg))
        stream.write(b"M 100644 inline doc.md\n")
        stream.write(b"data %d\n%s\n" % (len(data), data))
    run(["git", "--git-dir", str(path), "fast-import", "--quiet"], input=stream.getvalue(),
        env=GIT_ENV)  # fmt: skip
    return path


def fresh_app(store: Path):  # type: ignore[no-untyped-def]
    from web import create_app

    return create_app(str(store), {"SECRET_KEY": "bench", "TESTING": True}).test_client()


def measure(history: History, workdir: Path, profile: bool) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", history.name.lower()).strip("-")[:40]
    folder = workdir / f"{slug}-texts"
    folder.mkdir()
    for n, text in enumerate(history.versions, 1):
        (folder / f"{n:05d}.md").write_text(text, "utf-8")
    source = source_repository(history.versions, workdir / f"{slug}-source.git")
    store = workdir / f"{slug}-store"
    env = child_env()
    run(drafttrack_cmd(store, "init"), env=env)
    start = time.perf_counter()
    run(drafttrack_cmd(store, "import", "doc", str(folder)), env=env)
    imported = time.perf_counter() - start
    cache = store / CACHE_NAME if (store / "HEAD").exists() else store / ".git" / CACHE_NAME
    words = len(history.versions[-1].split())

    def pickaxe() -> None:
        run(["git", "--git-dir", str(source), "log", "-S", history.phrase, "--format=%H"],
            env=GIT_ENV)  # fmt: skip

    trace = drafttrack_cmd(store, "trace", "doc", history.phrase, "--json")

    def cold_trace() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        run(trace, env=env)

    start = time.perf_counter()
    run(trace, env=env)  # import built the index: the first trace after it is a warm one
    first_s = time.perf_counter() - start
    git_s = timed(pickaxe, 5)
    git_cpu = min(cpu_of(pickaxe) for _ in range(3))
    cold_cpu = cpu_of(cold_trace)
    warm_cpu = min(cpu_of(lambda: run(trace, env=env)) for _ in range(3))
    cold_s = timed(cold_trace, 2)
    warm_s = timed(lambda: run(trace, env=env), 9)
    slow_s = timed(lambda: run(normal_path(trace), env=env), 5)
    assert run(trace, env=env).stdout == run(normal_path(trace), env=env).stdout
    client = fresh_app(store)
    api = f"/api/d/doc/trace?q={history.phrase}"
    assert client.get(api).status_code == 200
    api_s = timed(lambda: client.get(api), 5)

    sizes = [len(t) for t in history.versions]
    new = max(range(1, len(sizes)), key=lambda k: sizes[k] + sizes[k - 1])
    old_ref, new_ref = str(new), str(new + 1)  # 1-based positions of the pair
    diff = drafttrack_cmd(store, "diff", "doc", old_ref, new_ref, "--format", "json")

    def cold_diff() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        run(diff, env=env)

    older, newer = f"main~{len(sizes) - new}", f"main~{len(sizes) - new - 1}"
    word_diff = ["git", "--git-dir", str(source), "diff", "--word-diff=porcelain", older, newer]
    git_diff_s = timed(lambda: run(word_diff, env=GIT_ENV), 5)
    diff_cold_s = timed(cold_diff, 2)
    diff_warm_s = timed(lambda: run(diff, env=env), 5)
    diff_normal_s = timed(lambda: run(normal_path(diff), env=env), 5)
    assert run(diff, env=env).stdout == run(normal_path(diff), env=env).stdout

    shutil.rmtree(cache, ignore_errors=True)
    page = f"/d/doc/compare/{old_ref}/{new_ref}"
    client = fresh_app(store)
    page = client.get(page).headers.get("Location", page)  # the URL by version ids
    start = time.perf_counter()
    assert client.get(page).status_code == 200
    page_cold_s = time.perf_counter() - start
    page_warm_s = timed(lambda: client.get(page), 5)

    print(f"\n{history.name}: {len(sizes)} versions, {words:,} words at the end; "
          f"phrase {history.phrase!r}")  # fmt: skip
    print(f"  import                    {imported:8.2f} s  {len(sizes) / imported:7.0f} versions/s")
    print(f"  git log -S (source repo)  {git_s:8.3f} s")
    print(f"  first trace after import  {first_s:8.3f} s  {first_s / git_s:7.2f}x git log -S"
          "  (import built the index)")  # fmt: skip
    print(f"  trace cold (process)      {cold_s:8.3f} s  {cold_s / git_s:7.2f}x git log -S"
          "  (index deleted: built from nothing)")  # fmt: skip
    print(f"  trace warm (process)      {warm_s:8.3f} s  {warm_s / git_s:7.2f}x git log -S"
          "  (fast path)")  # fmt: skip
    print(f"  trace warm (normal path)  {slow_s:8.3f} s  {slow_s / git_s:7.2f}x git log -S"
          f"  (fast path {slow_s / warm_s:.1f}x faster, same bytes)")  # fmt: skip
    print(f"  trace warm (viewer API)   {api_s:8.3f} s  {api_s / git_s:7.2f}x git log -S")
    print(f"  CPU s (process + children): git log -S {git_cpu:.3f}, trace cold {cold_cpu:.3f} "
          f"({cold_cpu / max(git_cpu, 1e-3):.1f}x), trace warm {warm_cpu:.3f} "
          f"({warm_cpu / max(git_cpu, 1e-3):.1f}x)")  # fmt: skip
    print(f"  git diff --word-diff      {git_diff_s:8.3f} s  (versions {old_ref} -> {new_ref})")
    print(f"  diff --format json cold   {diff_cold_s:8.3f} s  {diff_cold_s / git_diff_s:7.1f}x git")
    print(f"  diff --format json warm   {diff_warm_s:8.3f} s  {diff_warm_s / git_diff_s:7.1f}x git"
          "  (fast path)")  # fmt: skip
    print(f"  diff json warm (normal)   {diff_normal_s:8.3f} s  {diff_normal_s / git_diff_s:7.1f}x"
          " git  (click, GitPython; the comparison from the cache)")  # fmt: skip
    warm_reads(store, source, env, new + 1, len(sizes))
    print(f"  compare page cold         {page_cold_s:8.3f} s")
    print(f"  compare page warm         {page_warm_s:8.3f} s")
    move_aware_blocks(history)
    if profile:
        shutil.rmtree(cache, ignore_errors=True)
        profile_cold_trace(store, history.phrase)


def warm_reads(store: Path, source: Path, env: dict[str, str], position: int, count: int) -> None:
    """``log``, ``docs`` and ``show`` warm as new processes (fast path, then the normal path),
    each against its git counterpart on the source repository, in the same run."""
    rows = [
        ("log --json", ["log", "doc", "--json"], ["log", "--format=%H %an %ad %s"]),
        ("log", ["log", "doc"], ["log", "--format=%H %an %ad %s"]),
        ("docs --json", ["docs", "--json"], ["ls-tree", "-l", "main"]),
        ("show", ["show", "doc", str(position)], ["show", f"main~{count - position}:doc.md"]),
    ]
    for name, words, git_words in rows:
        cmd = drafttrack_cmd(store, *words)
        first = run(cmd, env=env).stdout  # the normal path, keeping its answer
        assert run(cmd, env=env).stdout == first == run(normal_path(cmd), env=env).stdout
        git_s = timed(lambda g=git_words: run(["git", "--git-dir", str(source), *g],
                                              env=GIT_ENV), 5)  # type: ignore[misc]  # fmt: skip
        fast_s = timed(lambda c=cmd: run(c, env=env), 5)  # type: ignore[misc]
        slow_s = timed(lambda c=cmd: run(normal_path(c), env=env), 3)  # type: ignore[misc]
        print(f"  {name + ' warm':<24}  {fast_s:8.3f} s  {fast_s / git_s:7.2f}x git {git_words[0]}"
              f" ({git_s:.3f} s); normal path {slow_s:.3f} s")  # fmt: skip


@dataclass
class _Text:
    text: str
    meta: dict[str, object]


def move_aware_blocks(history: History) -> None:
    """Lineages of the history built in process twice in the same run: with the aligner's
    whole-version fallback whenever a clause moved across a block of kept clauses (before),
    and aligned around the blocks, moves judged over every clause (after). The lineages must
    be equal; prints both times and how many versions fell back to a whole alignment."""
    from drafttrack import align
    from drafttrack.lineage import build_lineages

    versions = [_Text(text, {"id": f"v{n}"}) for n, text in enumerate(history.versions)]
    judged = align.moved_across_blocks
    calls = {"whole": 0, "across": 0}

    def whole(*args: object) -> None:
        calls["whole"] += 1
        return None

    def across(*args: object) -> set[int] | None:
        calls["across"] += 1
        found = judged(*args)  # type: ignore[arg-type]
        calls["whole"] += found is None
        return found

    results = {}
    for label, hook in (("before", whole), ("after", across)):
        calls.update(whole=0, across=0)
        align.moved_across_blocks = hook  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            results[label] = build_lineages("doc", versions, parallel=False)
            seconds = time.perf_counter() - start
        finally:
            align.moved_across_blocks = judged
        print(f"  lineages in process, {label:6} {seconds:8.3f} s  "
              f"{calls['whole']} of {len(versions)} versions aligned whole")  # fmt: skip
        results[f"{label}_s"] = seconds  # type: ignore[assignment]
    same = all(
        getattr(results["before"], f) == getattr(results["after"], f)
        for f in ("clauses", "runs", "events", "keys")
    )
    ratio = results["before_s"] / results["after_s"]  # type: ignore[operator]
    print(f"  move-aware blocks: {ratio:.2f}x faster, lineages identical: {same}")


def profile_cold_trace(store: Path, phrase: str) -> None:
    """Where an in-process cold trace spends its time: own time summed per module, top 20."""
    from drafttrack.cli import main as drafttrack_main

    profiler = cProfile.Profile()
    out = io.StringIO()
    sys_stdout = sys.stdout
    sys.stdout = out
    try:
        profiler.runcall(drafttrack_main, ["--store", str(store), "trace", "doc", phrase, "--json"])
    finally:
        sys.stdout = sys_stdout
    stats = pstats.Stats(profiler)
    per_module: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        per_module[module_of(filename)] += row[2]
    total = sum(per_module.values())
    print(f"  profile of a cold trace in process ({total:.2f} s of own time):")
    for name, secs in sorted(per_module.items(), key=lambda kv: -kv[1])[:20]:
        print(f"    {secs:7.3f} s  {100 * secs / total:5.1f} %  {name}")


def module_of(filename: str) -> str:
    path = Path(filename)
    for top in ("drafttrack", "repo_store", "web"):
        if top in path.parts:
            return ".".join(path.parts[path.parts.index(top) :]).removesuffix(".py")
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].split(".")[0]
    if filename == "~":
        return "built-in functions"
    return filename if filename.startswith("<") else path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller generated histories")
    parser.add_argument("--profile", action="store_true", help="profile a cold trace")
    parser.add_argument("--only", help="run only histories whose name contains this")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA} (the shared folder beside the repository)")
    python_s = timed(lambda: run([sys.executable, "-c", "pass"]), 5)
    help_s = timed(lambda: run([sys.executable, "-m", "drafttrack", "--help"],
                                     env=child_env()), 5)  # fmt: skip
    print(f"process start: python -c pass {python_s:.3f} s, drafttrack --help {help_s:.3f} s")
    scale = 4 if args.quick else 1
    histories: list[History] = [
        generated_history(20_000, 400 // scale, seed=1),
        generated_history(40_000, 400 // scale, seed=2),
    ]
    histories += [h for rel in CORPUS_HISTORIES if (h := corpus_history(rel))]
    with tempfile.TemporaryDirectory(prefix="drafttrack-real-") as tmp:
        for history in histories:
            if args.only and args.only not in history.name:
                continue
            measure(history, Path(tmp), args.profile)


if __name__ == "__main__":
    main()
