"""A real HTTP server on loopback that a watch test controls: per path, a response (or a
function of the request), every request recorded with its headers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """One HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


Route = Answer | Callable[[Seen], Answer]


class Site:
    """Routes by path (query included, else the bare path); unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.base = ""
        self.lock = threading.Lock()

    def set(self, path: str, route: Route | str | bytes, **headers: str) -> None:
        if isinstance(route, str):
            route = route.encode("utf-8")
        if isinstance(route, bytes):
            ctype = headers.pop("content_type", "text/html; charset=utf-8")
            route = Answer(200, route, {"Content-Type": ctype, **headers})
        self.routes[path] = route

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == path]

    def answer(self, seen: Seen) -> Answer:
        with self.lock:
            self.seen.append(seen)
        route = self.routes.get(seen.path) or self.routes.get(seen.path.split("?")[0])
        if route is None:
            return Answer(404, b"not found", {"Content-Type": "text/plain"})
        return route(seen) if callable(route) else route


def conditional(body: bytes, etag: str, ctype: str = "text/html; charset=utf-8") -> Route:
    """A route that answers 304 when the request's If-None-Match is ``etag``."""

    def route(seen: Seen) -> Answer:
        if seen.headers.get("if-none-match") == etag:
            return Answer(304, b"", {"ETag": etag})
        return Answer(200, body, {"Content-Type": ctype, "ETag": etag})

    return route


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    """Serve ``site`` on 127.0.0.1 on a free port for the block's duration."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            self._answer(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))

        def do_POST(self) -> None:  # noqa: N802
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = self.rfile.read(int(headers.get("content-length", "0")))
            self._answer(Seen(self.path, headers, "POST", body))

        def _answer(self, seen: Seen) -> None:
            answer = site.answer(seen)
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            if answer.status != 304:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.status != 304:
                self.wfile.write(answer.body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hangs up early (the size cap) is expected

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
