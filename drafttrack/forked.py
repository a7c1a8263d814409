"""Run a producer in a forked child process and read what it yields, in order, as it comes.

A cold lineage build has two halves of about equal cost that depend on each other in one
direction only: reading and segmenting each version, then aligning and chaining it. With a
second core, the child does the first half while the parent does the second.

Only where it is safe and worth it: ``os.fork`` exists, this process runs no other thread (a
fork copies locks other threads may hold), and at least two CPUs are ours. Items and errors
cross a pipe pickled, in batches; the child never returns into the caller's code.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any, BinaryIO

BATCH = 8
"""Items pickled together: fewer writes, and the parent still starts early."""


def can_fork() -> bool:
    """Whether ``stream_from_child`` may fork here."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(cpus) >= 2 if cpus is not None else (os.cpu_count() or 1) >= 2


def stream_from_child(produce: Callable[[], Iterator[Any]]) -> ChildStream:
    """What ``produce()`` yields, computed in a forked child (check ``can_fork`` first).

    An exception in the child is raised here, when its place in the stream is reached. Use
    the stream as a context manager: leaving it reaps the child, stopping it if not done.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: produce, write, and leave without running the caller's code
        os.close(read_fd)
        status = 0
        try:
            with os.fdopen(write_fd, "wb") as out:
                status = _produce_into(produce, out)
        finally:
            os._exit(status)
    os.close(write_fd)
    return ChildStream(pid, os.fdopen(read_fd, "rb"))


def _produce_into(produce: Callable[[], Iterator[Any]], out: BinaryIO) -> int:
    batch: list[Any] = []
    try:
        for item in produce():
            batch.append(item)
            if len(batch) >= BATCH:
                pickle.dump(("items", batch), out, pickle.HIGHEST_PROTOCOL)
                batch = []
        pickle.dump(("items", batch), out, pickle.HIGHEST_PROTOCOL)
        pickle.dump(("end", None), out, pickle.HIGHEST_PROTOCOL)
        return 0
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
        try:
            payload = pickle.dumps(("error", exc), pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        with suppress(OSError):
            pickle.dump(("items", batch), out, pickle.HIGHEST_PROTOCOL)
            out.write(payload)
        return 1


class ChildStream:
    """The items a child process sends, in order."""

    def __init__(self, pid: int, source: BinaryIO) -> None:
        self.pid = pid
        self.source = source
        self.pending: list[Any] = []
        self.done = False
        self.closed = False

    def __iter__(self) -> ChildStream:
        return self

    def __next__(self) -> Any:
        while not self.pending:
            if self.done:
                raise StopIteration
            try:
                kind, payload = pickle.load(self.source)
            except EOFError:
                self.done = True
                raise RuntimeError("the worker process ended without finishing") from None
            if kind == "items":
                self.pending = payload[::-1]
            elif kind == "end":
                self.done = True
            else:
                self.done = True
                raise payload
        return self.pending.pop()

    def __enter__(self) -> ChildStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child if it is still working, and reap it."""
        if self.closed:
            return
        self.closed = True
        with suppress(OSError):
            self.source.close()
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
