"""Blobs and trees written by Python are the objects git itself writes (same ids, readable by
git, fsck-clean), and a store's commits through them read back exactly."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from repo_store import loose
from repo_store.gitio import GitIO, TreeEntry

NAMES = ["a", "a.b", "a-b", "a/", "b", "ä", "Ω", "z", "versions", "versions.json", "v1", "v10"]


def git(git_dir: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], input=stdin, capture_output=True, check=True
    ).stdout


def test_ids_and_trees_match_git(tmp_path: Path) -> None:
    repo = tmp_path / "r.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    rng = random.Random(7)
    for _ in range(40):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000)))
        ours = loose.write_object(repo, "blob", data)
        assert ours == git(repo, "hash-object", "--stdin", stdin=data).decode().strip()
        assert git(repo, "cat-file", "blob", ours) == data
    for _ in range(30):
        entries = {}
        for name in rng.sample([n.rstrip("/") or "x" for n in NAMES], rng.randrange(1, 10)):
            blob = loose.write_object(repo, "blob", name.encode())
            if rng.random() < 0.4:
                sub = loose.write_object(repo, "tree", loose.tree_data([("f", "100644", blob)]))
                entries[name] = TreeEntry("040000", "tree", sub)
            else:
                entries[name] = TreeEntry("100644", "blob", blob)
        ours = loose.write_object(
            repo, "tree", loose.tree_data((n, e.mode, e.sha) for n, e in entries.items())
        )
        listing = "".join(f"{e.mode} {e.kind} {e.sha}\t{n}\0" for n, e in entries.items())
        assert ours == git(repo, "mktree", "-z", stdin=listing.encode()).decode().strip()
    git(repo, "fsck", "--strict", "--no-dangling")


def test_commits_through_python_objects_read_back(tmp_path: Path) -> None:
    repo = tmp_path / "s.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    io = GitIO(repo)
    try:
        head = None
        expected: dict[str, bytes] = {}
        for i in range(12):
            files = {f"doc{i % 3}/versions/v{i}.md": f"Text {i} — „Entwurf“ №{i}\n".encode()}
            files["drafttrack.json"] = f'{{"n": {i}}}'.encode()
            expected.update(files)
            head = io.commit(files, f"version {i}", expected_head=head, now=None)
        for path, data in expected.items():
            assert io.read_blob(head, path) == data
        listed = git(repo, "ls-tree", "-r", "--name-only", head).decode().split("\n")
        assert sorted(filter(None, listed)) == sorted(expected)
    finally:
        io.close()
    git(repo, "fsck", "--strict", "--no-dangling")
