"""The warm converter server: same results as a fresh interpreter, limits kept, failures
contained (a killed child, a killed server, several threads at once)."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from drafttrack.ingest import IngestError, html, safety

PAGE = (
    "<html><head><meta charset='utf-8'><title>Erklärung</title></head><body><article>"
    "<h1>Erklärung über Sicherheitsgarantien</h1>"
    "<p>1. Die Parteien unterstützen „die Truppe“ im Falle eines Angriffs.</p>"
    "<p>2. Сторони надають «розвідувальну» та логістичну підтримку.</p>"
    "<p>3. Les parties s’engagent à coopérer de bonne foi, « sans délai ».</p>"
    "</article></body></html>"
).encode()


def test_same_text_as_a_fresh_interpreter() -> None:
    warm = html.convert(PAGE, "page.html")
    fresh = safety._run_interpreter("drafttrack.ingest.html", PAGE, "page.html")
    assert warm == fresh
    assert "„die Truppe“" in warm.text and "«розвідувальну»" in warm.text


def test_a_slow_child_is_killed_and_the_server_serves_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "TIME_LIMIT_S", 0.5)
    with pytest.raises(IngestError, match=r"took longer than 0\.5 s"):
        safety.run_limited("tests.memory_hog", b"sleep", "slow.pdf")
    server = safety._warm_server()
    assert server is not None and server.alive()
    echoed = safety.run_limited("tests.memory_hog", "echo:ещё".encode(), "x.pdf")
    assert echoed.text == "ещё" and safety._warm_server() is server


def test_a_child_killed_by_a_signal_reads_as_over_the_limit() -> None:
    with pytest.raises(IngestError, match="memory limit") as caught:
        safety.run_limited("tests.memory_hog", b"die", "bomb.pdf")
    assert "\n" not in str(caught.value)
    assert safety.run_limited("tests.memory_hog", b"echo:ok", "x.pdf").text == "ok"


def test_a_dead_server_is_replaced() -> None:
    server = safety._warm_server()
    assert server is not None
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    # the call that finds it dead still converts (a new server or a fresh interpreter)
    assert safety.run_limited("tests.memory_hog", b"echo:one", "x.pdf").text == "one"
    replaced = safety._warm_server()
    assert replaced is not None and replaced is not server and replaced.alive()


def test_threads_at_once_each_get_their_own_text() -> None:
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = safety.run_limited("tests.memory_hog", f"echo:№{i}".encode(), "x.pdf").text
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and results == {i: f"№{i}" for i in range(6)}
