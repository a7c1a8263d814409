"""Benchmark: ``drafttrack adopt`` and ``search`` on a synthetic repository the size of
bundestag/gesetze (6,636 laws, 26,223 law-versions over 531 commits).

Run from the repository root::

    python bench/bench_adopt.py            # ~6,600 documents, ~26,000 versions, ~530 commits
    python bench/bench_adopt.py --quick    # 600 documents, ~2,400 versions, 60 commits

The repository is generated with ``git fast-import`` from the paragraphs of the shared corpora
(every corpus text cut into paragraphs, laws assembled from them with ``## § N`` headings): a
first commit adds every law (as bundestag/gesetze's first import did), each later commit edits
a few dozen laws (a paragraph reworded, a section added or dropped), renames a few and deletes a
few. A rare phrase is put into one law late, a phrase lives in one law for ten commits and is
then removed. Printed: adopt time and versions/s, disk of the store vs the source, the search
index's build time, ``search`` for a rare, a common and a removed-only phrase warm (in process,
index current) and cold (a fresh ``drafttrack search`` process), against ``git log -S`` and
``git grep`` on the source in the same run, and the viewer's documents page and one document
page (server time through the Flask test client).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"

from drafttrack.service.adopting import adopt, index_adopted  # noqa: E402
from drafttrack.service.search import search_store  # noqa: E402
from drafttrack.service.search_refresh import default_workers  # noqa: E402
from repo_store import Store  # noqa: E402
from web import create_app  # noqa: E402

RARE = "Sonderregelung für Leuchttürme auf Helgoland"
REMOVED = "vorübergehende Ausnahme für Windmühlen"
COMMON = "Bundesregierung"


def paragraphs() -> list[str]:
    """Every paragraph of the shared corpora's texts (headings and tiny lines left out)."""
    out: list[str] = []
    for file in sorted(CORPORA.glob("*/*/*.md")):
        for para in re.split(r"\n\s*\n", file.read_text("utf-8", "replace")):
            para = " ".join(para.split())
            if len(para) > 60 and not para.startswith(("#", "---", "|")):
                out.append(para)
    return sorted(set(out))


def law(rng: random.Random, pool: list[str], n: int) -> list[str]:
    """A law's sections (each a heading and one to three paragraphs)."""
    sections = rng.randrange(3, 2 * n)
    return [
        "\n\n".join(rng.choice(pool) for _ in range(rng.randrange(1, 4))) for _ in range(sections)
    ]


def render(title: str, sections: list[str]) -> bytes:
    body = "\n\n".join(f"## § {i}\n\n{s}" for i, s in enumerate(sections, 1))
    return f"# {title}\n\n{body}\n".encode()


def generate(path: Path, docs: int, commits: int, versions: int, seed: int = 15) -> dict:
    """Write the synthetic repository with ``git fast-import``; its figures."""
    rng = random.Random(seed)
    pool = paragraphs()
    laws = {f"{chr(97 + i % 26)}/law{i:05d}/index.md": law(rng, pool, 12) for i in range(docs)}
    per_commit = max(1, (versions - docs) // max(1, commits - 1))
    stream = bytearray()
    when = 1_344_000_000
    counts = {"docs": docs, "commits": commits, "document_versions": docs}

    def commit(message: str, files: dict[str, bytes], deleted: list[str]) -> None:
        nonlocal when
        when += 86_400
        msg = message.encode()
        stream.extend(b"commit refs/heads/main\n")
        stream.extend(b"committer Bench <bench@example.invalid> %d +0000\n" % when)
        stream.extend(b"data %d\n%s\n" % (len(msg), msg))
        for name in deleted:
            stream.extend(b"D %s\n" % name.encode())
        for name, data in files.items():
            stream.extend(b"M 100644 inline %s\ndata %d\n%s\n" % (name.encode(), len(data), data))

    commit("Initial import", {p: render(p, s) for p, s in laws.items()}, [])
    removed_in = None
    for c in range(1, commits):
        files: dict[str, bytes] = {}
        deleted: list[str] = []
        for p in rng.sample(sorted(laws), per_commit):
            s = laws[p]
            action = rng.random()
            if action < 0.6:
                s[rng.randrange(len(s))] = rng.choice(pool)
            elif action < 0.8:
                s.insert(rng.randrange(len(s) + 1), rng.choice(pool))
            elif len(s) > 3:
                del s[rng.randrange(len(s))]
            files[p] = render(p, s)
        if c % 50 == 0:  # a rename (with an edit) and a deletion now and then
            old = rng.choice(sorted(set(laws) - set(files)))
            new = old.replace("/index.md", "/neu.md")
            laws[new] = laws.pop(old)
            laws[new].append(rng.choice(pool))
            deleted.append(old)
            files[new] = render(new, laws[new])
            gone = rng.choice(sorted(set(laws) - set(files)))
            del laws[gone]
            deleted.append(gone)
        target = sorted(laws)[7]
        if c == commits // 3:
            laws[target].append(f"Es gilt eine {REMOVED} bis auf Weiteres.")
            files[target] = render(target, laws[target])
            removed_in = c + 10
        if c == removed_in:
            laws[target] = [s for s in laws[target] if REMOVED not in s]
            files[target] = render(target, laws[target])
        if c == commits - 5:
            rare = sorted(laws)[-3]
            laws[rare].append(f"Für die {RARE} gilt § 1 entsprechend.")
            files[rare] = render(rare, laws[rare])
        counts["document_versions"] += len(files)
        commit(f"Änderung {c}", files, deleted)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    subprocess.run(
        ["git", "-C", str(path), "fast-import", "--quiet"], input=bytes(stream), check=True
    )
    subprocess.run(["git", "-C", str(path), "gc", "-q", "--aggressive"], check=True)
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True)
    return counts


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def build(source: Path, store_dir: Path, docs: int, commits: int, versions: int) -> None:
    """Generate the source, adopt it, index it; print the figures."""
    start = time.perf_counter()
    counts = generate(source, docs, commits, versions)
    print(f"synthetic repository: {counts} in {time.perf_counter() - start:.1f} s")
    head_bytes = sum(f.stat().st_size for f in source.rglob("*.md") if ".git" not in f.parts)
    print(
        f"  {head_bytes / 1e6:.0f} MB of Markdown at HEAD, {du(source / '.git') / 1e6:.0f} MB .git"
    )

    Store.init(store_dir).close()
    with Store.open(store_dir) as store:
        start = time.perf_counter()
        summary = adopt(store, str(source), ["*.md"], slug_from="dir")
        took = time.perf_counter() - start
    print(
        f"adopt: {summary.versions} versions of {summary.documents} documents, "
        f"{summary.withdrawn} withdrawn, in {took:.1f} s = {summary.versions / took:.0f} versions/s"
        " written to the store"
    )
    subprocess.run(["git", "--git-dir", str(store_dir), "gc", "-q"], check=True)
    print(
        f"disk: store {du(store_dir) / 1e6:.0f} MB after git gc vs source .git "
        f"{du(source / '.git') / 1e6:.0f} MB (ratio {du(store_dir) / du(source / '.git'):.2f})"
    )
    workers = default_workers()  # as `drafttrack adopt` indexes
    with Store.open(store_dir) as store:
        start = time.perf_counter()
        n = index_adopted(store)
        build = time.perf_counter() - start
    print(
        f"search index and listing: {n} documents indexed in {build:.1f} s "
        f"({n / build:.0f} documents/s, {workers} worker processes)"
    )
    print(
        f"  derived data (search index, clause lineages, listing): "
        f"{du(store_dir / 'drafttrack-cache') / 1e6:.0f} MB (safe to delete, rebuilt on use)"
    )
    print(
        f"adopt with its index (what `drafttrack adopt` does): {took + build:.1f} s = "
        f"{summary.versions / (took + build):.0f} versions/s (target >= 300)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 documents, 60 commits")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: measure the store already in DIR"
    )
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA}")
    docs, commits, versions = (600, 60, 2_400) if args.quick else (6_636, 531, 26_223)
    os.environ.setdefault("DRAFTTRACK_PROGRESS_AFTER", "1e9")
    base = Path(args.keep or tempfile.mkdtemp(prefix="bench-adopt-"))
    base.mkdir(parents=True, exist_ok=True)
    source, store_dir = base / "gesetze", base / "store"
    if args.reuse:
        if not (store_dir / "HEAD").exists():
            sys.exit(f"--reuse: no store at {store_dir}")
        print(f"reusing {base}: searches and pages only")
    else:
        build(source, store_dir, docs, commits, versions)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name, phrase in (("rare", RARE), ("common", COMMON), ("removed-only", REMOVED)):
        with Store.open(store_dir) as store:
            result = search_store(store, phrase, limit=100)
            warm = timed(lambda phrase=phrase: search_store(store, phrase, limit=100), repeat=5)
        cold = timed(
            lambda phrase=phrase: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "drafttrack",
                    "--store",
                    str(store_dir),
                    "search",
                    phrase,
                    "--json",
                ],
                env=env,
                capture_output=True,
                check=True,
            )  # fmt: skip
        )
        log_s = timed(
            lambda phrase=phrase: subprocess.run(
                ["git", "-C", str(source), "log", "-S", phrase, "--oneline"],
                capture_output=True,
                check=True,
            )  # fmt: skip
        )
        grep = subprocess.run(
            ["git", "-C", str(source), "grep", "-c", "-F", phrase, "HEAD"], capture_output=True
        )
        grep_s = timed(
            lambda phrase=phrase: subprocess.run(
                ["git", "-C", str(source), "grep", "-l", "-F", phrase, "HEAD"], capture_output=True
            )
        )
        found = len(grep.stdout.splitlines())
        print(
            f"search {name} {phrase!r}: {result['total']} clauses; warm {warm * 1000:.1f} ms, "
            f"cold process {cold * 1000:.0f} ms | git log -S {log_s * 1000:.0f} ms "
            f"(x{log_s / warm:.0f} warm) | git grep HEAD {grep_s * 1000:.0f} ms, "
            f"{found} files at HEAD (x{grep_s / warm:.1f} warm)"
        )

    app = create_app(str(store_dir), {"SECRET_KEY": "bench", "TESTING": True})
    client = app.test_client()
    with Store.open(store_dir) as store:
        some = sorted(d.slug for d in store.documents())[10]
    for label, url in (("documents page", "/"), ("documents page 3", "/?page=3"),
                       ("filtered by name", "/?q=law001"), ("recently changed", "/?sort=recent"),
                       (f"document page /d/{some}", f"/d/{some}")):  # fmt: skip
        first = timed(lambda url=url: client.get(url))
        again = [timed(lambda url=url: client.get(url)) for _ in range(3)]
        status = client.get(url).status_code
        print(
            f"{label}: first {first * 1000:.0f} ms, then {statistics.median(again) * 1000:.0f} ms"
            f" (HTTP {status})"
        )
    print(json.dumps({"base": str(base)}))


if __name__ == "__main__":
    main()
