"""Sharing a store through git remotes: add, fetch, merge, push, clone (plumbing only, checked).

Every user string is validated before git sees it (remote names, URLs), every network call runs in
its own process group with a timeout (killed and reaped when a remote never answers), and
credentials in URLs never reach output or logs (:func:`redact`).

Pulling integrates the remote branch under the store's write lock and moves ``main`` by one
compare-and-swap: up to date, fast-forward, adoption (a store without versions takes the remote's
history) or a real merge commit built with ``git merge-tree --write-tree`` and ``commit-tree -p
OURS -p THEIRS``. Additions never conflict (new files only); provenance files edited on both sides
are merged field by field (lists that both sides appended to are united); the same field corrected
differently on both sides is a true conflict: nothing is merged and both variants stay readable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repo_store.errors import GitFailure, InvalidName, StoreError
from repo_store.gitio import BRANCH, SAFE_CONFIG, git_env
from repo_store.store import Store

REMOTE_TIMEOUT = 120.0
"""Default seconds a network git call may take (``$DRAFTTRACK_REMOTE_TIMEOUT`` overrides)."""

NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$")
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")
_SCP_RE = re.compile(r"^(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>.*)$")
_LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>[^/@\s]+)@")
_PROTOCOLS = ("https", "http", "ssh", "git", "file")
_EMPTY_STORE_FILES = {"drafttrack.json", "README.md"}


class RemoteError(StoreError):
    """A remote is unknown, unreachable, refused the request or is not a drafttrack store."""


class RemoteTimeout(RemoteError):
    """A remote did not answer in time; the git processes were stopped."""


class MergeConflict(StoreError):
    """The same provenance was corrected differently here and on the remote."""


@dataclass(slots=True)
class SyncResult:
    """What one pull or push did."""

    action: str
    """up-to-date | fast-forward | adopted | merged | pushed | empty-remote"""
    head: str | None
    added: int = 0
    """Versions the local store gained."""
    resolved: list[str] = field(default_factory=list)
    """Files edited on both sides and merged automatically."""


# -- validation --------------------------------------------------------------------------------
def check_remote_name(name: str) -> str:
    """A remote name: letters, digits, '.', '_', '-'; safe as a config key and a ref component."""
    if not name or not NAME_RE.fullmatch(name) or ".." in name or name.endswith(".lock"):
        raise InvalidName(
            f"invalid remote name {name[:40]!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit"
        )
    return name


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text)


def check_remote_url(url: str) -> str:
    """An allowed remote: https/ssh URL, scp-like ``user@host:path``, or a local path.

    http:// and git:// are accepted for loopback hosts only; command-running transports
    (``ext::``, any ``helper::``), option injection (a leading ``-``), control characters and
    hosts beginning with ``-`` are refused. Local paths are returned absolute.
    """
    shown = redact(url)[:80]
    if not url or len(url) > 2048:
        raise InvalidName("remote URL is empty or longer than 2048 characters")
    if _control(url):
        raise InvalidName(f"remote URL {shown!r} contains control characters")
    if url.startswith("-"):
        raise InvalidName(f"remote URL {shown!r} begins with '-'")
    if "::" in url:
        raise InvalidName(f"remote URL {shown!r} uses a transport helper ('::'); not allowed")
    scheme, sep, rest = url.partition("://")
    if sep:
        scheme = scheme.lower()
        if scheme not in _PROTOCOLS:
            raise InvalidName(
                f"remote URL {shown!r}: protocol {scheme!r} is not allowed "
                "(use https, ssh or a local path)"
            )
        if scheme == "file":
            return url
        authority = rest.split("/", 1)[0]
        host = authority.rpartition("@")[2]
        if host.startswith("[") and "]" in host:
            host = host[: host.index("]") + 1]
        else:
            host = host.split(":", 1)[0]
        if not host or host.startswith("-") or not _HOST_RE.fullmatch(host) or " " in url:
            raise InvalidName(f"remote URL {shown!r} has an invalid host")
        if scheme in {"http", "git"} and host.lower() not in _LOOPBACK:
            raise InvalidName(f"remote URL {shown!r}: {scheme}:// is unencrypted; use https or ssh")
        return url
    scp = _SCP_RE.match(url)
    if scp and "/" not in url.split(":", 1)[0] and not Path(url).exists():
        host, path = scp.group("host"), scp.group("path")
        if host.startswith("-") or path.startswith("-") or not _HOST_RE.fullmatch(host):
            raise InvalidName(f"remote URL {shown!r} has an invalid host or path")
        return url
    return str(Path(url).expanduser().resolve())


def redact(text: str) -> str:
    """``https://user:secret@host`` → ``https://user:***@host`` (a bare token: ``***@``)."""

    def hide(match: re.Match[str]) -> str:
        scheme, info = match.group("scheme"), match.group("info")
        user, colon, _ = info.partition(":")
        if colon:
            return f"{scheme}{user}:***@"
        if scheme.lower().startswith(("http", "https")):
            return f"{scheme}***@"
        return match.group(0)

    return _USERINFO_RE.sub(hide, text)


# -- running git -------------------------------------------------------------------------------
def remote_timeout() -> float:
    """Seconds allowed for one network call ($DRAFTTRACK_REMOTE_TIMEOUT, default 120)."""
    try:
        return max(0.5, float(os.environ.get("DRAFTTRACK_REMOTE_TIMEOUT", REMOTE_TIMEOUT)))
    except ValueError:
        return REMOTE_TIMEOUT


def _protocol_config() -> list[str]:
    args = ["-c", "protocol.allow=never"]
    for proto in _PROTOCOLS:
        args += ["-c", f"protocol.{proto}.allow=always"]
    return args + [
        "-c",
        "protocol.ext.allow=never",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "transfer.fsckObjects=true",
        "-c",
        "credential.interactive=false",
        "-c",
        "http.lowSpeedLimit=1",
        "-c",
        "http.lowSpeedTime=60",
    ]


def run_network(
    args: Sequence[str], *, git_dir: Path | None, timeout: float | None = None
) -> tuple[int, str, str]:
    """Run one git command that may talk to a remote: own process group, timeout, reaped.

    Returns (status, stdout, stderr) with credentials redacted. On timeout the whole process
    group (git and its transport helpers) is killed and waited for, then :class:`RemoteTimeout`.
    """
    limit = remote_timeout() if timeout is None else timeout
    env = {**os.environ, **git_env()}
    env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
    env.pop("GIT_DIR", None)
    cmd = ["git", *_protocol_config()]
    if git_dir is not None:
        cmd += ["--git-dir", str(git_dir)]
    cmd += list(args)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise RemoteTimeout(
            f"git {args[0]}: the remote did not answer within {limit:g} s; stopped"
        ) from None
    except BaseException:
        _kill_group(proc)
        raise
    return (
        proc.returncode,
        redact(out.decode("utf-8", "replace")),
        redact(err.decode("utf-8", "replace")),
    )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL git and every helper it started, then reap them (no zombies left behind)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
    # Helpers re-parented away from git were in the same group: wait until they are gone.
    for _ in range(100):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:", "remote: fatal", "!")):
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return lines[-1] if lines else "no details"


def _status(store: Store, *args: str) -> tuple[int, str, str]:
    """A local git call whose exit status matters (not an error in itself)."""
    return store.io.status(*args)


# -- remotes in the store's config ---------------------------------------------------------------
def remotes(store: Store) -> dict[str, str]:
    """Configured remotes: name → URL (as stored; use :func:`redact` before showing)."""
    status, out, _ = _status(store, "config", "--null", "--get-regexp", r"^remote\..*\.url$")
    found: dict[str, str] = {}
    if status != 0:
        return found
    for record in out.split("\0"):
        key, _, value = record.partition("\n")
        if key.startswith("remote.") and key.endswith(".url"):
            found[key[len("remote.") : -len(".url")]] = value
    return found


def add_remote(store: Store, name: str, url: str) -> str:
    """Record a remote; returns the URL as stored (local paths made absolute)."""
    check_remote_name(name)
    url = check_remote_url(url)
    if name in remotes(store):
        raise RemoteError(f"a remote named {name!r} already exists")
    with store.write_lock():
        store.io.run("config", f"remote.{name}.url", url)
    return url


def remove_remote(store: Store, name: str) -> None:
    """Forget a remote and its remote-tracking branch."""
    resolve_remote(store, name)
    with store.write_lock():
        store.io.run("config", "--remove-section", f"remote.{name}")
        _status(store, "update-ref", "-d", f"refs/remotes/{name}/main")


def resolve_remote(store: Store, name: str | None) -> tuple[str, str]:
    """The remote to use (NAME, the only one, or origin) and its checked URL."""
    known = remotes(store)
    if name is None:
        if len(known) == 1:
            name = next(iter(known))
        elif "origin" in known:
            name = "origin"
        elif not known:
            raise RemoteError(
                "no remote configured (add one with `drafttrack remote add NAME URL`)"
            )
        else:
            raise RemoteError(f"several remotes ({', '.join(sorted(known))}): name one")
    check_remote_name(name)
    if name not in known:
        raise RemoteError(f"no remote named {name!r}")
    return name, check_remote_url(known[name])


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


def _merge(store: Store, ours: str, theirs: str, name: str) -> tuple[str, list[str]]:
    """A merge commit of ours and theirs, conflicts on known files resolved by rule."""
    status, out, err = _status(
        store, "merge-tree", "--write-tree", "-z", "--allow-unrelated-histories", ours, theirs
    )
    if status not in (0, 1):
        raise GitFailure(f"git merge-tree failed: {_first_error(err)} (run `git fsck`)")
    records = out.split("\0")
    tree = records[0].strip()
    stages: dict[str, dict[int, str]] = {}
    for record in records[1:]:
        if not record:
            break
        meta, _, path = record.partition("\t")
        _mode, sha, stage = meta.split(" ")
        stages.setdefault(path, {})[int(stage)] = sha
    if status == 0:
        resolved_files: dict[str, str] = {}
    else:
        resolved_files, conflicts = _resolve(store, stages)
        if conflicts:
            _keep_conflict(store, name, theirs)
            raise MergeConflict(
                f"pull from {name} stopped, nothing merged: "
                + "; ".join(conflicts)
                + f". Both variants are kept: yours on main, theirs at refs/remotes/{name}/main"
                " (`git --git-dir STORE show refs/remotes/"
                f"{name}/main:PATH`); correct one side so that both agree, then pull again"
            )
        tree = store.io.write_tree(tree, resolved_files)
    message = f"Merge versions from {name}\n\nDrafttrack-Action: merge\nDrafttrack-Remote: {name}\n"
    for path in sorted(resolved_files):
        message += f"Drafttrack-Resolved: {path}\n"
    env = git_env(os.environ.get("DRAFTTRACK_NOW"))
    commit = store.io.run(
        "commit-tree", tree, "-p", ours, "-p", theirs, "-F", "-", stdin=message.encode(), env=env
    ).strip()
    return commit, sorted(resolved_files)


def _keep_conflict(store: Store, name: str, theirs: str) -> None:
    _status(store, "update-ref", f"refs/drafttrack/conflicts/{name}", theirs)


def _resolve(store: Store, stages: dict[str, dict[int, str]]) -> tuple[dict[str, str], list[str]]:
    """Resolved blob shas by path, and descriptions of the true conflicts."""
    resolved: dict[str, str] = {}
    conflicts: list[str] = []

    def blob(sha: str | None) -> bytes | None:
        if sha is None:
            return None
        return store.io.raw("cat-file", "blob", sha)

    for path, by_stage in sorted(stages.items()):
        base, ours, theirs = (blob(by_stage.get(i)) for i in (1, 2, 3))
        if ours is None or theirs is None:
            conflicts.append(f"{path} was deleted on one side and changed on the other")
            continue
        parts = path.split("/")
        if path.endswith(".json") and (
            path == "drafttrack.json"
            or (len(parts) == 2 and parts[1] == "document.json")
            or (len(parts) == 3 and parts[1] == "versions")
        ):
            merged, clashes = _merge_json_file(base, ours, theirs)
            if clashes and len(parts) == 3:
                doc, vid = parts[0], parts[2].removesuffix(".json")
                conflicts.append(
                    f"version {vid} of {doc!r} was corrected differently on both sides "
                    f"({', '.join(clashes)})"
                )
                continue
            if merged is None:
                conflicts.append(f"{path} is not valid JSON on one side")
                continue
            data = merged
        elif path.endswith(".jsonl"):
            data = _union_lines(base, ours, theirs)
        elif path == "README.md":
            data = min(ours, theirs)
        else:
            conflicts.append(f"{path} differs on both sides")
            continue
        resolved[path] = store.io.write_blob(data)
    return resolved, conflicts


_MISSING = object()


def _merge_json_file(
    base: bytes | None, ours: bytes, theirs: bytes
) -> tuple[bytes | None, list[str]]:
    """Three-way merge of JSON objects; clashing fields are listed (document.json: min wins)."""
    try:
        b = json.loads(base) if base else {}
        o, t = json.loads(ours), json.loads(theirs)
    except ValueError:
        return None, []
    if not all(isinstance(x, dict) for x in (b, o, t)):
        return None, []
    clashes: list[str] = []
    merged = merge_values(b, o, t, "", clashes)
    if clashes and "id" not in o:
        # document.json / drafttrack.json: descriptive fields, resolved deterministically.
        clashes = []
        merged = merge_values(b, o, t, "", clashes, prefer_min=True)
    text = json.dumps(merged, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8"), clashes


def merge_values(
    base: Any, ours: Any, theirs: Any, path: str, clashes: list[str], *, prefer_min: bool = False
) -> Any:
    """Three-way merge of one JSON value; appends clashing field paths to ``clashes``."""
    if ours == theirs:
        return ours
    if base == ours:
        return theirs
    if base == theirs:
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict):
        b = base if isinstance(base, dict) else {}
        out: dict[str, Any] = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            value = merge_values(
                b.get(key, _MISSING),
                ours.get(key, _MISSING),
                theirs.get(key, _MISSING),
                f"{path}.{key}" if path else key,
                clashes,
                prefer_min=prefer_min,
            )
            if value is not _MISSING:
                out[key] = value
        return out
    if isinstance(ours, list) and isinstance(theirs, list):
        common = base if isinstance(base, list) else []
        n = len(common)
        if ours[:n] == common and theirs[:n] == common:
            extra = [x for x in theirs[n:] if x not in ours[n:]]
            return [*ours, *extra]
    if prefer_min:
        if ours is _MISSING or theirs is _MISSING:
            return theirs if ours is _MISSING else ours
        return min((ours, theirs), key=lambda v: json.dumps(v, sort_keys=True))
    clashes.append(path or "(whole file)")
    return ours


def _union_lines(base: bytes | None, ours: bytes, theirs: bytes) -> bytes:
    """Lines of ours, then lines theirs added (append-only logs such as annotations)."""
    seen = set(ours.splitlines())
    base_lines = set((base or b"").splitlines())
    extra = [line for line in theirs.splitlines() if line not in seen and line not in base_lines]
    out = ours if ours.endswith(b"\n") or not ours else ours + b"\n"
    return out + b"".join(line + b"\n" for line in extra)


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
