"""A producer in a forked child: items arrive in order, errors cross, the child is reaped."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator

import pytest

from drafttrack import forked
from drafttrack.errors import DrafttrackError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_items_arrive_in_order_across_batches_and_the_child_is_reaped() -> None:
    count = forked.BATCH * 3 + 5
    with forked.stream_from_child(lambda: iter(range(count))) as stream:
        assert list(stream) == list(range(count))
    assert _reaped(stream.pid)


def test_an_error_in_the_child_is_raised_where_it_happened() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise DrafttrackError("version 3 is unreadable")

    got: list[int] = []
    with pytest.raises(DrafttrackError, match="version 3 is unreadable"):
        with forked.stream_from_child(produce) as stream:
            got.extend(stream)
    assert got == [1, 2]
    assert _reaped(stream.pid)


def test_an_error_that_does_not_pickle_still_arrives_as_its_message() -> None:
    class Local(Exception):  # not importable by name: pickling it fails
        pass

    def produce() -> Iterator[int]:
        raise Local("local failure")
        yield 0

    with pytest.raises(RuntimeError, match="Local: local failure"):
        with forked.stream_from_child(produce) as stream:
            list(stream)


def test_leaving_early_stops_the_child() -> None:
    with forked.stream_from_child(lambda: itertools.count()) as stream:
        assert [next(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
    assert _reaped(stream.pid)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
    finally:
        stop.set()
        thread.join()
