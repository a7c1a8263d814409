"""Reading someone else's git history fast: the changes of every commit from one ``git log``
pass, the files' contents from one ``git cat-file --batch`` stream.

A source is a local git directory (bare or with a work tree) or a remote URL, cloned bare into
a temporary folder under the same URL rules, protocol allow-list and timeout as ``remote add``.
Nothing here knows about drafttrack documents: it yields commits, changed paths and blobs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from repo_store.errors import GitFailure, InvalidValue, StoreError
from repo_store.gitio import git_env

GIT_TIMEOUT = 600.0
"""Seconds allowed for one local git call over the source (a whole-history log included)."""
ZERO = "0" * 40


class NotASource(StoreError):
    """The source is not a git repository drafttrack can read."""


@dataclass(slots=True)
class Change:
    """One file changed by a commit (``status`` A, M, D or R: renamed from ``old_path``)."""

    status: str
    path: str
    blob: str
    old_path: str | None = None


@dataclass(slots=True)
class SourceCommit:
    """A commit of the source on its first-parent line, with the files it changed."""

    sha: str
    parents: list[str]
    date: str
    """Committer date, ISO 8601 with its offset."""
    subject: str
    changes: list[Change] = field(default_factory=list)


def check_pathspec(spec: str) -> str:
    """A pathspec as a plain path or glob inside the repository (no magic, no escaping)."""
    if not spec or spec.startswith(("-", ":", "/")) or any(ord(c) < 32 for c in spec):
        raise InvalidValue(f"bad pathspec {spec!r}: give a path or glob inside the repository")
    if ".." in Path(spec).parts:
        raise InvalidValue(f"bad pathspec {spec!r}: '..' is not allowed")
    return spec


class GitSource:
    """A readable git repository; use as a context manager (a clone is deleted on exit)."""

    def __init__(self, git_dir: Path, identity: str, name: str, temp: Path | None = None) -> None:
        self.git_dir = git_dir
        self.identity = identity
        """What the store records the source as: its absolute path or its URL."""
        self.name = name
        """The repository's name (default outlet)."""
        self._temp = temp

    @classmethod
    def open(cls, source: str, *, timeout: float | None = None) -> GitSource:
        """A local repository, or a remote one cloned bare into a temporary folder."""
        if "::" in source or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^[^/]+@[^/]+:", source):
            return cls._clone(source, timeout)
        path = Path(source).expanduser()
        if not path.is_dir():
            raise NotASource(f"{source}: no such directory")
        git_dir = _git_dir(path)
        if git_dir is None:
            raise NotASource(f"{source}: not a git repository")
        name = (git_dir.parent if git_dir.name == ".git" else git_dir).name.removesuffix(".git")
        return cls(git_dir, str(git_dir.resolve()), name or "source")

    @classmethod
    def _clone(cls, url: str, timeout: float | None) -> GitSource:
        from repo_store.remote.network import _first_error, run_network
        from repo_store.remote.urls import check_remote_url, redact

        checked = check_remote_url(url)
        temp = Path(tempfile.mkdtemp(prefix="drafttrack-adopt-"))
        target = temp / "source.git"
        try:
            status, _out, err = run_network(
                ["clone", "--bare", "--quiet", "--no-recurse-submodules", "--", checked,
                 str(target)],
                git_dir=None, timeout=timeout,
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        if status != 0:
            shutil.rmtree(temp, ignore_errors=True)
            raise NotASource(f"cannot clone {redact(checked)}: {_first_error(err)}")
        name = checked.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
        return cls(target, redact(checked), name or "source", temp)

    def close(self) -> None:
        """Delete a temporary clone."""
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def __enter__(self) -> GitSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- git ---------------------------------------------------------------------------------
    def _cmd(self, *args: str) -> list[str]:
        return ["git", "-c", "core.quotePath=false", "--git-dir", str(self.git_dir), *args]

    def _run(self, *args: str) -> tuple[int, bytes, str]:
        try:
            done = subprocess.run(
                self._cmd(*args), capture_output=True, timeout=GIT_TIMEOUT, env=_env(),
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise GitFailure(f"git {args[0]} on the source took over {GIT_TIMEOUT:g} s") from None
        return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")

    def head(self) -> str | None:
        """The commit at the source's HEAD (None for an empty repository)."""
        status, out, _err = self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        return out.decode().strip() if status == 0 else None

    def has_commit(self, sha: str) -> bool:
        status, _out, _err = self._run("cat-file", "-e", f"{sha}^{{commit}}")
        return status == 0

    def is_ancestor(self, older: str, newer: str) -> bool:
        status, _out, _err = self._run("merge-base", "--is-ancestor", older, newer)
        return status == 0

    def merge_base(self, a: str, b: str) -> str | None:
        """The best common ancestor of two commits (None when they share no history)."""
        status, out, _err = self._run("merge-base", a, b)
        return out.decode().strip() or None if status == 0 else None

    def commits(self, head: str, since: str | None, pathspecs: Sequence[str]) -> list[SourceCommit]:
        """Commits after ``since`` up to ``head`` on the first-parent line, oldest first, each
        with the files it changed (a merge: against its first parent; renames detected)."""
        span = f"{since}..{head}" if since else head
        status, out, err = self._run(
            "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "-z",
            "-M", "--no-abbrev", "--format=%x01%H%x00%P%x00%cI%x00%s", span, "--",
            *pathspecs,
        )  # fmt: skip
        if status != 0:
            raise InvalidValue(f"cannot read the source's history: {err.strip()}")
        return _parse_log(out)

    def blobs(self, shas: Sequence[str], limit: int) -> Iterator[bytes | None]:
        """The contents of ``shas`` in order, from one ``cat-file --batch`` process; None for a
        blob larger than ``limit`` bytes (read past, never kept)."""
        if not shas:
            return
        proc = subprocess.Popen(
            self._cmd("cat-file", "--batch"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=_env(),
        )  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        import threading

        def feed() -> None:
            assert proc.stdin is not None
            try:
                for sha in shas:
                    proc.stdin.write(sha.encode() + b"\n")
                proc.stdin.close()
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for sha in shas:
                header = proc.stdout.readline().split()
                if len(header) != 3 or header[1] != b"blob":
                    raise GitFailure(f"the source has no blob {sha} (run `git fsck` on it)")
                size = int(header[2])
                if size > limit:
                    remaining = size + 1
                    while remaining:
                        remaining -= len(proc.stdout.read(min(remaining, 1 << 20)))
                    yield None
                    continue
                data = proc.stdout.read(size)
                proc.stdout.read(1)
                yield data
        finally:
            proc.kill()
            proc.wait()
            writer.join()
            proc.stdout.close()
            if not proc.stdin.closed:
                proc.stdin.close()


def _env() -> dict[str, str]:
    env = {**os.environ, **git_env()}
    env.pop("GIT_DIR", None)
    return env


def _git_dir(path: Path) -> Path | None:
    """The git directory of ``path`` (itself when bare, else its ``.git``)."""
    for candidate in (path / ".git", path):
        if (candidate / "objects").is_dir() and (candidate / "HEAD").is_file():
            return candidate
    return None


def _parse_log(out: bytes) -> list[SourceCommit]:
    """Parse ``git log --raw -z`` with the format ``\\x01%H\\0%P\\0%cI\\0%s``."""
    commits: list[SourceCommit] = []
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x01"):
            sha = token[1:].decode()
            parents = tokens[i + 1].decode().split()
            date = tokens[i + 2].decode()
            subject = tokens[i + 3].decode("utf-8", "replace")
            commits.append(SourceCommit(sha, parents, date, subject))
            i += 4
        elif token.startswith(b":"):
            meta = token[1:].decode().split()
            status = meta[4][0]
            if status in "RC":
                old, new = _path(tokens[i + 1]), _path(tokens[i + 2])
                i += 3
                if status == "C":
                    commits[-1].changes.append(Change("A", new, meta[3]))
                else:
                    commits[-1].changes.append(Change("R", new, meta[3], old))
                continue
            path = _path(tokens[i + 1])
            i += 2
            if meta[1] == "160000" or meta[0] == "160000":
                continue  # a submodule: no file to read
            if status == "T":
                status = "M"
            commits[-1].changes.append(Change(status, path, meta[3]))
        else:
            i += 1
    return commits


def _path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")
