"""Creating a store's repository and telling whether a folder holds a store, before the
:class:`repo_store.store.Store` reads it (no import of the store module, which calls these)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from repo_store import recovery
from repo_store.errors import GitFailure, NotAStore, StoreExists
from repo_store.model import FORMAT


def create_repository(path: str | os.PathLike[str]) -> Path:
    """An empty bare git repository at ``path`` (a missing or empty folder), branch ``main``."""
    target = Path(path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreExists(f"{target}: already exists and is not empty")
    import git

    target.mkdir(parents=True, exist_ok=True)
    try:
        git.Repo.init(str(target), bare=True, initial_branch="main")
    except Exception as exc:  # noqa: BLE001 - report git's reason in one line
        raise GitFailure(f"cannot create a git repository at {target}: {exc}") from None
    return target


def locate(path: str | os.PathLike[str]) -> Path:
    """The git folder of the store at ``path`` (a clone with a work tree: its ``.git``);
    NotAStore when there is no git repository there, refs checked as git would read them."""
    target = Path(path)
    if not target.exists():
        raise NotAStore(f"{target}: no store here (create one with `drafttrack init`)")
    if (target / ".git").is_dir():
        target = target / ".git"
    if not (target / "objects").is_dir() or not (target / "HEAD").exists():
        raise NotAStore(f"{target}: not a drafttrack store (no git repository)")
    recovery.check_refs(target)
    return target


def check_store(store: recovery.Store) -> None:
    """NotAStore unless the repository's HEAD holds a ``drafttrack.json`` of our format;
    CorruptStore when its branch points to a missing commit."""
    target = store.git_dir
    head = store.io.head()
    if head is None:
        recovery.check_objects(store, None)
    marker = store.io.read_blob(head, "drafttrack.json") if head else None
    if marker is None:
        raise NotAStore(f"{target}: not a drafttrack store (no drafttrack.json)")
    try:
        fmt = json.loads(marker).get("format")
    except (ValueError, AttributeError):
        fmt = None
    if fmt != FORMAT:
        raise NotAStore(f"{target}: unsupported store format {fmt!r}")
