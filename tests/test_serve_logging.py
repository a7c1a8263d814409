"""`drafttrack serve` under load keeps serving whatever its stderr does, and logs deliberately:
waitress's queue reports summarised, a 500 always with its traceback, nothing that can block."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from drafttrack.cli.serve_log import DroppingHandler, QueueReports
from drafttrack.service.demo import build_demo_store
from tests.conftest import CliRun
from web import create_app

REQUESTS = 600  # 16 clients on 4 worker threads: requests queue from the first second
CLIENTS = 16
PATHS = [
    "/",
    "/d/paris-declaration",
    "/d/paris-declaration/compare/1/2",
    "/d/koordinierungsgruppe",
    "/api/docs",
]
BROKEN = "/d/koordinierungsgruppe/compare/1/2"  # never requested before the store breaks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 30) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with its pages computed once (derived data in its cache): these tests are
    about logging under load, not sixteen clients computing the same cold page at once."""
    store = tmp_path_factory.mktemp("serve-log") / "store"
    build_demo_store(store).close()
    client = create_app(store, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    for path in PATHS:
        assert client.get(path, follow_redirects=True).status_code == 200, path
    return store


@contextmanager
def serving(
    store: Path, stderr: int, *extra: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`drafttrack serve` as a real process with ``stderr`` as its fd 2; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "drafttrack", "--store", str(store), "serve", "--port", str(port),
         *extra],
        stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, "drafttrack serve exited"
                assert time.monotonic() < deadline, "drafttrack serve did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _load(base: str, requests: int = REQUESTS) -> tuple[dict[int, int], list[str], float]:
    """``requests`` GETs from ``CLIENTS`` threads (each request 30 s at most): statuses by
    count, failures, seconds taken."""
    left = iter(range(requests))
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    failures: list[str] = []

    def client() -> None:
        while True:
            with lock:
                i = next(left, None)
            if i is None:
                return
            url = base + PATHS[i % len(PATHS)]
            try:
                status = _get(url)
            except OSError as exc:
                with lock:
                    failures.append(f"{url}: {exc}")
                continue
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    start = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, 600 - (time.monotonic() - start)))
    assert not any(t.is_alive() for t in threads), "clients still waiting after 600 s"
    return statuses, failures, time.monotonic() - start


@contextmanager
def broken_store(store: Path) -> Iterator[None]:
    """The store's loose objects moved away (reads fail with a 500), then put back."""
    objects = store / "objects"
    aside = store.parent / "objects-aside"
    aside.mkdir()
    moved = [d for d in objects.iterdir() if re.fullmatch(r"[0-9a-f]{2}", d.name)]
    for d in moved:
        d.rename(aside / d.name)
    try:
        yield
    finally:
        for d in moved:
            (aside / d.name).rename(d)
        aside.rmdir()


def _full_pipe() -> tuple[int, int]:
    """A pipe whose buffer is already full: any blocking write to its write end waits forever."""
    r, w = os.pipe()
    flags = fcntl.fcntl(w, fcntl.F_GETFL)
    fcntl.fcntl(w, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        while True:
            os.write(w, b"x" * 4096)
    except BlockingIOError:
        pass
    fcntl.fcntl(w, fcntl.F_SETFL, flags)  # the server gets an ordinary (blocking) stderr
    return r, w


@pytest.mark.slow
def test_a_server_whose_stderr_pipe_is_full_answers_every_request(demo: Path) -> None:
    r, w = _full_pipe()
    try:
        with serving(demo, w) as base:
            os.close(w)
            w = -1
            statuses, failures, _ = _load(base, 400)  # as many as with stderr closed
            assert not failures, failures[:5]
            assert statuses == {200: 400}
            with broken_store(demo):  # a 500 to log, and nowhere to log it
                assert _get(base + BROKEN) == 500
            assert _get(base + BROKEN) == 200
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


@pytest.mark.slow
def test_a_server_whose_stderr_is_closed_keeps_serving(demo: Path) -> None:
    r, w = os.pipe()
    os.close(r)  # every write to stderr fails (EPIPE)
    try:
        with serving(demo, w, "--workers", "2") as base:
            statuses, failures, _ = _load(base, 400)
            assert not failures and statuses == {200: 400}
            with broken_store(demo):
                assert _get(base + BROKEN) == 500
            assert _get(base + "/") == 200
    finally:
        os.close(w)


@pytest.mark.slow
def test_the_log_summarises_queue_reports_and_shows_every_500_with_its_traceback(
    demo: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with log.open("wb") as err, serving(demo, err.fileno(), "--workers", "4") as base:
        statuses, failures, seconds = _load(base)
        with broken_store(demo):
            assert _get(base + BROKEN) == 500
        assert _get(base + BROKEN) == 200
        time.sleep(0.5)  # the log's writer thread
    assert not failures and statuses == {200: REQUESTS}
    text = log.read_text("utf-8")
    queue_lines = [line for line in text.splitlines() if "waitress.queue" in line]
    assert 1 <= len(queue_lines) <= seconds / 10 + 2, (len(queue_lines), seconds)
    assert "request(s) waited for one of the 4 worker threads" in queue_lines[0]
    assert "Task queue depth" not in text
    error = text[text.index(f"ERROR web: Exception on {BROKEN} [GET]") :]
    assert "Traceback (most recent call last)" in error and "CorruptStore" in error


def test_log_level_error_hides_queue_reports_but_not_errors_in_the_journal(
    demo: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    log.touch()
    st = log.stat()  # systemd names the journal's stream to its services like this
    journal = {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
    with (
        log.open("wb") as err,
        serving(demo, err.fileno(), "--log-level", "error", env=journal) as base,
    ):
        threads = [threading.Thread(target=_get, args=(base + p,)) for p in PATHS * 8]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        with broken_store(demo):
            assert _get(base + BROKEN) == 500
        time.sleep(0.5)
    text = log.read_text("utf-8")
    assert "waitress.queue" not in text
    assert text.startswith(f"<3>ERROR web: Exception on {BROKEN} [GET]\n"), text[:200]
    assert "Traceback (most recent call last)" in text


def test_an_unknown_log_level_is_a_one_line_error(demo: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo, "serve", "--log-level", "loud")
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "loud" in result.err


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1, message, args, None)


def test_queue_reports_pass_at_most_once_per_interval_with_a_summary() -> None:
    now = [100.0]
    reports = QueueReports(threads=4, interval=10.0, clock=lambda: now[0])
    shown = []
    for depth in [1, 3, 7, 2, 5]:  # within one interval: only the first passes
        record = _record("Task queue depth is %d", depth)
        if reports.filter(record):
            shown.append(record.getMessage())
        now[0] += 1.0
    now[0] += 10.0
    record = _record("Task queue depth is %d", 4)
    assert reports.filter(record)
    shown.append(record.getMessage())
    assert len(shown) == 2
    assert shown[0].startswith("1 request(s) waited for one of the 4 worker threads")
    assert shown[1].startswith("5 request(s) waited") and "up to 7 at once" in shown[1]
    assert reports.filter(_record("Exception when servicing %r", "task"))  # others untouched


def _handler_logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"drafttrack-test-{id(handler)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def test_a_handler_on_a_full_pipe_drops_lines_and_says_so_later() -> None:
    r, w = _full_pipe()
    handler = DroppingHandler(w, capacity=10)
    logger = _handler_logger(handler)
    try:
        start = time.monotonic()
        for i in range(200):
            logger.info("line %d: „Einigung“ — угода", i)
        assert time.monotonic() - start < 5  # nothing waited for the pipe
        assert handler.dropped >= 150
        drained = b""
        flags = fcntl.fcntl(r, fcntl.F_GETFL)
        fcntl.fcntl(r, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        deadline = time.monotonic() + 10
        while b"dropped" not in drained and time.monotonic() < deadline:
            try:
                drained += os.read(r, 1 << 16)
            except BlockingIOError:
                logger.info("after the drain")
                time.sleep(0.05)
        assert re.search(rb"drafttrack: \d+ log line\(s\) dropped", drained)
        assert "line 0: „Einigung“ — угода".encode() in drained
    finally:
        handler.close()
        logger.removeHandler(handler)
        os.close(r)
        os.close(w)


def test_a_handler_on_a_closed_pipe_drops_lines_without_raising() -> None:
    r, w = os.pipe()
    os.close(r)
    handler = DroppingHandler(w)
    logger = _handler_logger(handler)
    try:
        for i in range(50):
            logger.info("line %d", i)
        deadline = time.monotonic() + 10
        while handler.dropped < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert handler.dropped == 50
    finally:
        handler.close()
        logger.removeHandler(handler)
        os.close(w)
