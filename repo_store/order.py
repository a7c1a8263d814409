"""Sortable order keys: a version's place in the draft order, kept in its own provenance file.

Keys are strings over ``0-9a-z`` compared as plain strings; :func:`between` always finds a key
strictly between two others, so placing a version never rewrites another version's file (two
clones adding versions merge without conflicts).
"""

from __future__ import annotations

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = len(ALPHABET)


def between(lo: str | None, hi: str | None) -> str:
    """A key k with lo < k < hi (None: unbounded). Keys never end in '0'."""
    lo = lo or ""
    if hi is not None and lo >= hi:
        raise ValueError(f"no key between {lo!r} and {hi!r}")
    out: list[str] = []
    i = 0
    bounded = hi is not None
    while True:
        d_lo = ALPHABET.index(lo[i]) if i < len(lo) else 0
        d_hi = ALPHABET.index(hi[i]) if bounded and hi is not None and i < len(hi) else _BASE
        if d_hi - d_lo > 1:
            out.append(ALPHABET[(d_lo + d_hi) // 2])
            return "".join(out)
        out.append(ALPHABET[d_lo])
        if d_hi - d_lo == 1:
            bounded = False
        i += 1
