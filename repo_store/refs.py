"""The store's branch read from the git directory's files, without starting git or importing
GitPython: for a command that needs only to know whether the derived index is current.

Only the plain layouts are read: a bare store, or a clone's ``.git`` folder, with the branch as
a loose ref or in ``packed-refs``. Anything else (a ``.git`` file pointing elsewhere, a linked
worktree's ``commondir``, the reftable format, a symbolic or damaged ref) gives None, and the
caller takes the normal path, where git itself reads the ref and reports what is wrong.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

BRANCH = "refs/heads/main"
"""The store's branch (``repo_store.gitio.BRANCH``; that module imports GitPython)."""

CACHE_NAME = "drafttrack-cache"
"""The derived-data folder inside the git directory (``repo_store.model.CACHE_NAME``)."""

_OBJECT_NAME = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def git_dir_of(path: str | os.PathLike[str]) -> Path | None:
    """The git directory ``Store.open`` would use for ``path``, or None when it is not a plain
    one (then ``Store.open`` decides, and explains)."""
    target = Path(path)
    if (target / ".git").is_dir():
        target = target / ".git"
    if not (target / "objects").is_dir() or not (target / "HEAD").is_file():
        return None
    if (target / "commondir").exists() or (target / "reftable").exists():
        return None
    return target


def branch_head(git_dir: Path) -> str | None:
    """The commit id ``refs/heads/main`` names, read from the loose ref or ``packed-refs``;
    None when it cannot be told from the files alone."""
    try:
        loose = (git_dir / BRANCH).read_bytes()
    except FileNotFoundError:
        return _packed(git_dir)
    except OSError:
        return None
    name = loose.decode("ascii", "replace").rstrip("\n")
    return name if _OBJECT_NAME.fullmatch(name) else None


def _packed(git_dir: Path) -> str | None:
    try:
        data = (git_dir / "packed-refs").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in data.splitlines():
        if line.startswith(("#", "^")):
            continue
        name, _, ref = line.partition(" ")
        if ref == BRANCH:
            return name if _OBJECT_NAME.fullmatch(name) else None
    return None
