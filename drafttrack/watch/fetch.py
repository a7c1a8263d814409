"""Fetching a watched URL politely: conditional requests, bounded redirects, size and time,
robots.txt, one request per host at a time with a minimum gap, ``Retry-After`` and per-host
exponential backoff with jitter.

Everything time-related goes through an injectable :class:`~drafttrack.watch.clock.Clock`, and
randomness through an injectable ``random.Random``, so schedules are tested without sleeping.
"""

from __future__ import annotations

import hashlib
import random
import threading
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from drafttrack import __version__
from drafttrack.watch.clock import Clock, RealClock, iso_utc

MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 10
TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=30.0)
USER_AGENT = f"drafttrack/{__version__} (+policy draft watcher)"
ROBOTS_AGENT = "drafttrack"
MIN_HOST_GAP_S = 1.0
BACKOFF_BASE_S = 60.0
BACKOFF_CAP_S = 6 * 3600.0
BACKOFF_JITTER = 0.1
MAX_WAIT_S = 30.0
"""Longest a fetch waits for its host's gap; a host blocked for longer is deferred."""
RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last capture said about itself, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Fetched:
    """One fetch: what was asked, where it ended, what came back (or why nothing did).

    ``error`` is None for any HTTP answer (a 404 included); otherwise one of ``scheme``,
    ``robots``, ``deferred``, ``timeout``, ``network``, ``too-large``, ``redirects``."""

    requested_url: str
    final_url: str
    fetched_at: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    error: str | None = None
    detail: str = ""
    robots_overridden: bool = False
    retry_at: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be fetched (not absolute http/https, control characters), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{url}: only http and https URLs can be watched"
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return f"{url!r}: URL contains spaces or control characters"
    return None


def host_of(url: str) -> str:
    """The host (with its port) that politeness is counted per."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from ``now``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(slots=True)
class HostState:
    """Politeness per host: when the next request may go, how many failures in a row."""

    next_allowed: float = 0.0
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """Fetches URLs with one ``httpx.Client``; thread-safe per host (one request in flight)."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        client: httpx.Client | None = None,
        min_gap_s: float = MIN_HOST_GAP_S,
        backoff_base_s: float = BACKOFF_BASE_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
        max_wait_s: float = MAX_WAIT_S,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.clock = clock or RealClock()
        self.rng = rng or random.Random()
        self.client = client or httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )
        self.min_gap_s = min_gap_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.max_wait_s = max_wait_s
        self.max_body = max_body
        self.hosts: dict[str, HostState] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def host(self, url: str) -> HostState:
        with self._guard:
            return self.hosts.setdefault(host_of(url), HostState())

    def backoff_delay(self, failures: int) -> float:
        """Seconds to leave a host alone after ``failures`` in a row: base ×2 each, capped,
        ±10 % jitter."""
        delay = min(self.backoff_cap_s, self.backoff_base_s * 2 ** max(0, failures - 1))
        return float(delay * (1 + self.rng.uniform(-BACKOFF_JITTER, BACKOFF_JITTER)))

    def fetch(
        self, url: str, validators: Validators | None = None, *, obey_robots: bool = True
    ) -> Fetched:
        """Fetch ``url`` (conditionally when ``validators`` are given), following up to ten
        redirects, each hop checked (scheme, robots) and recorded."""
        fetched = Fetched(url, url, iso_utc(self.clock.now()))
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            why = check_url(current)
            if why:
                fetched.error, fetched.detail = "scheme", why
                return fetched
            if not self._robots_allow(current):
                if obey_robots:
                    fetched.error, fetched.detail = "robots", f"{current}: disallowed by robots.txt"
                    return fetched
                fetched.robots_overridden = True
            if not self._request(current, validators, fetched):
                return fetched
            fetched.final_url = current
            status = fetched.status or 0
            location = fetched.headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                fetched.redirects.append(current)
                continue
            return fetched
        fetched.error, fetched.detail = "redirects", f"{url}: more than {MAX_REDIRECTS} redirects"
        return fetched

    def _request(self, url: str, validators: Validators | None, fetched: Fetched) -> bool:
        """One polite GET into ``fetched``; False when it did not give an HTTP answer."""
        state = self.host(url)
        with state.lock:
            wait = state.next_allowed - self.clock.now()
            if wait > self.max_wait_s:
                fetched.error, fetched.retry_at = "deferred", state.next_allowed
                fetched.detail = f"{host_of(url)}: backing off for {wait:.0f} s"
                return False
            self.clock.sleep(wait)
            headers = {}
            if validators and validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators and validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
            fetched.fetched_at = iso_utc(self.clock.now())
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    fetched.status = response.status_code
                    fetched.headers = {k.lower(): v for k, v in response.headers.items()}
                    fetched.body = b""
                    if not (300 <= response.status_code < 400 or response.status_code == 304):
                        fetched.body = self._read_capped(response, fetched)
            except httpx.TimeoutException as exc:
                fetched.error, fetched.detail = "timeout", f"{url}: timed out ({exc})"
            except httpx.InvalidURL as exc:  # e.g. a redirect to data: or a malformed URL
                fetched.error, fetched.detail = "scheme", f"{url}: {exc}"
            except httpx.HTTPError as exc:
                fetched.error, fetched.detail = "network", f"{url}: {exc}"
            self._after(state, fetched)
            return fetched.error is None

    def _read_capped(self, response: httpx.Response, fetched: Fetched) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            fetched.error = "too-large"
            fetched.detail = f"{response.url}: body of {declared} bytes is over the cap"
            return b""
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_body:
                fetched.error = "too-large"
                fetched.detail = f"{response.url}: body over {self.max_body} bytes"
                return b""
            chunks.append(chunk)
        return b"".join(chunks)

    def _after(self, state: HostState, fetched: Fetched) -> None:
        """Set the host's next allowed time: the gap, ``Retry-After``, or backoff."""
        now = self.clock.now()
        retry_after = retry_after_seconds(fetched.headers.get("retry-after"), now)
        failed = fetched.error in ("timeout", "network") or (fetched.status or 0) in RETRYABLE
        if failed:
            state.failures += 1
            delay = self.backoff_delay(state.failures) if retry_after is None else retry_after
            state.next_allowed = now + max(delay, self.min_gap_s)
            fetched.retry_at = state.next_allowed
        else:
            state.failures = 0
            state.next_allowed = now + self.min_gap_s

    def _robots_allow(self, url: str) -> bool:
        host = host_of(url)
        parser = self._robots.get(host)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            probe = Fetched(host + "/robots.txt", host + "/robots.txt", "")
            answered = self._request(host + "/robots.txt", None, probe)
            status = probe.status or 0
            if answered and 200 <= status < 300:
                parser.parse(probe.body.decode("utf-8", "replace").splitlines())
            elif status in (401, 403):
                parser.disallow_all = True  # type: ignore[attr-defined]  # not in the stubs
            elif answered and 400 <= status < 500 or answered and 300 <= status < 400:
                parser.allow_all = True  # type: ignore[attr-defined]  # not in the stubs
            else:
                return False  # robots.txt unreachable (5xx, network): ask again next time
            self._robots[host] = parser
        return parser.can_fetch(ROBOTS_AGENT, url)
