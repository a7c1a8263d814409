"""Fault checks run before every write: read-only stores, stale git locks, damaged refs/objects.

- A store on a read-only file system (or without write permission) still serves reads; a write is
  refused with :class:`ReadOnlyStore` before anything is touched.
- A ``*.lock`` file left by a killed git (``index.lock``, ``refs/heads/main.lock``,
  ``packed-refs.lock``…) is removed, with a logged message, only while this process holds the
  store's own write lock and no live process has the file open.
- A truncated or corrupt ref or head object refuses the write with :class:`CorruptStore`, whose
  message names ``git fsck``.
- A full disk or a file-size limit during a write becomes :class:`WriteFailed`; the branch was not
  moved, so the store is as it was (at most unreferenced objects remain, which git ignores).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from repo_store.errors import GitFailure, StoreError
from repo_store.gitio import GitIO


class Store(Protocol):
    """What the checks read of a store (``repo_store.store.Store`` has it): no import of the
    store module, which calls these checks."""

    @property
    def git_dir(self) -> Path: ...

    @property
    def io(self) -> GitIO: ...

    def head(self) -> str | None: ...


log = logging.getLogger("repo_store")

OWN_LOCK = "drafttrack.lock"
STALE_AFTER = 60.0
"""Seconds after which a lock is stale when open files cannot be inspected (no /proc)."""
_SHA_RE = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?\n?$")
_WRITE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class ReadOnlyStore(StoreError):
    """The store cannot be written (read-only file system or no permission); reads still work."""


class CorruptStore(GitFailure):
    """A ref or object of the store is damaged; writes are refused until ``git fsck`` is clean."""


class WriteFailed(GitFailure):
    """The disk filled up (or a size limit was hit) during a write; nothing was recorded."""


def check_writable(git_dir: Path) -> None:
    """Refuse early, before any lock or object is created, when the store cannot be written."""
    probes = [git_dir, git_dir / "objects", git_dir / "refs" / "heads"]
    if any(p.exists() and not os.access(p, os.W_OK) for p in probes) or _read_only_fs(git_dir):
        raise ReadOnlyStore(
            f"{git_dir}: the store is read-only (read-only file system or no write permission); "
            "reading works, recording does not"
        )


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def check_refs(git_dir: Path) -> None:
    """The branch ref must be a well-formed object name (a truncated ref file is refused)."""
    from repo_store.gitio import BRANCH

    loose = git_dir / BRANCH
    if loose.is_file():
        data = loose.read_bytes()
        if not _SHA_RE.match(data):
            raise CorruptStore(
                f"{git_dir}: the ref {BRANCH} is damaged ({len(data)} bytes, not an object name); "
                "writes are refused: run `git fsck` on the store and restore the ref "
                "(e.g. from its reflog or a clone)"
            )


def check_objects(store: Store, head: str | None) -> None:
    """The head commit and its root tree must be readable."""
    if head is None:
        packed = store.git_dir / "packed-refs"
        in_packed = packed.is_file() and b" refs/heads/main\n" in packed.read_bytes()
        if (store.git_dir / "refs" / "heads" / "main").exists() or in_packed:
            raise CorruptStore(
                f"{store.git_dir}: the branch main points to a missing or unreadable commit; "
                "writes are refused: run `git fsck` on the store"
            )
        return
    try:
        store.io.run("cat-file", "commit", head)
        store.io.run("ls-tree", "--full-tree", head)
    except GitFailure as exc:
        raise CorruptStore(
            f"{store.git_dir}: the head commit {head[:10]} cannot be read ({exc}); "
            "writes are refused: run `git fsck` on the store"
        ) from None


def _lock_files(git_dir: Path) -> list[Path]:
    found = [p for p in git_dir.glob("*.lock") if p.name != OWN_LOCK]
    refs = git_dir / "refs"
    if refs.is_dir():
        found += list(refs.rglob("*.lock"))
    return found


def _held_open(path: Path) -> bool | None:
    """Whether any process has ``path`` open (None: cannot tell on this system)."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    target = str(path.resolve())
    unknown = False
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            fds = list((pid_dir / "fd").iterdir())
        except (PermissionError, FileNotFoundError, ProcessLookupError):
            unknown = unknown or pid_dir.exists()
            continue
        for fd in fds:
            try:
                if os.readlink(fd) == target:
                    return True
            except OSError:
                continue
    return None if unknown else False


def clear_stale_locks(git_dir: Path) -> list[str]:
    """Remove git lock files nobody holds; call only while holding the store's write lock."""
    removed = []
    for lock in _lock_files(git_dir):
        held = _held_open(lock)
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            continue
        if held or (held is None and age < STALE_AFTER):
            continue
        try:
            lock.unlink()
        except FileNotFoundError:
            continue
        rel = lock.relative_to(git_dir).as_posix()
        removed.append(rel)
        log.warning("drafttrack: removed a stale git lock %s (left by a killed process)", rel)
    return removed


def before_write(store: Store) -> None:
    """Checks run under the write lock, before a write reads the head."""
    clear_stale_locks(store.git_dir)
    check_refs(store.git_dir)
    check_objects(store, store.head())


@contextmanager
def write_errors(git_dir: Path) -> Iterator[None]:
    """Turn a full disk, a size limit or a lost permission during a write into one clear error."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:
            raise WriteFailed(_full_message(git_dir, exc.strerror or str(exc))) from None
        raise
    except GitFailure as exc:
        text = str(exc)
        if isinstance(exc, CorruptStore):
            raise
        if any(
            hint in text
            for hint in ("No space left", "File too large", "-25", "SIGXFSZ", "Disk quota")
        ):
            raise WriteFailed(_full_message(git_dir, text)) from None
        raise


def _full_message(git_dir: Path, detail: str) -> str:
    return (
        f"{git_dir}: could not write to the store (disk full or file size limit: {detail}); "
        "nothing was recorded and the store is as it was"
    )
