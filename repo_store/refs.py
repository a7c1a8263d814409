"""The store's branch read from the git directory's files, without starting git or importing
GitPython: for a command that needs only to know whether the derived index is current.

Only the plain layouts are read: a bare store, or a clone's ``.git`` folder, with the branch as
a loose ref or in ``packed-refs``. Anything else (a ``.git`` file pointing elsewhere, a linked
worktree's ``commondir``, the reftable format, a symbolic or damaged ref) gives None, and the
caller takes the normal path, where git itself reads the ref and reports what is wrong.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import zlib
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


def plain_refs(git_dir: Path) -> bool:
    """Whether the branch of ``git_dir`` is kept in the files :func:`branch_head` reads (not in
    a reftable, not in another worktree's common directory)."""
    return not (git_dir / "reftable").exists() and not (git_dir / "commondir").exists()


def is_commit(git_dir: Path, name: str) -> bool:
    """True when the object ``name`` is certainly a commit of ``git_dir``: a loose object whose
    header says so, or a whole (undeltified) commit in a pack. False means "not known from the
    files" (a delta, a tag, a missing object…): ask git."""
    if not _OBJECT_NAME.fullmatch(name):
        return False
    try:
        with open(git_dir / "objects" / name[:2] / name[2:], "rb") as fh:
            head = zlib.decompressobj().decompress(fh.read(512), 16)
        return head.startswith(b"commit ")
    except FileNotFoundError:
        pass
    except (OSError, zlib.error):
        return False
    if len(name) != 40:
        return False
    try:
        return any(_packed_kind(idx, bytes.fromhex(name)) == 1 for idx in _pack_indexes(git_dir))
    except (OSError, ValueError, struct.error):
        return False


def _pack_indexes(git_dir: Path) -> list[Path]:
    return sorted((git_dir / "objects" / "pack").glob("pack-*.idx"))


def _packed_kind(idx: Path, oid: bytes) -> int | None:
    """The type of the pack entry of ``oid`` (1 commit, 2 tree, 3 blob, 4 tag, 6/7 delta) from a
    version-2 pack index and its pack, or None when the pack has no such object."""
    with open(idx, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    with data:
        if data[:8] != b"\xfftOc\x00\x00\x00\x02":
            raise ValueError("not a version-2 pack index")
        fanout = 8
        lo = struct.unpack_from(">I", data, fanout + 4 * (oid[0] - 1))[0] if oid[0] else 0
        hi = struct.unpack_from(">I", data, fanout + 4 * oid[0])[0]
        count = struct.unpack_from(">I", data, fanout + 4 * 255)[0]
        names = fanout + 4 * 256
        while lo < hi:
            mid = (lo + hi) // 2
            here = data[names + 20 * mid : names + 20 * mid + 20]
            if here == oid:
                break
            lo, hi = (mid + 1, hi) if here < oid else (lo, mid)
        else:
            return None
        offsets = names + 24 * count
        offset = struct.unpack_from(">I", data, offsets + 4 * mid)[0]
        if offset & 0x80000000:
            raise ValueError("a pack above 2 GiB")
    with open(idx.with_suffix(".pack"), "rb") as pack:
        pack.seek(offset)
        first = pack.read(1)
    if not first:
        raise ValueError("an offset past the end of the pack")
    return (first[0] >> 4) & 7
