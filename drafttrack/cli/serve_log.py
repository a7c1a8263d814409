"""Logging for ``drafttrack serve``: errors with their tracebacks, waitress's queue reports
summarised, and a handler that drops lines rather than ever block the server.

waitress warns "Task queue depth is N" for nearly every request once clients outnumber its
threads (ordinary load for a shared viewer); those become one summary line per interval. Log
lines are written by one background thread from a bounded queue: when stderr cannot take them (a
pipe nobody reads, a closed descriptor) they are counted and dropped, and the count is reported
once the stream takes lines again.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import SupportsInt, cast

LEVELS = ("debug", "info", "warning", "error")
QUEUE_INTERVAL = 10.0
"""Seconds between two summaries of waitress's queue reports."""
QUIET_LOGGERS = ("fontTools",)
"""Libraries whose INFO lines (one per subset font of a PDF report) only show under debug."""


class DroppingHandler(logging.Handler):
    """Writes formatted lines to a file descriptor from a background thread; never blocks.

    ``emit`` only puts the line in a bounded queue. A full queue (the writer is stuck on a full
    pipe) or a failed write (a closed or broken descriptor) drops the line; the number dropped
    is written before the next line that gets through.
    """

    def __init__(self, fd: int = 2, capacity: int = 1000) -> None:
        super().__init__()
        self.fd = fd
        self.dropped = 0
        self._count_lock = threading.Lock()
        self._lines: queue.Queue[bytes | None] = queue.Queue(capacity)
        self._writer = threading.Thread(target=self._write_all, name="drafttrack-log", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = (self.format(record) + "\n").encode("utf-8", "replace")
            self._lines.put_nowait(line)
        except Exception:  # noqa: BLE001 - a log line must never fail the request logging it
            self._drop()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self._drop()  # the default prints to stderr, which is what may be blocked

    def _drop(self, n: int = 1) -> None:
        with self._count_lock:
            self.dropped += n

    def _take_dropped(self) -> int:
        with self._count_lock:
            n, self.dropped = self.dropped, 0
        return n

    def _write_all(self) -> None:
        while (line := self._lines.get()) is not None:
            dropped = self._take_dropped()
            if dropped:
                note = f"drafttrack: {dropped} log line(s) dropped: the log could not be written\n"
                line = note.encode() + line
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(self.fd, view) :]
            except OSError:
                self._drop(dropped + 1)

    def close(self) -> None:
        """Stop the writer after the queued lines (waiting at most a second for it)."""
        try:
            self._lines.put(None, timeout=1.0)
        except queue.Full:
            pass
        self._writer.join(timeout=1.0)
        super().close()


class QueueReports(logging.Filter):
    """Lets through at most one of waitress's "Task queue depth" warnings per ``interval``
    seconds, rewritten as a summary of the reports since the last one shown."""

    def __init__(
        self,
        threads: int,
        interval: float = QUEUE_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.threads, self.interval, self.clock = threads, interval, clock
        self._lock = threading.Lock()
        self._count = 0
        self._deepest = 0
        self._shown_at = -float("inf")

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Task queue depth"):
            return True
        depth = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        now = self.clock()
        with self._lock:
            self._count += 1
            self._deepest = max(self._deepest, int(cast("SupportsInt", depth)))
            if now - self._shown_at < self.interval:
                return False
            count, deepest = self._count, self._deepest
            self._count = self._deepest = 0
            self._shown_at = now
        record.msg = (
            "%d request(s) waited for one of the %d worker threads since the last report, "
            "up to %d at once (reported at most every %.0f s; more --workers if pages are slow)"
        )
        record.args = (count, self.threads, deepest, self.interval)
        return True


class JournalFormatter(logging.Formatter):
    """Lines for the systemd journal: a ``<N>`` syslog priority first (the journal reads it as
    the line's priority and adds its own timestamp)."""

    PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3}

    def format(self, record: logging.LogRecord) -> str:
        priority = self.PRIORITY.get(record.levelno, 2 if record.levelno > logging.ERROR else 6)
        return f"<{priority}>" + super().format(record)


def _journal_stderr() -> bool:
    """True when stderr is the systemd journal (which adds its own timestamps)."""
    stream = os.environ.get("JOURNAL_STREAM", "")
    try:
        dev, ino = (int(part) for part in stream.split(":"))
        st = os.fstat(2)
    except (ValueError, OSError):
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)


def configure(level: str, threads: int, fd: int = 2) -> DroppingHandler:
    """Route all logging of the server process to a non-blocking handler on ``fd`` at ``level``
    (one of ``LEVELS``); waitress's queue reports summarised. Returns the handler."""
    handler = DroppingHandler(fd)
    fmt = "%(levelname)s %(name)s: %(message)s"
    if fd == 2 and _journal_stderr():
        handler.setFormatter(JournalFormatter(fmt))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s " + fmt))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    logging.getLogger("waitress.queue").addFilter(QueueReports(threads))
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_exception
    return handler


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger("drafttrack").error(
        "uncaught exception in thread %s",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )
