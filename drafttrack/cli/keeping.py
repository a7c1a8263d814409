"""The normal path of a command whose answer may be kept (``drafttrack.cli.answers``): its
output is collected while it runs, then written out in the order it was written (stdout and
stderr interleaved as they came), and kept when it is certain to be the answer at the store's
HEAD (success, nothing on stderr, HEAD the same before and after)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any, TextIO

from drafttrack.cli import answers
from drafttrack.cli.fast import KEPT, Call, answer_place, is_terminal, stream_encoding

Chunks = list[tuple[int, bytearray]]
"""What was written, in order: (1 for stdout, 2 for stderr, the bytes)."""


class _Sink(io.BytesIO):
    """The binary side of a collected stream: each write noted in the shared order."""

    def __init__(self, chunks: Chunks, fd: int) -> None:
        super().__init__()
        self._chunks = chunks
        self._fd = fd

    def write(self, data: Any) -> int:
        chunk = memoryview(data).cast("B")
        if self._chunks and self._chunks[-1][0] == self._fd:  # one write per run of a stream
            self._chunks[-1][1].extend(chunk)
        else:
            self._chunks.append((self._fd, bytearray(chunk)))
        return len(chunk)


class _Collected(io.TextIOWrapper):
    """A text stream into memory that is a terminal exactly when the stream it stands for is
    (so that click colours and strips as it would there)."""

    def __init__(self, like: TextIO, terminal: bool, chunks: Chunks, fd: int) -> None:
        sink = _Sink(chunks, fd)
        super().__init__(sink, encoding=like.encoding, errors=like.errors, write_through=True)
        self._terminal = terminal

    def isatty(self) -> bool:
        return self._terminal


def run_keeping(call: Call | None, run: Callable[[], int]) -> int:
    """``run()`` (the normal path of ``call``), its answer kept when it is one."""
    out, err = sys.stdout, sys.stderr
    encoding = stream_encoding(out)
    if call is None or call.command not in KEPT or encoding is None:
        return run()
    if stream_encoding(err) is None:
        return run()
    place = answer_place(call)
    if place is None:
        return run()
    terminal = is_terminal(out)
    chunks: Chunks = []
    new_out = _Collected(out, terminal, chunks, 1)
    new_err = _Collected(err, is_terminal(err), chunks, 2)
    sys.stdout, sys.stderr = new_out, new_err
    try:
        code = run()
    finally:
        sys.stdout, sys.stderr = out, err
        new_out.flush()
        new_err.flush()
        written = _write_out(out, err, chunks)
    if not written:
        return 1
    if code == 0 and all(fd == 1 for fd, _ in chunks) and answer_place(call) == place:
        key = answers.answer_key(call.words, encoding, terminal)
        answers.keep(place[0], place[1], key, b"".join(chunk for _, chunk in chunks))
    return code


def _write_out(out: TextIO, err: TextIO, chunks: Chunks) -> bool:
    """Write what the command printed and said, in order; False when a reader has gone."""
    out.flush()
    err.flush()
    try:
        for fd, chunk in chunks:
            stream = out if fd == 1 else err
            stream.buffer.write(chunk)
            stream.buffer.flush()
    except BrokenPipeError:
        err.close()
        return False
    return True
