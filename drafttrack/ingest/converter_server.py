"""A warm server that forks one bounded child per conversion.

Starting a fresh interpreter per file costs most of a second (importing trafilatura and lxml); a
watch polling hundreds of pages or an import of a folder of HTML pays that for every file. The
server is one child interpreter that imports the converters once, then, for each request, forks
a child that sets its address-space limit, converts and replies. The caller keeps the wall-clock
limit: it learns the child's pid first and kills it when time runs out. The server reads
requests on its stdin and ends when the caller's end of the pipe closes (the caller exited or
was killed).

Protocol, one request at a time: the caller writes a JSON header line ``{"module", "name",
"memory_mb", "size"}`` and ``size`` bytes; the server answers a line ``{"pid": N}`` as soon as
the child runs, then a line ``{"status": S, "size": M}`` and ``M`` bytes of the child's JSON
reply (``status`` is the child's wait status).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import IO, Any

from drafttrack.ingest.bounded import convert_bounded

PRELOAD = (
    "drafttrack.ingest.bounded",
    "drafttrack.ingest.html",
    "drafttrack.ingest.docx",
    "drafttrack.ingest.pdf",
    "lxml.html",
    "trafilatura",
    "docx",
    "docx.oxml",
    "pypdf",
)


class ServerGone(Exception):
    """The server ended or broke the protocol; the caller falls back to a fresh interpreter."""


class ChildTimedOut(Exception):
    """The conversion child overran the time limit and was killed."""


class ConverterServer:
    """The caller's handle on one server process (one conversion at a time)."""

    def __init__(self) -> None:
        code = (
            "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
            "from drafttrack.ingest.converter_server import serve; serve()"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, json.dumps(sys.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.lock = threading.Lock()
        self._buffer = b""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def convert(self, module: str, name: str, memory_mb: int, data: bytes, timeout: float) -> Any:
        """The child's reply (a dict), or raise :class:`ChildTimedOut` / :class:`ServerGone`;
        a child that died without replying gives ``{"died": status}``."""
        deadline = time.monotonic() + timeout
        header = {"module": module, "name": name, "memory_mb": memory_mb, "size": len(data)}
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(header).encode() + b"\n")
            stdin.write(data)
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise ServerGone("the converter server is gone") from None
        pid = int(self._line(None)["pid"])
        try:
            done = self._line(deadline)
        except ChildTimedOut:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
            killed = self._line(None)  # the server reports the killed child: stay in step
            self._read(int(killed["size"]))
            raise
        body = self._read(int(done["size"]))
        if not body:
            return {"died": int(done["status"])}
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {"died": int(done["status"])}

    def _fill(self, deadline: float | None) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        fd = stdout.fileno()
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise ChildTimedOut()
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise ServerGone("the converter server ended")
        self._buffer += chunk

    def _line(self, deadline: float | None) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            parsed: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            raise ServerGone("the converter server broke the protocol") from None
        return parsed

    def _read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            self._fill(None)
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return body

    def close(self) -> None:
        """End the server (it exits when its stdin closes) and release the pipes."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def serve(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> None:
    """The server loop (runs in the child interpreter)."""
    import importlib

    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    for module in PRELOAD:
        try:
            importlib.import_module(module)
        except ImportError:
            pass  # the conversion itself reports a missing library
    while True:
        line = source.readline()
        if not line:
            return
        request = json.loads(line)
        data = source.read(int(request["size"]))
        reply_r, reply_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the conversion child
            os.close(reply_r)
            _child(request, data, reply_w)
        os.close(reply_w)
        sink.write(json.dumps({"pid": pid}).encode() + b"\n")
        sink.flush()
        chunks = []
        while chunk := os.read(reply_r, 1 << 20):
            chunks.append(chunk)
        os.close(reply_r)
        _, status = os.waitpid(pid, 0)
        body = b"".join(chunks)
        sink.write(json.dumps({"status": status, "size": len(body)}).encode() + b"\n" + body)
        sink.flush()


def _child(request: dict[str, Any], data: bytes, reply_w: int) -> None:
    code = 0
    try:
        reply = convert_bounded(request["module"], request["name"], str(request["memory_mb"]), data)
        body = json.dumps(reply, ensure_ascii=True).encode()
        view = memoryview(body)
        while view:
            view = view[os.write(reply_w, view) :]
    except BaseException:  # noqa: BLE001 - the parent reads a death, never a traceback here
        code = 1
    finally:
        os._exit(code)
