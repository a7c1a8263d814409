"""Low-level git access through GitPython: hardened environment, timeouts, crash-safe commits.

A commit is written as objects first (blobs and trees as loose objects by :mod:`.loose`, or
``hash-object -w`` and ``mktree``; then ``commit-tree``), then one compare-and-swap of the branch
(``update-ref REF NEW OLD``). No index and no work tree are used, so a killed process leaves at
most unreferenced objects, never a half-written store.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import git
from git.exc import GitCommandError

from repo_store import loose
from repo_store.errors import GitFailure
from repo_store.refs import BRANCH as BRANCH

GIT_TIMEOUT = 60.0
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""The id git gives a tree with no entries (a folder whose last file was removed)."""
"""Seconds any single git call may take before it is killed."""

SAFE_CONFIG = {
    "core.fsync": "committed",
    "core.hooksPath": "/dev/null",
    "protocol.ext.allow": "never",
    "protocol.file.allow": "always",
    "submodule.recurse": "false",
    "gc.auto": "0",
    "receive.denyNonFastForwards": "true",
}
"""Written into every store's config at init (no user value ever reaches git config)."""

_OBJECT_ID = re.compile(r"[0-9a-f]{40}")
"""A full object id, as git prints it."""
TREE_CACHE = 4096
"""Trees (and commits' trees) remembered for the next commit's base, at most."""


def git_env(now: str | None = None) -> dict[str, str]:
    """Environment for git calls: no prompts, no user config surprises, fixed identity."""
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": os.environ.get("DRAFTTRACK_AUTHOR_NAME", "drafttrack"),
        "GIT_AUTHOR_EMAIL": os.environ.get("DRAFTTRACK_AUTHOR_EMAIL", "drafttrack@localhost"),
        "GIT_COMMITTER_NAME": os.environ.get("DRAFTTRACK_AUTHOR_NAME", "drafttrack"),
        "GIT_COMMITTER_EMAIL": os.environ.get("DRAFTTRACK_AUTHOR_EMAIL", "drafttrack@localhost"),
    }
    if now:
        env["GIT_AUTHOR_DATE"] = now
        env["GIT_COMMITTER_DATE"] = now
    return env


@dataclass(slots=True, frozen=True)
class TreeEntry:
    """One line of ``git mktree`` input."""

    mode: str
    kind: str
    sha: str


class GitIO:
    """One short-lived GitPython ``Repo`` over a bare store; close it after use."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        try:
            self.repo = git.Repo(str(git_dir))
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise GitFailure(
                f"{git_dir}: not a git repository ({exc.__class__.__name__})"
            ) from None
        self.repo.git.update_environment(**git_env())
        self._loose = loose.supported(git_dir)
        self._trees: dict[str, dict[str, TreeEntry]] = {}
        """Trees this object wrote or read for writing, by id (objects never change)."""
        self._commit_trees: dict[str, str] = {}

    def close(self) -> None:
        """Stop GitPython's persistent cat-file processes."""
        self.repo.close()

    def run(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        """Run ``git ARGS`` with a timeout; a failure raises :class:`GitFailure` (first line)."""
        extra = dict(env or {})
        try:
            if stdin is None:
                return self.repo.git.execute(
                    ["git", *args], kill_after_timeout=GIT_TIMEOUT, env=extra or None
                )
            with tempfile.TemporaryFile() as fh:
                fh.write(stdin)
                fh.seek(0)
                return self.repo.git.execute(
                    ["git", *args], istream=fh, kill_after_timeout=GIT_TIMEOUT, env=extra or None
                )
        except GitCommandError as exc:
            detail = (exc.stderr or "").strip().splitlines()
            first = next((line.strip(" '") for line in detail if line.strip(" '")), str(exc.status))
            first = first.removeprefix("stderr: ").strip(" '")
            hint = (
                " (run `git fsck` on the store)"
                if "corrupt" in first or "bad object" in first
                else ""
            )
            raise GitFailure(f"git {args[0]} failed: {first}{hint}") from None

    # -- reading ---------------------------------------------------------------------------
    def head(self) -> str | None:
        """The branch's commit, or None for a store without commits."""
        try:
            return (
                self.run("rev-parse", "--verify", "--quiet", BRANCH + "^{commit}").strip() or None
            )
        except GitFailure:
            return None

    def read_blob(self, rev: str, path: str) -> bytes | None:
        """Bytes of ``rev:path`` or None when there is no such file."""
        name = f"{rev}:{path}"
        if "\n" in name or "\r" in name:
            return None
        found = self.object_data(name)  # git resolves the path (no Python tree walk)
        return found[1] if found is not None and found[0] == b"blob" else None

    def object_data(self, name: str) -> tuple[bytes, bytes] | None:
        """(kind, contents) of the object ``name`` (an id or ``rev:path``) through the persistent
        ``cat-file`` process; None when there is no such object."""
        try:
            _sha, kind, _size, data = self.repo.git.get_object_data(name)
        except ValueError:
            return None
        kind_bytes: object = kind  # GitPython's stubs say str; it hands back bytes
        return (kind_bytes if isinstance(kind_bytes, bytes) else str(kind).encode()), data

    def status(self, *args: str) -> tuple[int, str, str]:
        """Run ``git ARGS`` with a timeout when its exit status matters (not an error in itself):
        (status, stdout, stderr)."""
        status, out, err = self.repo.git.execute(
            ["git", *args],
            with_extended_output=True,
            with_exceptions=False,
            kill_after_timeout=GIT_TIMEOUT,
            strip_newline_in_stdout=False,
        )
        return int(status), str(out), str(err)

    def raw(self, *args: str, env: Mapping[str, str] | None = None) -> bytes:
        """Stdout of ``git ARGS`` as bytes, with a timeout (a failure raises GitFailure)."""
        try:
            out = self.repo.git.execute(
                ["git", *args],
                stdout_as_string=False,
                kill_after_timeout=GIT_TIMEOUT,
                env=dict(env) if env else None,
            )
        except GitCommandError as exc:
            raise GitFailure(f"git {args[0]} failed: {exc.status}") from None
        return bytes(out)

    def read_objects(self, shas: list[str]) -> list[bytes]:
        """Contents of many objects by id, through one ``git cat-file --batch`` call."""
        if not shas:
            return []
        if not all(map(_OBJECT_ID.fullmatch, shas)):
            raise GitFailure("read_objects needs full object ids")
        with tempfile.TemporaryFile() as fh:
            fh.write("".join(f"{s}\n" for s in shas).encode("ascii"))
            fh.seek(0)
            try:
                out = self.repo.git.execute(
                    ["git", "cat-file", "--batch"],
                    istream=fh,
                    kill_after_timeout=GIT_TIMEOUT,
                    stdout_as_string=False,
                )
            except GitCommandError as exc:
                raise GitFailure(f"git cat-file failed: {exc.status}") from None
        data = bytes(out)
        result: list[bytes] = []
        pos = 0
        for sha in shas:
            end = data.index(b"\n", pos)
            header = data[pos:end].split(b" ")
            if len(header) != 3 or header[0].decode() != sha:
                raise GitFailure(f"object {sha} is missing (run `git fsck` on the store)")
            size = int(header[2])
            result.append(data[end + 1 : end + 1 + size])
            pos = end + 1 + size + 1
        return result

    def stream_objects(self, shas: list[str]) -> Iterator[bytes]:
        """Contents of many objects by id, in order, each as soon as ``git cat-file --batch``
        gives it (the reader works on the first while git reads the next)."""
        if not all(map(_OBJECT_ID.fullmatch, shas)):
            raise GitFailure("stream_objects needs full object ids")
        if not shas:
            return
        with tempfile.TemporaryFile() as fh:
            fh.write("".join(f"{s}\n" for s in shas).encode("ascii"))
            fh.seek(0)
            proc = self.repo.git.execute(
                ["git", "cat-file", "--batch"], istream=fh, as_process=True
            )
            out = proc.stdout
            try:
                for sha in shas:
                    header = out.readline().split(b" ")
                    if len(header) != 3 or header[0].decode() != sha:
                        raise GitFailure(f"object {sha} is missing (run `git fsck` on the store)")
                    size = int(header[2])
                    data = out.read(size)
                    if len(data) != size or out.read(1) != b"\n":
                        raise GitFailure(f"git cat-file ended early at {sha}")
                    yield data
            finally:
                out.close()
                with suppress(GitCommandError, OSError):
                    proc.wait()

    def list_tree(self, treeish: str) -> dict[str, TreeEntry]:
        """Entries of one tree (not recursive), by name; empty for a missing tree."""
        try:
            out = self.run("ls-tree", "-z", "--full-tree", treeish)
        except GitFailure:
            return {}
        entries: dict[str, TreeEntry] = {}
        for record in out.split("\0"):
            if not record:
                continue
            meta, name = record.split("\t", 1)
            mode, kind, sha = meta.split(" ")
            entries[name] = TreeEntry(mode, kind, sha)
        return entries

    # -- writing ---------------------------------------------------------------------------
    def write_blob(self, data: bytes) -> str:
        """Store bytes as a blob; returns its sha."""
        if self._loose:
            return loose.write_object(self.git_dir, "blob", data)
        return self.run("hash-object", "-w", "--stdin", stdin=data).strip()

    def _base_entries(self, base: str) -> dict[str, TreeEntry]:
        """The entries of tree-ish ``base``, from the trees this object wrote when it can."""
        if base.endswith("^{tree}") and base[:-7] in self._commit_trees:
            base = self._commit_trees[base[:-7]]
        cached = self._trees.get(base)
        if cached is not None:
            return dict(cached)
        entries = self.list_tree(base)
        if _OBJECT_ID.fullmatch(base):
            self._remember(base, entries)
        return dict(entries)

    def _remember(self, tree: str, entries: dict[str, TreeEntry]) -> None:
        if len(self._trees) > TREE_CACHE:
            self._trees.clear()
        self._trees[tree] = dict(entries)

    def write_tree(self, base: str | None, files: Mapping[str, str | None]) -> str:
        """A tree equal to ``base`` (a tree-ish or None) with ``files`` {path: blob sha} set;
        a path mapped to None is removed (and a folder left empty with it)."""
        entries = self._base_entries(base) if base else {}
        nested: dict[str, dict[str, str | None]] = {}
        for path, sha in files.items():
            head, _, rest = path.partition("/")
            if rest:
                nested.setdefault(head, {})[rest] = sha
            elif sha is None:
                entries.pop(head, None)
            else:
                entries[head] = TreeEntry("100644", "blob", sha)
        for name, sub in nested.items():
            existing = entries.get(name)
            sub_base = existing.sha if existing and existing.kind == "tree" else None
            if sub_base is None and all(v is None for v in sub.values()):
                continue
            tree = self.write_tree(sub_base, sub)
            if tree == EMPTY_TREE:
                entries.pop(name, None)
            else:
                entries[name] = TreeEntry("040000", "tree", tree)
        if self._loose:
            data = loose.tree_data((name, e.mode, e.sha) for name, e in entries.items())
            tree = loose.write_object(self.git_dir, "tree", data)
        else:
            listing = "".join(
                f"{e.mode} {e.kind} {e.sha}\t{name}\0" for name, e in sorted(entries.items())
            )
            tree = self.run("mktree", "-z", stdin=listing.encode("utf-8")).strip()
        self._remember(tree, entries)
        return tree

    def commit(
        self,
        files: Mapping[str, bytes | None],
        message: str,
        *,
        expected_head: str | None,
        now: str | None,
    ) -> str:
        """Write ``files`` on top of ``expected_head`` and move the branch by compare-and-swap
        (a path mapped to None is removed)."""
        shas = {p: None if data is None else self.write_blob(data) for p, data in files.items()}
        base_tree = f"{expected_head}^{{tree}}" if expected_head else None
        tree = self.write_tree(base_tree, shas)
        args = ["commit-tree", tree, "-F", "-"]
        if expected_head:
            args[2:2] = ["-p", expected_head]
        env = git_env(now)
        new = self.run(*args, stdin=message.encode("utf-8"), env=env).strip()
        old = expected_head or "0" * 40
        self.run("update-ref", "-m", "drafttrack", BRANCH, new, old)
        if len(self._commit_trees) > TREE_CACHE:
            self._commit_trees.clear()
        self._commit_trees[new] = tree
        return new
