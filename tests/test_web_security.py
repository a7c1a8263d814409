"""The viewer against hostile input and hostile requests (issues 5 and 7, "Web").

Markup injected through draft text, labels, outlet names, URLs, notes, annotations and file
names must stay inert text on every page, in the Atom feed and in the API; writes need CSRF
tokens (and the operator token beyond loopback); headers and limits hold on every route.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from drafttrack.service.lineages import keyed_clauses
from repo_store import Original, Provenance, Store
from repo_store.annotations import add_annotation
from tests.conftest import snapshot
from tests.web_support import SECRET, make_app, post_form, text
from web import ConfigError, create_app

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
JS_URL = "javascript:alert(3)"
TEMPLATE = "{{ 7*7 }}"
PAYLOAD = f"{SCRIPT} {IMG} [click]({JS_URL}) {TEMPLATE}"
DOC = "hostile"


def hostile_store(path: Path) -> Store:
    """A store whose every user-controlled field carries the payloads."""
    store = Store.init(path)
    text1 = (
        f"# Title {SCRIPT}\n\n1. First clause {IMG} with a [link]({JS_URL}).\n"
        f"2. Second clause {TEMPLATE} and <b>bold</b>.\n"
    )
    text2 = text1.replace("Second clause", "Second clause changed") + f"3. New {SCRIPT}.\n"
    store.add_version(
        DOC, text1, Provenance.of(
            label=f"v1 {SCRIPT}", outlet=f"Outlet {SCRIPT}", via=[f"Relay {IMG}"],
            url="https://example.org/?q=<script>", note=f"Note {PAYLOAD}", completeness="partial",
        ), title=f"Title {IMG}", original=Original(name=f"{IMG}.md"),
    )  # fmt: skip
    store.add_version(
        DOC, text2, Provenance.of(
            label=f"v2 {TEMPLATE}", outlet=f"Outlet2 {IMG}",
            url="https://example.org/x\"onmouseover=\"alert(4)", note=TEMPLATE,
        ),
    )  # fmt: skip
    # A URL no viewer should link: written by hand, as a clone from elsewhere could carry it.
    version = store.versions(DOC)[0]
    prov = dict(version.provenance, also_reported_by=[{"outlet": f"Also {SCRIPT}",
                "via": [], "url": JS_URL, "reported_on": None}])  # fmt: skip
    store.commit_files(
        {f"{DOC}/versions/{version.id}.json": json.dumps(prov).encode()}, "hand-edited"
    )
    return store


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Flask, Path]:
    path = tmp_path / "store"
    with hostile_store(path) as store:
        app = make_app(path)
        first = store.versions(DOC)[0]
        clause = keyed_clauses(store, first)[2]
        add_annotation(
            store, DOC, first, clause.to_json(), note=f"Annotation {PAYLOAD}",
            outlet=f"Annotator {IMG}", url=JS_URL.replace("javascript:", "https://x.org/"),
        )  # fmt: skip
    return app, path


def pages(client: FlaskClient) -> dict[str, str]:
    """Every page of the hostile document (HTML, feeds, API)."""
    ids = [v["id"] for v in client.get(f"/api/d/{DOC}/log").get_json()["versions"]]
    urls = [
        "/", f"/d/{DOC}", f"/d/{DOC}/v/{ids[0]}", f"/d/{DOC}/v/{ids[1]}",
        f"/d/{DOC}/compare/{ids[0]}/{ids[1]}", f"/d/{DOC}/compare/{ids[0]}/{ids[1]}?view=inline",
        f"/d/{DOC}/compare/{ids[0]}/{ids[1]}?changes=only", f"/d/{DOC}/trace?q=clause",
        f"/d/{DOC}/trace?q={SCRIPT}", f"/d/{DOC}/add", "/add", "/feed.atom", f"/d/{DOC}/feed.atom",
        f"/api/d/{DOC}/diff/{ids[0]}/{ids[1]}", f"/api/d/{DOC}/trace?q=clause", f"/api/d/{DOC}/log",
        "/api/docs", f"/d/{DOC}/v/{SCRIPT}", f"/d/{SCRIPT}",
    ]  # fmt: skip
    page = text(client.get(f"/d/{DOC}/v/{ids[0]}"))
    urls += sorted(set(re.findall(r'href="(/d/hostile/history/[^"]+)"', page)))[:3]
    urls += [f"/d/{DOC}/export/{ids[0]}/{ids[1]}.{fmt}" for fmt in ("json", "html", "md")]
    return {url: text(client.get(url)) for url in urls}


def test_payloads_are_inert_on_every_page(hostile: tuple[Flask, Path]) -> None:
    app, _ = hostile
    client = app.test_client()
    seen = pages(client)
    for url, body in seen.items():
        if url.startswith("/api/") or url.endswith(".json"):
            json.loads(body)  # well-formed JSON: the payload is a string value
            continue
        if url.endswith(".md"):
            continue  # a Markdown download (attachment), escaped by the formats' own tests
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        assert 'href="javascript:' not in body.lower(), url
        assert 'onmouseover="alert' not in body, url
        assert "clause 49" not in body and "changed 49" not in body and "v2 49" not in body, url
        assert "<b>bold</b>" not in body, url
    html_pages = {u: b for u, b in seen.items() if "/api/" not in u and ".json" not in u}
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in b for b in html_pages.values())
    assert any("{{ 7*7 }}" in b for b in html_pages.values()), "templates are not evaluated"
    version_page = seen[next(u for u in seen if u.startswith(f"/d/{DOC}/v/") and "%" not in u)]
    assert "Annotation &lt;script&gt;" in version_page or "Annotation &lt;script&gt;" in str(seen)
    assert "javascript:alert(3)" in version_page, "a javascript: URL is shown as text"
    assert 'class="source-url unlinked">javascript:alert(3)' in version_page


def test_atom_feed_stays_inert_after_parsing(hostile: tuple[Flask, Path]) -> None:
    client = hostile[0].test_client()
    for url in ("/feed.atom", f"/d/{DOC}/feed.atom"):
        root = ET.fromstring(client.get(url).data)
        for content in root.iter("{http://www.w3.org/2005/Atom}content"):
            html = content.text or ""
            # Decoded once by the feed reader, the HTML still carries the payload as text.
            assert "<script>" not in html and "<img src=x" not in html
            assert "&lt;script&gt;" in html
        titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any(SCRIPT in (t or "") for t in titles), "titles are plain text, escaped in XML"


def test_security_headers_on_every_route(hostile: tuple[Flask, Path]) -> None:
    client = hostile[0].test_client()
    for url in ["/", f"/d/{DOC}", "/feed.atom", "/api/docs", "/static/style.css", "/nowhere",
                f"/d/{DOC}/add"]:  # fmt: skip
        response = client.get(url)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'"):  # fmt: skip
            assert part in csp, (url, csp)
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers.get("Cache-Control"), url


class Tags(HTMLParser):
    """Start tags and their attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(body: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(body)
    return parser.tags


def test_no_inline_scripts_or_external_assets(hostile: tuple[Flask, Path]) -> None:
    client = hostile[0].test_client()
    for url, body in pages(client).items():
        if "/api/" in url or not body.lstrip().startswith("<!doctype"):
            continue
        found = tags(body)
        for tag, attrs in found:
            assert not [a for a in attrs if a.startswith("on")], (url, tag, attrs)
            assert "style" not in attrs, (url, tag)
            assert tag not in ("img", "iframe", "object", "embed", "b"), (url, tag)
            if tag == "script":
                assert (attrs.get("src") or "").startswith("/static/"), (url, attrs)
            if tag in ("script", "link") and attrs.get("href") or attrs.get("src"):
                assert (attrs.get("href") or attrs.get("src") or "").startswith("/"), (url, attrs)
            if tag == "a":
                assert not (attrs.get("href") or "").lower().startswith("javascript"), url
        assert not re.search(r"<script[^>]*>[^<]+</script>", body), url


def test_csrf_is_required_for_every_write(hostile: tuple[Flask, Path]) -> None:
    app, path = hostile
    client = app.test_client()
    before = snapshot(path)
    ids = [v["id"] for v in client.get(f"/api/d/{DOC}/log").get_json()["versions"]]
    writes = [
        (f"/d/{DOC}/add", {"text": "A new text."}),
        ("/add", {"doc": "other", "text": "A new text."}),
        (f"/d/{DOC}/v/{ids[0]}/annotations", {"clause": "x", "note": "n"}),
    ]
    for action, data in writes:
        assert client.post(action, data=data).status_code == 400, action
        bad = client.post(action, data={**data, "csrf_token": "forged"})
        assert bad.status_code == 400 and "security token" in text(bad)
    other = app.test_client()
    token = post_form.__globals__["csrf"](other, f"/d/{DOC}/add")
    stolen = client.post(f"/d/{DOC}/add", data={"text": "x", "csrf_token": token})
    assert stolen.status_code == 400, "a token is valid only with its own session"
    assert snapshot(path) == before


def test_session_cookie_flags(hostile: tuple[Flask, Path]) -> None:
    app = hostile[0]
    cookie = app.test_client().get(f"/d/{DOC}/add").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = app.test_client().get(f"/d/{DOC}/add", base_url="https://localhost")
    secure = https.headers["Set-Cookie"]
    assert "Secure" in secure


def test_read_only_beyond_loopback_without_token(hostile: tuple[Flask, Path]) -> None:
    _, path = hostile
    app = create_app(path, {"TESTING": True}, BIND_HOST="0.0.0.0")
    client = app.test_client()
    page = text(client.get(f"/d/{DOC}"))
    assert "Add a version" not in page and "read-only" in page
    assert client.get(f"/d/{DOC}/add").status_code == 200  # the page shows, the write does not
    assert client.post(f"/d/{DOC}/add", data={"text": "x"}).status_code == 403
    read_only = make_app(path, READ_ONLY=True).test_client()
    assert read_only.post("/add", data={"text": "x"}).status_code == 403


def test_operator_token_beyond_loopback(hostile: tuple[Flask, Path]) -> None:
    _, path = hostile
    app = create_app(
        path, {"TESTING": True, "SECRET_KEY": SECRET}, BIND_HOST="10.0.0.5", WRITE_TOKEN="s3cret"
    )
    client = app.test_client()
    form = text(client.get(f"/d/{DOC}/add"))
    assert 'name="write_token"' in form
    data = {"text": "1. Added with the token.\n", "label": "by token"}
    refused = post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", dict(data, write_token="no"))
    assert refused.status_code == 403
    ok = post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", dict(data, write_token="s3cret"))
    assert ok.status_code == 303
    labels = [v["label"] for v in client.get(f"/api/d/{DOC}/log").get_json()["versions"]]
    assert "by token" in labels


def test_refuses_unsafe_configurations(tmp_path: Path) -> None:
    path = tmp_path / "store"
    Store.init(path).close()
    with pytest.raises(ConfigError, match="debug"):
        create_app(path, {"DEBUG": True, "SECRET_KEY": SECRET}, BIND_HOST="0.0.0.0")
    with pytest.raises(ConfigError, match="secret key"):
        create_app(path, {"SECRET_KEY": None})
    with pytest.raises(ConfigError, match="secret key"):
        create_app(path, {"SECRET_KEY": None}, BIND_HOST="0.0.0.0", WRITE_TOKEN="t")
    assert create_app(path, {"SECRET_KEY": None}, BIND_HOST="0.0.0.0").config["BIND_HOST"]


def test_serve_refuses_writes_without_secret_off_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import run_process

    path = tmp_path / "store"
    Store.init(path).close()
    env = {"DRAFTTRACK_WRITE_TOKEN": "t", "DRAFTTRACK_SECRET_KEY": ""}
    result = run_process("--store", path, "serve", "--host", "0.0.0.0", "--port", "1", env=env)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: ") and "secret key" in result.stderr.decode()


def test_limits(hostile: tuple[Flask, Path]) -> None:
    app, path = hostile
    before = snapshot(path)
    app.config.update(MAX_CONTENT_LENGTH=1000, MAX_FORM_MEMORY_SIZE=500, MAX_FORM_PARTS=5)
    client = app.test_client()
    big_file = {"file": (io.BytesIO(b"x" * 5000), "big.md")}
    assert post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", big_file,
                     content_type="multipart/form-data").status_code == 413  # fmt: skip
    # A form field over MAX_FORM_MEMORY_SIZE (Werkzeug ≥ 3.1.9 applies it to multipart fields;
    # a url-encoded body is bounded by MAX_CONTENT_LENGTH).
    assert post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", {"text": "y" * 800},
                     content_type="multipart/form-data").status_code == 413  # fmt: skip
    assert post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add",
                     {"text": "y" * 1200}).status_code == 413  # fmt: skip
    parts = {f"f{i}": "v" for i in range(10)}
    assert post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", parts,
                     content_type="multipart/form-data").status_code == 413  # fmt: skip
    # an overlong phrase is refused, as the API refuses it (one limit: service.limits)
    assert client.get(f"/d/{DOC}/trace?q=" + "w " * 2000).status_code == 400
    assert snapshot(path) == before
    defaults = create_app(path, {"SECRET_KEY": SECRET}).config
    assert defaults["MAX_CONTENT_LENGTH"] and defaults["MAX_FORM_MEMORY_SIZE"]
    assert defaults["MAX_FORM_PARTS"]


def test_export_names_are_safe(hostile: tuple[Flask, Path]) -> None:
    client = hostile[0].test_client()
    ids = [v["id"] for v in client.get(f"/api/d/{DOC}/log").get_json()["versions"]]
    response = client.get(f"/d/{DOC}/export/{ids[0]}/{ids[1]}.html")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{DOC}-{ids[0]}-{ids[1]}.html"'
    )
    assert client.get(f"/d/{DOC}/export/..%2f..%2fetc/{ids[1]}.json").status_code == 404


def test_hostile_upload_through_the_form_is_inert(hostile: tuple[Flask, Path]) -> None:
    client = hostile[0].test_client()
    data = {
        "file": (io.BytesIO(f"1. Uploaded {SCRIPT} text {TEMPLATE}.\n".encode()), f"{IMG}.md"),
        "label": f"form {IMG}",
        "outlet": "<svg onload=alert(5)>",
        "via": f"{SCRIPT}\n{TEMPLATE}",
        "note": PAYLOAD,
    }
    response = post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", data,
                         content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 303, text(response)
    for url in (response.headers["Location"], f"/d/{DOC}", f"/d/{DOC}/feed.atom"):
        body = text(client.get(url))
        assert f"{IMG}.md" not in body and "<svg onload" not in body and SCRIPT not in body
        if "feed" not in url:
            assert not [t for t, a in tags(body) if t in ("img", "svg") and "onload" in a]
            assert "&lt;img src=x onerror=" in body
