"""A file written whole or not at all: to a temporary file beside it, flushed to disk, made
read-only (git's objects and packs are), then renamed into place."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path


def write_synced(folder: Path, name: str, data: bytes, prefix: str) -> None:
    """Write ``data`` as ``folder/name``; the temporary file is named ``prefix…`` (git's
    ``tmp_obj_``, ``tmp_pack_``, ``tmp_idx_``, which ``git gc`` cleans after a crash)."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, folder / name)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def sync_dir(folder: Path) -> None:
    """Flush a folder's entries (the renames into it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
