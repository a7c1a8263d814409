"""The viewer shows formatted text, not Markdown syntax: case 1 of the redline fixtures on the
compare page (side by side and inline), the version page, a clause's history, a trace, the
Atom feed and the HTML report, through the real app over a real store."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import CliRun
from tests.test_redline import FIXTURES, read_case
from tests.web_support import make_app, text, version_ids

DOC = "terms"


@pytest.fixture
def client(store_path: Path, tmp_path: Path, cli_run: CliRun) -> FlaskClient:
    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    for label, body in (("Before", old), ("After", new)):
        path = tmp_path / f"{label}.md"
        path.write_text("# Terms\n\n" + body, encoding="utf-8")
        added = cli_run("--store", store_path, "add", DOC, path, "--label", label)
        assert added.code == 0, added.err
    return make_app(store_path).test_client()


def shown(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags (and their attributes) removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def assert_formatted(fragment: str) -> None:
    words = shown(fragment)
    assert "These terms apply to" in words
    for syntax in ("**", "](", "example.org", "*nothing"):
        assert syntax not in words, (syntax, words)
    assert "<strong>Scope.</strong>" in fragment and "<em>nothing else</em>" in fragment


def test_compare_page_redlines_visible_words(client: FlaskClient) -> None:
    ids = version_ids(client, DOC)
    url = f"/d/{DOC}/compare/{ids['Before']}/{ids['After']}"
    page = text(client.get(url))
    row = next(r for r in re.findall(r'<tr class="row.*?</tr>', page, re.S) if "Scope" in r)
    assert_formatted(row)
    assert re.search(r"<del><a class=\"ref\" href=\"https://example.org/s\"[^>]*>services</a>", row)
    assert re.search(r"<ins><a class=\"ref\" href=\"https://example.org/p\"[^>]*>products</a>", row)
    inline = text(client.get(url + "?view=inline"))
    irow = next(r for r in re.findall(r'<div class="irow.*?</div>', inline, re.S) if "Scope" in r)
    assert_formatted(irow)
    assert "services</a></del> <ins>" in irow, "a deletion and an insertion are kept apart"


def test_version_history_trace_feed_and_report_are_formatted(client: FlaskClient) -> None:
    ids = version_ids(client, DOC)
    version = text(client.get(f"/d/{DOC}/v/{ids['After']}"))
    assert_formatted(version)
    links = re.findall(r'href="(/d/terms/history/[^"]+)"', version)
    assert len(links) == 2, "the heading's history and the clause's"
    history = text(client.get(html.unescape(links[1])))
    assert_formatted(history)
    trace = text(client.get(f"/d/{DOC}/trace?q=nothing+else"))
    assert_formatted(trace)
    feed = html.unescape(text(client.get(f"/d/{DOC}/feed.atom")))
    assert "<strong>Scope.</strong>" in feed and "**Scope" not in feed
    report = client.get(f"/d/{DOC}/export/{ids['Before']}/{ids['After']}.html")
    assert report.status_code == 200
    body = report.get_data(as_text=True)
    assert_formatted(body[body.index("<main>") :])


def test_compare_page_names_editorial_kinds(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    old = "# Privacy\n\nRead [our statement](https://example.com/p?utm=a) first.\n"
    for label, body in (("A", old), ("B", old.replace("utm=a", "utm=b"))):
        path = tmp_path / f"{label}.md"
        path.write_text(body, encoding="utf-8")
        assert cli_run("--store", store_path, "add", DOC, path, "--label", label).code == 0
    client = make_app(store_path).test_client()
    ids = version_ids(client, DOC)
    page = text(client.get(f"/d/{DOC}/compare/{ids['A']}/{ids['B']}"))
    row = next(r for r in re.findall(r'<tr class="row.*?</tr>', page, re.S) if "statement" in r)
    assert "editorial" in row.split('"')[1] and '<span class="ekinds">link target</span>' in row
    assert "utm" not in shown(row)
