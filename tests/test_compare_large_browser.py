"""A long comparison in a real browser (Chromium via Playwright, ``drafttrack serve``): it opens as
changes only with the notice, and its "show the whole comparison" link shows every clause."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.test_browser import browser, serving  # noqa: F401  (fixtures)
from tests.test_compare_large import DOC, PHRASES, make_store
from web.views.compare import WHOLE_MAX_ROWS

pytestmark = pytest.mark.browser
CLAUSES = WHOLE_MAX_ROWS + 150


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`drafttrack serve` over a store holding a pair of versions above the size."""
    with serving(make_store(tmp_path_factory.mktemp("large"), CLAUSES)) as base:
        yield base


def test_long_comparison_opens_as_changes_only_and_shows_all_on_request(
    large_server: str,
    browser: object,  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{large_server}/d/{DOC}/compare/1/2")
        notice = page.locator("#large-notice")
        notice.wait_for()
        hidden = int(re.search(r"([\d,]+) unchanged clauses are hidden", notice.inner_text())
                     .group(1).replace(",", ""))  # type: ignore[union-attr]  # fmt: skip
        shown = page.locator("table.sbs tr.row").count()
        changed = page.locator("table.sbs tr.change").count()
        assert 0 < changed < shown < hidden
        reworded = page.locator("tr.change", has_text="unverzüglich")
        assert reworded.locator("ins").first.inner_text() == "unverzüglich"
        assert "**" not in reworded.inner_text() and "](" not in reworded.inner_text()
        far = PHRASES[1].format(i=499)
        assert page.get_by_text(far).count() == 0
        page.click("#show-all")
        page.wait_for_url(re.compile(r"[?&]all=1$"))
        page.wait_for_selector("table.sbs")
        assert page.locator("#large-notice").count() == 0
        assert page.locator("table.sbs tr.row").count() == shown + hidden
        assert page.locator("table.sbs tr.change").count() == changed
        assert page.get_by_text(far).count() == 2  # both sides of the unchanged clause
        assert not errors, errors
    finally:
        context.close()
