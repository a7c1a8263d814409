"""Git objects written by Python: blobs and trees as loose objects, no process per object.

A version commit writes a few blobs and one tree per folder level; as ``git hash-object`` and
``git mktree`` processes that is a dozen process starts per commit, most of a watch's or an
import's time on a large store. The formats are git's own (``<kind> <size>\\0<data>``, SHA-1,
zlib; tree entries ``<mode> <name>\\0<20-byte id>`` in git's name order), and each object is
written to a temporary file, flushed to disk and renamed into place, as ``git`` does with
``core.fsync=committed``: a crash leaves at most an unreferenced object, never a broken one.
Stores in another object format (SHA-256) keep the git processes (see :func:`supported`).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from pathlib import Path

from repo_store.synced import write_synced

TREE_MODE = "40000"
"""A sub-tree's mode inside a tree object (``ls-tree`` prints it as ``040000``)."""


def supported(git_dir: Path) -> bool:
    """True for a SHA-1 repository (the object format written here)."""
    try:
        config = (git_dir / "config").read_text("utf-8", "replace").lower()
    except OSError:
        return False
    return "objectformat" not in config or "objectformat = sha1" in config


def object_id(kind: str, data: bytes) -> str:
    """The id git gives an object of ``kind`` holding ``data``."""
    return hashlib.sha1(b"%s %d\0" % (kind.encode(), len(data)) + data).hexdigest()


def write_object(git_dir: Path, kind: str, data: bytes) -> str:
    """Write ``data`` as a loose object (unless git already has it loose); returns its id."""
    header = b"%s %d\0" % (kind.encode(), len(data))
    sha = hashlib.sha1(header + data).hexdigest()
    folder = git_dir / "objects" / sha[:2]
    target = folder / sha[2:]
    if target.exists():
        return sha
    folder.mkdir(mode=0o755, exist_ok=True)
    write_synced(folder, sha[2:], zlib.compress(header + data), "tmp_obj_")
    return sha


def tree_data(entries: Iterable[tuple[str, str, str]]) -> bytes:
    """A tree object's body from (name, mode, id) entries, in git's order (a sub-tree's name
    sorts as if it ended in ``/``)."""

    def order(entry: tuple[str, str, str]) -> bytes:
        name, mode, _ = entry
        return name.encode("utf-8") + (b"/" if mode.lstrip("0") == TREE_MODE else b"")

    out = bytearray()
    for name, mode, sha in sorted(entries, key=order):
        out += f"{mode.lstrip('0')} {name}".encode() + b"\0" + bytes.fromhex(sha)
    return bytes(out)
