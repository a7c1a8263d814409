"""The normal path of a command whose answer may be kept (``drafttrack.cli.answers``): its
output is collected while it runs, then written out, and kept when it is certain to be the
answer at the store's HEAD (success, nothing on stderr, HEAD the same before and after)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import TextIO

from drafttrack.cli import answers
from drafttrack.cli.fast import KEPT, Call, answer_place, is_terminal, stream_encoding


class _Collected(io.TextIOWrapper):
    """A text stream into memory that is a terminal exactly when the stream it stands for is
    (so that click colours and strips as it would there)."""

    def __init__(self, like: TextIO, terminal: bool) -> None:
        super().__init__(
            io.BytesIO(), encoding=like.encoding, errors=like.errors, write_through=True
        )
        self._terminal = terminal

    def isatty(self) -> bool:
        return self._terminal

    def collected(self) -> bytes:
        """What was written, as bytes in the stream's encoding."""
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue()


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
    new_out, new_err = _Collected(out, terminal), _Collected(err, is_terminal(err))
    sys.stdout, sys.stderr = new_out, new_err
    try:
        code = run()
    finally:
        sys.stdout, sys.stderr = out, err
        printed, said = new_out.collected(), new_err.collected()
        written = _write_out(out, printed, err, said)
    if not written:
        return 1
    if code == 0 and not said and answer_place(call) == place:
        key = answers.answer_key(call.words, encoding, terminal)
        answers.keep(place[0], place[1], key, printed)
    return code


def _write_out(out: TextIO, printed: bytes, err: TextIO, said: bytes) -> bool:
    """Write what the command printed and said; False when stdout's reader has gone."""
    try:
        out.flush()
        out.buffer.write(printed)
        out.buffer.flush()
    except BrokenPipeError:
        err.close()
        return False
    err.flush()
    err.buffer.write(said)
    err.buffer.flush()
    return True
