"""Case 1 of the redline fixtures in a real browser (Chromium via Playwright, ``drafttrack
serve``): the compare page shows formatted text with the word change redlined, and no Markdown
syntax or link target as text, side by side and inline, on desktop and phone widths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import run_cli
from tests.test_browser import browser, serving, shot  # noqa: F401  (fixtures)
from tests.test_redline import FIXTURES, read_case

pytestmark = pytest.mark.browser
DOC = "terms"


@pytest.fixture(scope="module")
def case_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`drafttrack serve` over a store holding the two versions of case 1."""
    folder = tmp_path_factory.mktemp("redline")
    store = folder / "store"
    assert run_cli("--store", store, "init").code == 0
    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    for label, body in (("Before", old), ("After", new)):
        path = folder / f"{label}.md"
        path.write_text("# Terms\n\n" + body, encoding="utf-8")
        assert run_cli("--store", store, "add", DOC, path, "--label", label).code == 0
    with serving(store) as base:
        yield base


@pytest.mark.parametrize("width", [1400, 390])
def test_compare_page_shows_formatted_redline(
    case_server: str,
    browser: object,  # noqa: F811
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{case_server}/d/{DOC}")
        page.select_option("#pick-old", label="1. Before")
        page.select_option("#pick-new", label="2. After")
        page.click("form.picker button[type=submit]")
        page.wait_for_selector("table.sbs")
        row = page.locator("tr.change", has_text="These terms apply to")
        assert row.count() == 1
        for view, redline in (("side by side", row), ("inline", None)):
            if redline is None:
                page.goto(page.url.split("#")[0] + "?view=inline")
                redline = page.locator("div.irow.change", has_text="These terms apply to")
            shown = redline.inner_text()
            for syntax in ("**", "](", "example.org", "https:"):
                assert syntax not in shown, (view, syntax, shown)
            assert redline.locator("del").first.inner_text() == "services", view
            assert redline.locator("ins").first.inner_text() == "products", view
            assert redline.locator("strong", has_text="Scope.").count() >= 1, view
            assert redline.locator("em", has_text="nothing else").count() >= 1, view
            link = redline.locator("ins a.ref")
            assert link.get_attribute("title") == "https://example.org/p", view
        shot(page, f"redline-case1-inline-{width}")
    finally:
        context.close()
    assert not errors, errors
