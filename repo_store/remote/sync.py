"""Fetch, pull (fast-forward, adopt or merge), push, sync and clone."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from repo_store.errors import GitFailure, StoreError
from repo_store.gitio import BRANCH, SAFE_CONFIG
from repo_store.remote.base import _EMPTY_STORE_FILES, RemoteError, SyncResult
from repo_store.remote.config import resolve_remote
from repo_store.remote.merge import _merge
from repo_store.remote.network import _first_error, _status, run_network
from repo_store.remote.urls import check_remote_name, check_remote_url, redact
from repo_store.store import Store


# -- fetch and integrate -----------------------------------------------------------------------
def fetch(store: Store, name: str | None = None, *, timeout: float | None = None) -> str | None:
    """Fetch the remote's ``main`` into ``refs/remotes/NAME/main``; None when it has none."""
    name, url = resolve_remote(store, name)
    status, _, err = run_network(
        [
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--no-recurse-submodules",
            "--",
            name,  # git reads the (checked) URL from the config: no password in `ps` output
            f"+{BRANCH}:refs/remotes/{name}/main",
        ],
        git_dir=store.git_dir,
        timeout=timeout,
    )
    if status != 0:
        if "couldn't find remote ref" in err:
            return None
        raise RemoteError(f"fetch from {name} ({redact(url)}) failed: {_first_error(err)}")
    theirs = store.io.run("rev-parse", "--verify", f"refs/remotes/{name}/main^{{commit}}").strip()
    _check_is_store(store, theirs, name)
    return theirs


def _check_is_store(store: Store, rev: str, name: str) -> None:
    raw = store.io.read_blob(rev, "drafttrack.json")
    try:
        fmt = json.loads(raw).get("format") if raw else None
    except (ValueError, AttributeError):
        fmt = None
    marker = store.io.read_blob(BRANCH, "drafttrack.json") if store.head() else None
    ours = json.loads(marker).get("format") if marker else fmt
    if fmt is None or fmt != ours:
        raise RemoteError(f"remote {name!r} does not hold a drafttrack store of this format")


def _is_ancestor(store: Store, a: str, b: str) -> bool:
    status, _, err = _status(store, "merge-base", "--is-ancestor", a, b)
    if status > 1:
        raise GitFailure(
            f"git merge-base failed: {_first_error(err)} (run `git fsck` on the store)"
        )
    return status == 0


def _has_no_versions(store: Store, commit: str) -> bool:
    return set(store.io.list_tree(commit)) <= _EMPTY_STORE_FILES


def pull(store: Store, name: str | None = None, *, timeout: float | None = None) -> SyncResult:
    """Fetch the remote and integrate it into ``main`` (never loses a version on either side)."""
    name, _ = resolve_remote(store, name)
    theirs = fetch(store, name, timeout=timeout)
    if theirs is None:
        return SyncResult("empty-remote", store.head())
    return integrate(store, theirs, name)


def integrate(store: Store, theirs: str, name: str) -> SyncResult:
    """Bring commit ``theirs`` into ``main``: fast-forward, adopt, or merge (under the lock)."""
    with store.write_lock():
        ours = store.head()
        if ours == theirs or (ours and _is_ancestor(store, theirs, ours)):
            return SyncResult("up-to-date", ours)
        resolved: list[str] = []
        if ours is None or _is_ancestor(store, ours, theirs):
            action, new = "fast-forward", theirs
        elif _has_no_versions(store, ours):
            action, new = "adopted", theirs
        else:
            action = "merged"
            new, resolved = _merge(store, ours, theirs, name)
        store.io.run("update-ref", "-m", f"drafttrack pull {name}", BRANCH, new, ours or "0" * 40)
        added = _count_added(store, ours, new)
    return SyncResult(action, new, added, resolved)


def _count_added(store: Store, old: str | None, new: str) -> int:
    if old is None:
        return 0
    out = store.io.run("diff", "--name-only", "--diff-filter=A", "-z", old, new)
    return sum(
        1 for p in out.split("\0") if p.count("/") == 2 and "/versions/" in p and p.endswith(".md")
    )


# -- push, sync, clone -------------------------------------------------------------------------
def push(store: Store, name: str | None = None, *, timeout: float | None = None) -> SyncResult:
    """Push ``main`` to the remote (fast-forward only: pull first when it has new versions)."""
    name, url = resolve_remote(store, name)
    head = store.head()
    if head is None:
        raise RemoteError("the store has no commits to push")
    status, _, err = run_network(
        ["push", "--porcelain", "--no-verify", "--", name, f"{head}:{BRANCH}"],
        git_dir=store.git_dir,
        timeout=timeout,
    )
    if status != 0:
        if any(w in err for w in ("non-fast-forward", "fetch first", "rejected")):
            raise RemoteError(
                f"push to {name} refused: it has versions this store does not have yet; "
                f"run `drafttrack pull {name}` (or `drafttrack sync`) first"
            )
        raise RemoteError(f"push to {name} ({redact(url)}) failed: {_first_error(err)}")
    _status(store, "update-ref", f"refs/remotes/{name}/main", head)
    return SyncResult("pushed", head)


def sync(
    store: Store, name: str | None = None, *, timeout: float | None = None, attempts: int = 3
) -> tuple[SyncResult, SyncResult]:
    """Pull then push; retried when someone pushed in between."""
    for attempt in range(attempts):
        pulled = pull(store, name, timeout=timeout)
        try:
            return pulled, push(store, name, timeout=timeout)
        except RemoteError as exc:
            if "refused" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def clone(
    url: str, path: str | os.PathLike[str], *, name: str = "origin", timeout: float | None = None
) -> Store:
    """A bare clone of a remote store at ``path`` (which must not exist or be empty)."""
    check_remote_name(name)
    url = check_remote_url(url)
    target = Path(path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreError(f"{target}: already exists and is not empty")
    existed = target.exists()
    config: list[str] = []
    for key, value in SAFE_CONFIG.items():
        config += ["--config", f"{key}={value}"]
    try:
        status, _, err = run_network(
            [
                "clone",
                "--bare",
                "--single-branch",
                "--branch",
                "main",
                "--no-tags",
                "--origin",
                name,
                *config,
                "--",
                url,
                str(target),
            ],
            git_dir=None,
            timeout=timeout,
        )
        if status != 0:
            detail = _first_error(err)
            if "not found in upstream" in detail or "Remote branch main" in detail:
                detail = "it holds no drafttrack store (no branch main)"
            raise RemoteError(f"clone of {redact(url)} failed: {detail}")
        store = Store.open(target)
        try:
            store.io.run("symbolic-ref", "HEAD", BRANCH)
            head = store.head()
            if head:
                store.io.run("update-ref", f"refs/remotes/{name}/main", head)
        except BaseException:
            store.close()
            raise
        return store
    except BaseException:
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
            if existed:
                target.mkdir()
        raise
