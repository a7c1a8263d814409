"""Fetching for watches against a real loopback server, time on a fake clock: conditional
requests, redirects, size cap, robots.txt, per-host gap, Retry-After and backoff."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import httpx
import pytest

from drafttrack.watch.clock import FakeClock
from drafttrack.watch.fetch import Fetcher, Validators
from tests.watch_server import Answer, Site, conditional, serving

PAGE = ("<html><body><h1>Policy</h1>" + "<p>Article 1. Members shall report.</p>" * 20).encode()


@pytest.fixture
def site() -> Iterator[Site]:
    with serving(Site()) as s:
        s.set("/robots.txt", b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
        yield s


_OPEN: list[Fetcher] = []


@pytest.fixture(autouse=True)
def _close_fetchers() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def fetcher(**kw: object) -> Fetcher:
    kw.setdefault("clock", FakeClock())
    kw.setdefault("rng", random.Random(7))
    made = Fetcher(**kw)  # type: ignore[arg-type]
    _OPEN.append(made)
    return made


def test_validators_make_conditional_requests_answered_by_empty_304s(site: Site) -> None:
    site.set("/page", conditional(PAGE, '"v1"'))
    f = fetcher(min_gap_s=0)
    first = f.fetch(site.url("/page"))
    assert first.ok and first.body == PAGE and first.validators.etag == '"v1"'
    answers = [f.fetch(site.url("/page"), first.validators) for _ in range(99)]
    assert all(a.status == 304 and a.body == b"" and a.not_modified for a in answers)
    conditional_requests = [s for s in site.requests_to("/page") if "if-none-match" in s.headers]
    assert len(site.requests_to("/page")) == 100 and len(conditional_requests) == 99


def test_if_modified_since_is_sent_from_last_modified(site: Site) -> None:
    site.set("/page", PAGE)
    fetcher(min_gap_s=0).fetch(site.url("/page"), Validators(None, "Wed, 02 Dec 2026 10:00:00 GMT"))
    (seen,) = site.requests_to("/page")
    assert seen.headers["if-modified-since"] == "Wed, 02 Dec 2026 10:00:00 GMT"
    assert "if-none-match" not in seen.headers


def test_redirects_are_followed_and_every_hop_recorded(site: Site) -> None:
    for i in range(3):
        site.set(f"/r{i}", Answer(302, b"", {"Location": f"/r{i + 1}"}))
    site.set("/r3", PAGE)
    got = fetcher(min_gap_s=0).fetch(site.url("/r0"))
    assert got.ok and got.final_url == site.url("/r3")
    assert got.redirects == [site.url(f"/r{i}") for i in (1, 2, 3)]


def test_more_than_ten_redirects_is_an_error(site: Site) -> None:
    for i in range(12):
        site.set(f"/r{i}", Answer(301, b"", {"Location": f"/r{i + 1}"}))
    got = fetcher(min_gap_s=0).fetch(site.url("/r0"))
    assert got.error == "redirects" and len(got.redirects) == 11


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x", "file:///etc/passwd", "data:,x"])
def test_a_redirect_off_http_is_refused(site: Site, target: str) -> None:
    site.set("/away", Answer(302, b"", {"Location": target}))
    got = fetcher(min_gap_s=0).fetch(site.url("/away"))
    assert got.error == "scheme" and not got.body


def test_body_over_the_cap_is_dropped(site: Site) -> None:
    site.set("/big", b"<p>" + b"x" * 5000 + b"</p>")
    got = fetcher(min_gap_s=0, max_body=4096).fetch(site.url("/big"))
    assert got.error == "too-large" and got.body == b""


def test_robots_txt_is_obeyed_and_an_override_is_recorded(site: Site) -> None:
    site.set("/private/page", PAGE)
    f = fetcher(min_gap_s=0)
    refused = f.fetch(site.url("/private/page"))
    assert refused.error == "robots" and not site.requests_to("/private/page")
    forced = f.fetch(site.url("/private/page"), obey_robots=False)
    assert forced.ok and forced.robots_overridden
    assert len(site.requests_to("/robots.txt")) == 1  # robots.txt is read once per host


def test_missing_robots_txt_allows_everything(site: Site) -> None:
    del site.routes["/robots.txt"]
    site.set("/private/page", PAGE)
    assert fetcher(min_gap_s=0).fetch(site.url("/private/page")).ok


def test_minimum_gap_per_host_on_the_fake_clock(site: Site) -> None:
    site.set("/a", PAGE)
    clock = FakeClock()
    f = fetcher(clock=clock, min_gap_s=5.0)
    f.fetch(site.url("/a"))  # robots.txt then /a: one gap slept between them
    f.fetch(site.url("/a"))
    assert clock.sleeps == [5.0, 5.0]
    other = site.url("/a").replace("127.0.0.1", "localhost")
    f.fetch(other)  # another host: its robots.txt waits for nobody
    assert clock.sleeps == [5.0, 5.0, 5.0]  # only /a after localhost's robots.txt


def test_retry_after_is_honoured(site: Site) -> None:
    calls = {"n": 0}

    def busy(seen: object) -> Answer:
        calls["n"] += 1
        if calls["n"] == 1:
            return Answer(503, b"busy", {"Retry-After": "120"})
        return Answer(200, PAGE, {"Content-Type": "text/html"})

    site.set("/busy", busy)
    clock = FakeClock()
    f = fetcher(clock=clock, min_gap_s=1.0)
    first = f.fetch(site.url("/busy"))
    assert first.status == 503 and first.retry_at == pytest.approx(clock.now() + 120)
    deferred = f.fetch(site.url("/busy"))
    assert deferred.error == "deferred" and calls["n"] == 1
    clock.advance(119.5)
    assert f.fetch(site.url("/busy")).ok  # half a second left: waited, not deferred
    assert clock.sleeps[-1] == pytest.approx(0.5)


def test_retry_after_as_an_http_date(site: Site) -> None:
    clock = FakeClock()
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(clock.now() + 600))
    site.set("/busy", Answer(429, b"slow down", {"Retry-After": when}))
    got = fetcher(clock=clock).fetch(site.url("/busy"))
    assert got.retry_at == pytest.approx(clock.now() + 600, abs=1)


def test_backoff_doubles_with_jitter_is_capped_and_resets_on_success(site: Site) -> None:
    state = {"fail": True}
    site.set("/flaky", lambda s: Answer(500, b"oops") if state["fail"] else Answer(200, PAGE))
    clock = FakeClock()
    f = fetcher(clock=clock, min_gap_s=0, backoff_base_s=60, backoff_cap_s=600, max_wait_s=0)
    delays = []
    for _ in range(7):
        got = f.fetch(site.url("/flaky"))
        assert got.status == 500
        delays.append(got.retry_at - clock.now())
        assert f.fetch(site.url("/flaky")).error == "deferred"
        clock.advance(delays[-1])
    for i, expected in enumerate([60, 120, 240, 480, 600, 600, 600]):
        assert expected * 0.9 <= delays[i] <= expected * 1.1
    assert len(set(delays)) == len(delays)  # jittered
    state["fail"] = False
    assert f.fetch(site.url("/flaky")).ok and f.host(site.url("/flaky")).failures == 0


def test_a_timeout_counts_as_a_failure_for_backoff(site: Site) -> None:
    def slow(seen: object) -> Answer:
        time.sleep(0.6)
        return Answer(200, PAGE)

    site.set("/slow", slow)
    client = httpx.Client(timeout=httpx.Timeout(0.2), follow_redirects=False)
    f = fetcher(client=client, min_gap_s=0)
    got = f.fetch(site.url("/slow"))
    assert got.error == "timeout" and f.host(site.url("/slow")).failures == 1
    assert got.retry_at is not None and got.retry_at > f.clock.now()
