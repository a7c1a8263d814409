"""Load on the viewer: 16 readers of compare and trace pages plus 2 writers, over loopback.

    python bench/load.py                      # 60 s, 16 readers, 2 writers, serve --workers 4
    python bench/load.py --seconds 20 --readers 8
    python bench/load.py --server-log file    # the server's stderr straight to the log file

A fresh demo store is served by ``drafttrack serve --workers N`` on 127.0.0.1 (never another
address). Readers cycle through compare pages (side by side and inline) and trace pages of both
demo documents; writers add versions through the upload form (with its CSRF token). Bounded in
time (``--seconds``, at most 600) and in requests (``--max-requests``). Printed: requests,
throughput, p50/p99/max latency and errors per kind of client, and the ratio of the loaded p50 to
a baseline of one sequential reader measured first against the same server. Target: zero errors,
p99 under 1 s.

The server's stderr is never left in a pipe nobody reads (a full pipe would stall a server whose
logging blocks, and the benchmark would measure its own fault): by default a thread drains the
pipe into a log file as it comes; ``--server-log file`` gives the server the file itself. The log
file is named in the output, with its count of lines and queue reports, and its end is shown when
a request failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"

READ_PATHS = [
    "/d/paris-declaration/compare/1/2",
    "/d/paris-declaration/compare/2/3",
    "/d/paris-declaration/compare/1/3?view=inline",
    "/d/koordinierungsgruppe/compare/1/2",
    "/d/koordinierungsgruppe/compare/1/2?view=inline",
    "/d/paris-declaration/trace?q=" + urllib.parse.quote("support the force"),
    "/d/koordinierungsgruppe/trace?q=Koordinierungsgruppe",
]


@dataclass
class Tally:
    """Latencies and errors of one kind of client."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Budget:
    """Stops every client at the deadline or after the request cap."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> str:
    """GET (or POST ``data``); returns the body; raises on any status >= 400."""
    with opener.open(urllib.request.Request(url, data=data), timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def reader(base: str, budget: Budget, tally: Tally, offset: int) -> None:
    opener = urllib.request.build_opener()
    i = offset
    while budget.take():
        url = base + READ_PATHS[i % len(READ_PATHS)]
        i += 1
        start = time.perf_counter()
        error = None
        try:
            fetch(opener, url)
        except (urllib.error.URLError, OSError) as exc:
            error = f"{url}: {exc}"
        tally.record(time.perf_counter() - start, error)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def writer(base: str, budget: Budget, tally: Tally, me: int) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = fetch(opener, base + "/add")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not match:
        tally.record(0.0, "no CSRF token on the form")
        return
    n = 0
    while budget.take():
        form = urllib.parse.urlencode(
            {
                "csrf_token": match.group(1),
                "doc": "load-test",
                "label": f"writer {me} #{n}",
                "outlet": "Load test",
                "text": f"# Load\n\n1. Writer {me} adds text {n}: „Einigung“ — угода.\n",
                "placement": "end",
            }
        ).encode()
        n += 1
        start = time.perf_counter()
        error = None
        try:
            fetch(opener, base + "/add", form)
            error = "the form did not redirect (303) after adding"
        except urllib.error.HTTPError as exc:
            if exc.code != 303:
                error = f"POST /add: HTTP {exc.code}"
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            error = f"POST /add: {exc}"
        tally.record(time.perf_counter() - start, error)


class Drain(threading.Thread):
    """Copies a child's output pipe into ``log`` as it arrives, so the pipe never fills."""

    def __init__(self, pipe: object, log: Path) -> None:
        super().__init__(daemon=True)
        self.pipe, self.log = pipe, log

    def run(self) -> None:
        with self.log.open("ab") as out:
            for line in self.pipe:  # type: ignore[attr-defined]
                out.write(line)
                out.flush()


def describe_log(log: Path, failed: bool) -> None:
    """Where the server's log is, how much it holds; its end when something failed."""
    text = log.read_text("utf-8", "replace") if log.exists() else ""
    lines = text.splitlines()
    queue = sum("waitress.queue" in line or "Task queue depth" in line for line in lines)
    print(f"server log: {log} ({len(lines)} lines, {queue} of them queue reports)")
    if failed and text:
        print(text[-2000:])


def report(name: str, tally: Tally, seconds: float, baseline_p50: float | None) -> None:
    lat = sorted(tally.latencies)
    if not lat:
        print(f"{name:>9}: no requests")
        return
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    ratio = f", p50 {p50 / baseline_p50:.1f}x the single-reader baseline" if baseline_p50 else ""
    print(
        f"{name:>9}: {len(lat):6d} requests, {len(lat) / seconds:7.1f}/s, "
        f"p50 {p50 * 1000:6.1f} ms, p99 {p99 * 1000:7.1f} ms, max {lat[-1] * 1000:7.1f} ms, "
        f"{len(tally.errors)} errors{ratio}"
    )
    for error in tally.errors[:5]:
        print(f"           {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument(
        "--server-log",
        choices=("pipe", "file"),
        default="pipe",
        help="server stderr: a pipe drained into the log file (default), or the file itself",
    )
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1.0), 600.0)

    from drafttrack.service.demo import build_demo_store

    folder = Path(tempfile.mkdtemp(prefix="drafttrack-load-"))
    build_demo_store(folder / "store").close()
    port = free_port()
    log = folder / "server.log"
    log_file = log.open("wb") if args.server_log == "file" else None
    server = subprocess.Popen(
        [
            sys.executable, "-m", "drafttrack", "--store", str(folder / "store"), "serve",
            "--host", HOST, "--port", str(port), "--workers", str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log_file or subprocess.PIPE,
    )  # fmt: skip
    drain = None
    if log_file:
        log_file.close()  # the server has its own descriptor for it
    else:
        drain = Drain(server.stderr, log)
        drain.start()
    print(f"server: `drafttrack serve` (pid {server.pid}), stderr to {log} ({args.server_log})")
    base = f"http://{HOST}:{port}"
    failed = True  # until the clients have run
    try:
        opener = urllib.request.build_opener()
        for _ in range(200):
            try:
                fetch(opener, base + "/")
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        for path in READ_PATHS:  # warm the page caches once, as a running viewer would be
            fetch(opener, base + path)
        baseline = Tally()
        reader(base, Budget(min(5.0, seconds), 10_000), baseline, 0)
        base_p50 = statistics.median(baseline.latencies)
        print(
            f"baseline: one sequential reader, {len(baseline.latencies)} requests, "
            f"p50 {base_p50 * 1000:.1f} ms"
        )

        budget = Budget(seconds, args.max_requests)
        reads, writes = Tally(), Tally()
        threads = [
            threading.Thread(target=reader, args=(base, budget, reads, i))
            for i in range(args.readers)
        ] + [
            threading.Thread(target=writer, args=(base, budget, writes, i))
            for i in range(args.writers)
        ]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        print(
            f"load: {args.readers} readers + {args.writers} writers for {elapsed:.0f} s against "
            f"`drafttrack serve --workers {args.workers}` on {HOST}"
        )
        report("readers", reads, elapsed, base_p50)
        report("writers", writes, elapsed, None)
        failed = bool(reads.errors or writes.errors)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if drain:
            drain.join(timeout=10)
    describe_log(log, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
