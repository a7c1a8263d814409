"""git delta data (the instructions of an OFS_DELTA object): copy a stretch of the base, insert
new bytes. ``head_tail_delta`` serves a tree edited in place (``pack.Tree``); ``text_delta``
a version's text, provenance or original against the same file of the version before it."""

from __future__ import annotations

from collections.abc import Callable

MIN_COPY = 16
"""Shorter runs of the base are inserted: a copy instruction costs up to eight bytes."""


def head_tail_delta(base_size: int, new: bytes | bytearray, head: int, tail: int) -> bytes:
    """A delta giving ``new`` from a base that shares its first ``head`` and last ``tail`` bytes."""
    out = bytearray(varint(base_size) + varint(len(new)))
    copy(out, 0, head)
    insert(out, new[head : len(new) - tail])
    copy(out, base_size - tail, tail)
    return bytes(out)


def text_delta(old: bytes, new: bytes) -> bytes | None:
    """A delta giving ``new`` from ``old``, when it is under half the size of ``new``; else None.

    The shared start and end are copied whole; between them each line of ``new`` found in the
    same stretch of ``old`` is copied, runs of consecutive lines as one copy (a version that
    reworded, added or dropped passages costs about what it changed)."""
    head, tail = common_ends(old, new)
    out = bytearray(varint(len(old)) + varint(len(new)))
    copy(out, 0, head)
    where: dict[bytes, int] = {}
    at = head
    for line in old[head : len(old) - tail].splitlines(keepends=True):
        where.setdefault(line, at)
        at += len(line)
    pending = bytearray()
    start = end = 0  # the copy being extended: old[start:end]

    def flush_run() -> None:
        if end - start >= MIN_COPY:
            insert(out, pending)
            pending.clear()
            copy(out, start, end - start)
        else:
            pending.extend(old[start:end])

    for line in new[head : len(new) - tail].splitlines(keepends=True):
        if end > start and old[end : end + len(line)] == line:
            end += len(line)
            continue
        found = where.get(line)
        flush_run()
        if found is None:
            start = end = 0
            pending.extend(line)
        else:
            start, end = found, found + len(line)
        if len(out) + len(pending) >= len(new) // 2:
            return None
    flush_run()
    insert(out, pending)
    copy(out, len(old) - tail, tail)
    return bytes(out) if len(out) < len(new) // 2 else None


def common_ends(old: bytes, new: bytes) -> tuple[int, int]:
    """(bytes shared at the start, bytes shared at the end) of two texts, not overlapping:
    block comparisons in C, then a binary search in the first differing block."""
    limit = min(len(old), len(new))
    head = _shared(old, new, limit, lambda a, b, i, j: a[i:j] == b[i:j])
    n_old, n_new = len(old), len(new)

    def same_end(a: bytes, b: bytes, i: int, j: int) -> bool:
        return a[n_old - j : n_old - i] == b[n_new - j : n_new - i]

    return head, _shared(old, new, limit - head, same_end)


def _shared(
    old: bytes, new: bytes, limit: int, same: Callable[[bytes, bytes, int, int], bool]
) -> int:
    """The longest ``n`` <= ``limit`` with ``same(old, new, 0, n)``."""
    step = 4096
    n = 0
    while n + step <= limit and same(old, new, n, n + step):
        n += step
    lo, hi = n, min(n + step, limit)  # same up to lo; the answer is in [lo, hi]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if same(old, new, lo, mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def varint(n: int) -> bytes:
    """git's size encoding in a delta's header: seven bits a byte, lowest first."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def insert(out: bytearray, data: bytes | bytearray) -> None:
    """Insert instructions for ``data`` (at most 127 bytes each)."""
    for start in range(0, len(data), 127):
        chunk = data[start : start + 127]
        out.append(len(chunk))
        out += chunk


def copy(out: bytearray, offset: int, size: int) -> None:
    """Copy instructions for ``size`` bytes of the base from ``offset``."""
    while size > 0:
        step = min(size, 0xFFFFFF)
        command = 0x80
        args = bytearray()
        for i in range(4):
            byte = (offset >> (8 * i)) & 0xFF
            if byte:
                command |= 1 << i
                args.append(byte)
        for i in range(3):
            byte = (step >> (8 * i)) & 0xFF
            if byte:
                command |= 0x10 << i
                args.append(byte)
        out.append(command)
        out += args
        offset += step
        size -= step
