"""The report pages and API through Flask's test client on the demo store (reports included),
and the report page in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from web import create_app

DOC = "paris-declaration"


@pytest.fixture(scope="module")
def client(shared_demo_store: Path) -> Iterator[FlaskClient]:
    app = create_app(shared_demo_store, {"TESTING": True, "SECRET_KEY": "t"})
    yield app.test_client()


def _german_id(client: FlaskClient) -> str:
    listing = client.get(f"/api/d/{DOC}/reports").get_json()
    return next(r["id"] for r in listing["reports"] if r["outlet"] == "Ukraine-Nachrichten")


def test_api_is_the_cli_json(client: FlaskClient, shared_demo_store: Path) -> None:
    from drafttrack.service.evidence_view import report_json, reports_json
    from repo_store import Store

    rid = _german_id(client)
    api = client.get(f"/api/d/{DOC}/reports/{rid}").get_json()
    with Store.open(shared_demo_store) as store:
        assert api == report_json(store, DOC, rid)
        assert client.get(f"/api/d/{DOC}/reports").get_json() == reports_json(store, DOC)
    assert client.get(f"/api/d/{DOC}/reports/nope").status_code == 404
    assert client.get("/api/d/no-such-doc/reports").status_code == 404


def test_report_page_highlights_linked_sentences(client: FlaskClient) -> None:
    rid = _german_id(client)
    html = client.get(f"/d/{DOC}/reports/{rid}").get_data(as_text=True)
    assert html.count('class="sentence linked"') == 2
    assert "The United States commits to support the force in case of attack." in html
    assert "lacking: Outline, Summit text" in html or "lacking: Summit text" in html
    assert "/compare/" in html
    assert (
        "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)"
        in html
    )


def test_document_page_and_report_list(client: FlaskClient) -> None:
    page = client.get(f"/d/{DOC}").get_data(as_text=True)
    assert f"/d/{DOC}/reports" in page and "Ukraine-Nachrichten" in page
    listing = client.get(f"/d/{DOC}/reports").get_data(as_text=True)
    assert "RBK-Ukraine" in listing and "text not held" in listing
    other = client.get("/d/koordinierungsgruppe").get_data(as_text=True)
    assert "document-reports" not in other  # no report: no section, nothing linked


def test_version_page_shows_the_reports_vouching_for_a_clause(client: FlaskClient) -> None:
    earlier = client.get(f"/d/{DOC}/v/Earlier%20draft", follow_redirects=True)
    html = earlier.get_data(as_text=True)
    assert html.count('class="clause-evidence"') == 2
    assert "Ukraine-Nachrichten" in html and "RBK-Ukraine" in html
    summit = client.get(f"/d/{DOC}/v/Summit%20text", follow_redirects=True)
    assert 'class="clause-evidence"' not in summit.get_data(as_text=True)


@pytest.mark.browser
def test_report_page_in_chromium(shared_demo_store: Path) -> None:
    from tests.test_browser import ARGS, CHROMIUM, serving

    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is absent")
    with serving(shared_demo_store) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(180_000)
        page.goto(f"{base}/d/{DOC}/reports")
        page.click("text=Ukraine-Nachrichten")
        page.wait_for_selector(".report-article")
        linked = page.locator(".report-article .sentence.linked")
        assert linked.count() == 2
        assert "Angriffs" in linked.first.inner_text()
        page.locator(".report-links a", has_text="Sentence").first.click()
        assert "#s" in page.url
        page.locator(".report-links a", has_text="compare").first.click()
        page.wait_for_load_state()
        assert "/compare/" in page.url
        browser.close()
        assert not errors, errors
