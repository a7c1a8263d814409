"""The viewer in a real browser: Debian's Chromium driven by Playwright against `drafttrack serve`.

Skipped with a reason where /usr/bin/chromium is absent, except under CI (the variable ``CI``
set), where a missing browser fails the run: CI must really run these.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from drafttrack.service.demo import build_demo_store
from tests.conftest import DEMO, REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = REPO_ROOT / "test-artifacts"
DOC = "paris-declaration"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is absent (apt-get install chromium); browser tests skipped",
        allow_module_level=True,
    )

try:
    from playwright import sync_api
except ImportError:
    if os.environ.get("CI"):
        pytest.fail("playwright is not installed: CI must run the browser tests", pytrace=False)
    pytest.skip("playwright is not installed (pip install -e '.[test]')", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(store: Path) -> Iterator[str]:
    """``drafttrack serve`` over STORE on a free loopback port, in a child process whose log goes
    to a file beside the store (never a pipe nobody reads); yields the base URL."""
    port = free_port()
    env = {**os.environ, "DRAFTTRACK_SECRET_KEY": "browser-test-secret"}
    log = store.parent / f"serve-{port}.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "drafttrack", "--store", str(store), "serve", "--port",
             str(port)],
            stdout=subprocess.DEVNULL, stderr=err, env=env,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(log.read_text("utf-8", "replace")) from None
                time.sleep(0.1)
        else:
            raise RuntimeError(f"drafttrack serve did not start: {log.read_text('utf-8')}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`drafttrack serve` on a free loopback port over a fresh demo store."""
    store = tmp_path_factory.mktemp("browser") / "store"
    build_demo_store(store).close()
    with serving(store) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # CSP violations ("Refused to execute inline script …") are console errors.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"errors in the browser console: {errors}"


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_compare_inline_and_keyboard(server: str, page: object) -> None:
    page.goto(f"{server}/d/{DOC}")
    page.select_option("#pick-old", label="2. Earlier draft")
    page.select_option("#pick-new", label="3. Summit text")
    page.click("form.picker button[type=submit]")
    page.wait_for_selector("table.sbs")
    assert "/compare/" in page.url and "Earlier" not in page.url, "compare URLs use ids"
    removed = page.locator("tr.kind-removed", has_text="commits to support the force")
    assert removed.count() == 1
    assert "The United States commits to support the force" in removed.locator("del").inner_text()
    added = page.locator("tr.kind-added", has_text="joint coordination group")
    assert added.locator("ins").inner_text().startswith("A joint coordination group")
    assert page.locator(".partial-banner").first.is_visible()
    shot(page, "compare-side-by-side")

    page.keyboard.press("j")
    assert page.url.endswith("#change-1")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.url.endswith("#change-1")

    page.click("#editorial-toggle")
    assert "hide-editorial" in (page.get_attribute("body", "class") or "")
    editorial = page.locator("tr.editorial")
    if editorial.count():
        assert not editorial.first.is_visible()

    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible(), "the print stylesheet hides navigation"
    assert page.locator("tr.kind-removed del").first.is_visible()
    page.emulate_media(media="screen")

    page.click("#view-inline")
    page.wait_for_selector("section.redline")
    assert "view=inline" in page.url
    deleted = page.locator(".irow.kind-removed del", has_text="commits to support the force")
    assert deleted.count() == 1 and deleted.first.is_visible()
    assert page.locator(".irow.kind-added ins", has_text="joint coordination group").count() == 1
    shot(page, "compare-inline")


def test_add_version_through_the_form_then_follow_a_moved_clause(server: str, page: object) -> None:
    summit = (DEMO / DOC / "summit-text.md").read_text("utf-8")
    parts = summit.split("\n\n")
    moved = "\n\n".join(parts[:2] + parts[3:] + parts[2:3])  # the preamble moved to the end
    page.goto(f"{server}/d/{DOC}")
    page.click(".doc-actions >> text=Add a version")
    page.fill("#f-text", moved)
    page.fill("#f-label", "Reordered <draft>")
    page.fill("#f-outlet", "Le Monde")
    page.fill("#f-via", "AFP\nReuters")
    page.fill("#f-url", "https://example.org/le-monde")
    page.fill("#f-reported", "2026-01-09")
    page.select_option("#f-completeness", "full")
    page.check("input[name=placement][value=after]")
    page.select_option("#f-ref", label="3. Summit text")
    shot(page, "add-version-form")
    page.click("form.upload-form button[type=submit]")
    page.wait_for_selector("h1")
    assert "Reordered <draft>" in page.inner_text("h1")
    assert "Le Monde" in page.inner_text("dl.source")
    shot(page, "version-added")

    page.click("text=Changes since Summit text")
    page.wait_for_selector("table.sbs")
    link = page.locator("tr.moved a.moved-link").first
    stub_id = link.get_attribute("href").lstrip("#")
    link.click()
    assert page.url.endswith(f"#{stub_id}")
    stub = page.locator(f"#{stub_id}")
    assert "leaders of the participating states" in stub.inner_text()
    assert stub.is_visible()
    stub.locator("a.moved-link").click()
    assert "#change-" in page.url
    shot(page, "compare-moved")


def test_trace_from_the_document_page(server: str, page: object) -> None:
    page.goto(f"{server}/d/{DOC}")
    page.fill("#q", "United States")
    page.click("form[action$='/trace'] button[type=submit]")
    page.wait_for_selector("figure.trace-chart svg")
    assert "Gone in Summit text" in page.inner_text(".trace-summary")
    assert page.locator("svg circle.m-present").count() >= 3
    assert page.locator("svg line.m-absent").count() >= 1
    assert page.locator(".events li").count() >= 2
    shot(page, "trace")


def test_phone_width_and_version_page(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/d/{DOC}/v/Earlier draft")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the version page scrolls sideways on a phone ({width}px)"
    assert page.locator(".partial-banner").is_visible()
    shot(page, "version-phone")
    context.close()
