"""Where a service call may keep what it derived: nowhere (a command), or a shell's cache."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Memo(Protocol):
    """A cache of derived values by key (the viewer's LRU satisfies it)."""

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value for ``key``, made by ``make`` when missing."""
        ...


class NoMemo:
    """Keeps nothing: every call makes its value (one command, one answer)."""

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``."""
        return make()


NO_MEMO: Memo = NoMemo()
"""The default of every service call: derive afresh (disk caches still apply)."""
