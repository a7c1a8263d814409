"""``drafttrack add --from-url``: fetch a page or file over http(s), bounded in size and time.

Only ``http`` and ``https`` URLs are fetched (redirects included, at most five); the body may
not exceed :data:`MAX_FETCH_BYTES` nor take longer than :data:`FETCH_TIMEOUT_S` in all; the
content type must be one that :func:`drafttrack.ingest.ingest` can read.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from drafttrack.ingest import MAX_INPUT_BYTES, IngestError

MAX_FETCH_BYTES = MAX_INPUT_BYTES
FETCH_TIMEOUT_S = 30.0
MAX_REDIRECTS = 5
USER_AGENT = "drafttrack (+policy draft tracker)"

ACCEPTED_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/octet-stream": "",
}
"""Content types fetched, with the extension to name the file by when the URL has none."""


@dataclass(slots=True, frozen=True)
class Fetched:
    """A fetched body, the file name to record, and where it finally came from."""

    data: bytes
    name: str
    url: str
    content_type: str


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, else IngestError."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise IngestError(f"{url}: only http and https URLs can be fetched")
    if any(ord(ch) < 33 for ch in url):
        raise IngestError(f"{url!r}: URL contains spaces or control characters")
    return url


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # No proxy handler from the environment's defaults beyond urllib's; no file:, ftp: or data:.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _Redirects(),
    ):
        opener.add_handler(handler)
    return opener


def _name(url: str, content_type: str, headers: Message) -> str:
    filename = headers.get_filename()
    name = PurePosixPath(unquote(filename or urlsplit(url).path)).name or "index"
    if not PurePosixPath(name).suffix and ACCEPTED_TYPES.get(content_type):
        name += "." + ACCEPTED_TYPES[content_type]
    return name


def fetch(
    url: str, *, max_bytes: int = MAX_FETCH_BYTES, timeout: float = FETCH_TIMEOUT_S
) -> Fetched:
    """GET ``url`` within the limits; the body, a file name for it and the final URL."""
    check_url(url)
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _opener().open(request, timeout=min(timeout, 10.0)) as response:
            content_type = response.headers.get_content_type()
            if content_type not in ACCEPTED_TYPES:
                raise IngestError(f"{url}: content type {content_type} is not a draft format")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise IngestError(f"{url}: {int(declared)} bytes is over the limit of {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise IngestError(f"{url}: download took longer than {timeout:g} s")
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(f"{url}: body is over the limit of {max_bytes} bytes")
                chunks.append(chunk)
            final = response.geturl()
            return Fetched(b"".join(chunks), _name(final, content_type, response.headers),
                           final, content_type)  # fmt: skip
    except urllib.error.HTTPError as exc:
        raise IngestError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise IngestError(f"{url}: cannot be fetched ({exc.reason})") from None
    except TimeoutError:
        raise IngestError(f"{url}: no answer within the time limit") from None
    except OSError as exc:
        raise IngestError(f"{url}: cannot be fetched ({exc})") from None
