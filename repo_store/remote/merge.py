"""Merging a remote's history: additions never conflict, provenance merged field by field."""

from __future__ import annotations

import json
import os
from typing import Any

from repo_store.errors import GitFailure
from repo_store.gitio import git_env
from repo_store.remote.base import MergeConflict
from repo_store.remote.network import _first_error, _status
from repo_store.store import Store


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
