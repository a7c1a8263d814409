"""The cross-language compare page in a real browser: `drafttrack serve` over the demo store,
Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from drafttrack.service.demo import build_demo_store
from tests.test_browser import ARGS, CHROMIUM, serving, sync_api

pytestmark = pytest.mark.browser
DOC = "paris-declaration"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("crosslang-browser") / "store"
    build_demo_store(path).close()
    with serving(path) as url:
        yield url


@contextmanager
def browser_page() -> Iterator[Any]:
    """A Chromium page 1300 px wide; on leaving, no script error may have been raised on it."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(60_000)
        yield page
        browser.close()
    assert not errors, errors


def test_translation_side_by_side_with_divergences_on_both_sides(base: str) -> None:
    with browser_page() as page:
        page.goto(f"{base}/d/{DOC}/compare/3/4")
        assert "Cross-language comparison" in page.inner_text(".crosslang-banner")
        # every old cell is English, every new cell Ukrainian, as the browser sees it
        langs = page.eval_on_selector_all(
            "table.sbs td.old, table.sbs td.new", "cs => cs.map(c => c.lang)"
        )
        assert set(langs) == {"en", "uk"}
        marks = page.locator("table.sbs mark.divergence")
        assert marks.count() == 2
        old_mark, new_mark = marks.nth(0), marks.nth(1)
        assert old_mark.inner_text() == "6" and new_mark.inner_text() == "7"
        assert old_mark.is_visible() and new_mark.is_visible()
        background = old_mark.evaluate("m => getComputedStyle(m).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        # the clause the translation leaves out: marked removed, its new side says so
        removed = page.locator("tr.kind-removed")
        assert removed.count() == 1
        assert "Participants that do not deploy troops" in removed.inner_text()
        assert "(not in Summit text (uk))" in removed.locator("td.new").inner_text()


def test_trace_and_history_place_the_translation_beside_its_source(base: str) -> None:
    with browser_page() as page:
        page.goto(f"{base}/d/{DOC}/trace?q=reaffirm+their+unity")
        rows = page.locator("table.translations tbody tr")
        assert rows.count() == 1
        assert "renders Summit text" in rows.first.inner_text()
        text = rows.first.locator("div[lang]")
        assert text.get_attribute("lang") == "uk" and "7 січня 2026" in text.inner_text()
        rows.first.locator("a.hist-link").click()
        page.wait_for_url("**/history/**")
        section = page.locator("table.translations")
        assert section.is_visible()
        assert "number: 6 in Summit text → 7 here" in section.inner_text()
        assert section.locator("div[lang=uk]").is_visible()
