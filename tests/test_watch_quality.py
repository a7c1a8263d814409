"""No false versions, judged on real fetches from a loopback server: failures (errors, block
pages, walls, bad files) are refused; page noise leaves the text unchanged; a page flipping
A/B/A/B gives two texts, then reverts."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from drafttrack.watch.capture import Decision, judge
from drafttrack.watch.clock import FakeClock
from drafttrack.watch.extract import Rules, extract
from drafttrack.watch.fetch import Fetcher
from tests.watch_server import Answer, Site, serving

ARTICLES = [
    "Article 1. The Parties shall notify the Secretariat of every measure taken.",
    "Article 2. Each Party shall report annually on the implementation of this Agreement.",
    "Article 3. The Committee may adopt guidelines by a two-thirds majority.",
    "Article 4. This Agreement enters into force on the thirtieth day after ratification.",
]
BODY = "".join(f"<p>{a}</p>" for a in ARTICLES)


def page(extra: str = "", body: str = BODY, head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Agreement</title>{head}</head>"
        f"<body><main id='main'><h1>Agreement on Reporting</h1>{body}</main>{extra}</body></html>"
    ).encode()


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serving(Site()) as s:
        s.set("/robots.txt", b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(clock=FakeClock(), rng=random.Random(1), min_gap_s=0, max_body=200_000) as f:
        yield f


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def redirect_to(target: str) -> Callable[[Site, str], None]:
    def setup(site: Site, path: str) -> None:
        site.set(path, Answer(302, b"", {"Location": target}))
        site.set(target.split("?")[0], page())

    return setup


@dataclass(frozen=True)
class Failure:
    name: str
    answer: Answer | None = None
    setup: Callable[[Site, str], None] | None = None
    rules: Rules = field(default_factory=Rules)
    previous: str | None = None
    reason: str = ""


LONG_TEXT = "\n\n".join(ARTICLES * 3) + "\n"
CHALLENGE = page(body="<p>Checking your browser before accessing the site. Just a moment...</p>")
FAILURES = [
    Failure("http-500", Answer(500, page(), HTML), reason="status"),
    Failure("http-502", Answer(502, b"bad gateway" * 10), reason="status"),
    Failure("http-503", Answer(503, page(), HTML), reason="status"),
    Failure("http-504", Answer(504, b"timeout" * 20), reason="status"),
    Failure("http-429", Answer(429, page(), {"Retry-After": "60", **HTML}), reason="status"),
    Failure("http-404", Answer(404, page(), HTML), reason="gone"),
    Failure("http-410", Answer(410, b"gone" * 30), reason="gone"),
    Failure("http-401", Answer(401, page(), HTML), reason="status"),
    Failure("http-400", Answer(400, page(), HTML), reason="status"),
    Failure("http-451", Answer(451, page(), HTML), reason="status"),
    Failure("empty-body", Answer(200, b"", HTML), reason="empty"),
    Failure("whitespace-body", Answer(200, b" \n\t " * 40, HTML), reason="empty"),
    Failure("near-empty-html", Answer(200, b"<html><body></body></html>", HTML), reason="empty"),
    Failure(
        "cloudflare-cf-mitigated",
        Answer(403, page() * 3, {"cf-mitigated": "challenge", **HTML}),
        reason="blocked",
    ),
    Failure(
        "cloudflare-cf-mitigated-200",
        Answer(200, page(), {"cf-mitigated": "challenge", **HTML}),
        reason="blocked",
    ),
    Failure(
        "aws-waf-captcha",
        Answer(202, page(), {"x-amzn-waf-action": "captcha", **HTML}),
        reason="blocked",
    ),
    Failure(
        "akamai-short-403",
        Answer(403, b"<HTML><H1>Access Denied</H1>Reference #18.2f3b</HTML>", HTML),
        reason="blocked",
    ),
    Failure(
        "cloudflare-503",
        Answer(503, page() * 4, {"Server": "cloudflare", **HTML}),
        reason="blocked",
    ),
    Failure("redirect-captcha", setup=redirect_to("/captcha?from=page"), reason="blocked"),
    Failure("redirect-unblock", setup=redirect_to("/unblock"), reason="blocked"),
    Failure(
        "redirect-cdn-cgi", setup=redirect_to("/cdn-cgi/challenge-platform/h"), reason="blocked"
    ),
    Failure("redirect-login", setup=redirect_to("/login?next=/page"), reason="login-wall"),
    Failure("redirect-sso", setup=redirect_to("/sso/start"), reason="login-wall"),
    Failure("challenge-text", Answer(200, CHALLENGE, HTML), reason="blocked"),
    Failure(
        "verify-human",
        Answer(200, page(body="<p>Please verify you are a human to continue.</p>" * 3), HTML),
        reason="blocked",
    ),
    Failure(
        "login-wall",
        Answer(200, page(body="<p>Please log in to continue reading this document.</p>"), HTML),
        reason="login-wall",
    ),
    Failure(
        "password-form",
        Answer(200, page(body="<form><input name=u><input type='password' name=p></form>"), HTML),
        reason="login-wall",
    ),
    Failure(
        "cookie-wall",
        Answer(200, page(body="<p>Accept cookies to continue to the document.</p>" * 2), HTML),
        reason="login-wall",
    ),
    Failure(
        "selector-nothing",
        Answer(200, page(), HTML),
        rules=Rules(select=("#law",)),
        reason="selector",
    ),
    Failure(
        "selector-removed-all",
        Answer(200, page(), HTML),
        rules=Rules(select=("main",), remove=("p", "h1")),
        reason="too-short",
    ),
    Failure(
        "too-short-text",
        Answer(200, page(body="<p>Reserved.</p>", extra="<!-- " + "x" * 200 + " -->"), HTML),
        reason="too-short",
    ),
    Failure("shrunk-by-half", Answer(200, page(), HTML), previous=LONG_TEXT, reason="shrunk"),
    Failure(
        "pdf-no-text-layer",
        Answer(200, blank_pdf(), {"Content-Type": "application/pdf"}),
        reason="no-text-layer",
    ),
    Failure(
        "corrupt-pdf",
        Answer(200, b"%PDF-1.7\n" + b"\x00garbage" * 50, {"Content-Type": "application/pdf"}),
        reason="unreadable",
    ),
    Failure(
        "corrupt-docx",
        Answer(200, b"PK\x03\x04" + b"\x01broken zip" * 40, {"Content-Type": "application/zip"}),
        reason="unreadable",
    ),
    Failure(
        "latin1-declared-utf8",
        Answer(
            200,
            page(body="<p>Die Maßnahmen für Änderungen über alles.</p>" * 4)
            .decode("utf-8")
            .encode("latin-1"),
            HTML,
        ),
        reason="charset",
    ),
    Failure(
        "double-encoded-utf8",
        Answer(
            200,
            page(body="<p>Die Maßnahmen für Änderungen über Übereinkünfte.</p>" * 4)
            .decode("utf-8")
            .encode("utf-8")
            .decode("latin-1")
            .encode("utf-8"),
            HTML,
        ),
        reason="charset",
    ),
    Failure(
        "unknown-charset",
        Answer(200, page(), {"Content-Type": "text/html; charset=x-klingon"}),
        reason="charset",
    ),
    Failure("too-large", Answer(200, page() * 1000, HTML), reason="too-large"),
    Failure("robots-disallowed", Answer(200, page(), HTML), reason="robots"),
    Failure(
        "redirect-loop",
        setup=lambda s, p: s.set(p, Answer(302, b"", {"Location": p})),
        reason="redirects",
    ),
    Failure(
        "redirect-ftp",
        setup=lambda s, p: s.set(p, Answer(302, b"", {"Location": "ftp://127.0.0.1/x"})),
        reason="scheme",
    ),
]


def test_the_failure_table_is_large_enough() -> None:
    assert len(FAILURES) >= 30 and len({f.name for f in FAILURES}) == len(FAILURES)


@pytest.mark.parametrize("case", FAILURES, ids=lambda f: f.name)
def test_failures_are_refused(site: Site, fetcher: Fetcher, case: Failure) -> None:
    path = ("/private/" if case.name.startswith("robots") else "/f/") + case.name
    if case.setup:
        case.setup(site, path)
    else:
        assert case.answer is not None
        site.set(path, case.answer)
    history = [("v1", case.previous)] if case.previous else []
    got = judge(fetcher.fetch(site.url(path)), case.rules, history)
    assert got.outcome == "refused", got
    assert got.reason == case.reason, got


def test_watch_accept_lets_a_shrunk_text_through(site: Site, fetcher: Fetcher) -> None:
    site.set("/accept", page())
    fetched = fetcher.fetch(site.url("/accept"))
    assert judge(fetched, Rules(), [("v1", LONG_TEXT)]).reason == "shrunk"
    assert judge(fetched, Rules(), [("v1", LONG_TEXT)], accepted=True).outcome == "new"


@dataclass(frozen=True)
class Noise:
    name: str
    make: Callable[[int], bytes]
    rules: Rules = field(default_factory=Rules)


NOISES = [
    Noise("relative-updated", lambda i: page(f"<p>Updated {i + 2} minutes ago</p>")),
    Noise("last-updated-stamp", lambda i: page(f"<p>Last updated: 2026-12-0{i + 1} 10:1{i}</p>")),
    Noise("page-generated-in", lambda i: page(f"<p>Page generated in 0.{i}3 s</p>")),
    Noise("view-counter", lambda i: page(f"<p>{12345 + i * 17} views</p>")),
    Noise("visitor-number", lambda i: page(f"<p>You are visitor number {9000 + i}</p>")),
    Noise("german-stand", lambda i: page(f"<p>Stand: 0{i + 1}.12.2026, 1{i}:05 Uhr</p>")),
    Noise("german-vor-minuten", lambda i: page(f"<p>Zuletzt aktualisiert vor {i + 3} Minuten</p>")),
    Noise("french-mis-a-jour", lambda i: page(f"<p>Mis à jour il y a {i + 4} minutes</p>")),
    Noise("ukrainian-onovleno", lambda i: page(f"<p>Оновлено {i + 5} хвилин тому</p>")),
    Noise(
        "rotating-query-params",
        lambda i: page(f"<p><a href='/next?utm_source=x{i}&sid={i * 7919}'>Annex</a></p>"),
    ),
    Noise(
        "csrf-hidden-input", lambda i: page(f"<form><input type=hidden value='tok{i}a9'></form>")
    ),
    Noise("csrf-meta", lambda i: page(head=f"<meta name='csrf-token' content='n{i}x{i * 31}'>")),
    Noise("script-nonce", lambda i: page(f"<script nonce='r{i}'>var t={i};</script>")),
    Noise("ad-slot", lambda i: page(f"<div class='ad-slot'>Buy product number {i} now!</div>")),
    Noise("adsbygoogle", lambda i: page(f"<ins class='adsbygoogle'>Sponsored {i}</ins>")),
    Noise("ad-iframe", lambda i: page(f"<iframe src='/ad?{i}'>Ad {i}</iframe>")),
    Noise("sponsor-box", lambda i: page(f"<aside class='sponsor'>Partner offer {i}</aside>")),
    Noise("style-change", lambda i: page(head=f"<style>p {{ color: #{i}{i}{i}; }}</style>")),
    Noise("whitespace-reflow", lambda i: page().replace(b"<p>", b"<p>" + b"\n  " * i)),
    Noise("rotating-class-names", lambda i: page().replace(b"<p>", f"<p class='c{i}x'>".encode())),
    Noise("html-comment-stamp", lambda i: page(f"<!-- built 2026-12-0{i + 1}T10:00 -->")),
    Noise("request-id", lambda i: page(f"<p>Request ID: {i:08x}-4f1a-9c2e-77aa</p>")),
    Noise("hidden-tracking", lambda i: page(f"<div aria-hidden='true'>px{i}</div>")),
    Noise(
        "ignore-regex",
        lambda i: page(f"<p>Visitors today: {300 + i}</p>"),
        Rules(ignore=(r"Visitors today: \d+",)),
    ),
    Noise(
        "outside-the-selector",
        lambda i: page(f"<div id='news'>Breaking story {i} of the day, read more</div>"),
        Rules(select=("main",)),
    ),
]


def test_the_noise_table_is_large_enough() -> None:
    assert len(NOISES) >= 20 and len({n.name for n in NOISES}) == len(NOISES)


@pytest.mark.parametrize("case", NOISES, ids=lambda n: n.name)
def test_noise_makes_no_new_text(site: Site, fetcher: Fetcher, case: Noise) -> None:
    path = "/n/" + case.name
    site.set(path, case.make(0))
    first = judge(fetcher.fetch(site.url(path)), case.rules, [])
    assert first.outcome == "new" and first.extracted is not None
    assert all(a.split(". ", 1)[1] in first.extracted.text for a in ARTICLES)
    history = [("v1", first.extracted.text)]
    for i in (1, 2, 3):
        site.set(path, case.make(i))
        again = judge(fetcher.fetch(site.url(path)), case.rules, history)
        assert again.outcome == "unchanged" and again.version == "v1", again


def test_identical_raw_body_skips_extraction(site: Site, fetcher: Fetcher) -> None:
    site.set("/same", page())
    fetched = fetcher.fetch(site.url("/same"))
    got = judge(fetched, Rules(), [("v1", "whatever")], last_raw_sha256=fetched.sha256)
    assert got == Decision("unchanged", version="v1")


def test_flipping_page_gives_two_texts_then_reverts(site: Site, fetcher: Fetcher) -> None:
    a, b = page(), page(body=BODY.replace("shall report", "may report"))
    history: list[tuple[str, str]] = []
    texts = 0
    outcomes = []
    for n, body in enumerate([a, b, a, b, a, b]):
        site.set("/flip", body)
        got = judge(fetcher.fetch(site.url("/flip")), Rules(), history)
        outcomes.append((got.outcome, got.version))
        if got.outcome == "new":
            texts += 1
            assert got.extracted is not None
            history.append((f"v{n}", got.extracted.text))
        elif got.outcome == "reverted":
            current = next(h for h in history if h[0] == got.version)
            history = [h for h in history if h[0] != got.version] + [current]
    assert texts == 2
    assert outcomes[2:] == [("reverted", "v0"), ("reverted", "v1")] * 2


def test_extraction_reads_the_selected_part_only() -> None:
    body = page("<div id='sidebar'>Related: other agreements and many more links here.</div>")
    text = extract(body, "text/html; charset=utf-8", Rules(select=("main",))).text
    assert "Related" not in text and "Article 4" in text
    text = extract(body, "text/html", Rules(remove=("#sidebar",))).text
    assert "Related" not in text and "Article 1" in text
