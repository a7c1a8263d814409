"""The viewer's pages over the demo store (issue 5): content, links, caching, forms."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.conftest import DEMO, CliRun
from tests.web_support import make_app, post_form, text, version_ids

DOC = "paris-declaration"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(demo_store: Path) -> FlaskClient:
    return make_app(demo_store).test_client()


@pytest.fixture
def ids(client: FlaskClient) -> dict[str, str]:
    return version_ids(client, DOC)


@pytest.fixture
def reader(shared_demo_store: Path) -> FlaskClient:
    """A client on the module's one demo store, for the tests that only read."""
    return make_app(shared_demo_store).test_client()


@pytest.fixture
def reader_ids(reader: FlaskClient) -> dict[str, str]:
    return version_ids(reader, DOC)


def rows(body: str) -> list[str]:
    """The side-by-side table's rows."""
    return re.findall(r"<tr class=\"row.*?</tr>", body, re.S)


def classes(row: str) -> list[str]:
    """The CSS classes of a table row."""
    return re.match(r'<tr class="([^"]*)"', row).group(1).split()


def test_documents_and_timeline(reader: FlaskClient) -> None:
    index = text(reader.get("/"))
    assert "Declaration on Security Guarantees for Ukraine" in index
    assert "Erklärung über die Einrichtung einer gemeinsamen Koordinierungsgruppe" in index
    page = text(reader.get(f"/d/{DOC}"))
    order = [page.index(label) for label in ("Outline", "Earlier draft", "Summit text")]
    assert order == sorted(order), "versions must be listed in draft order"
    assert "RBK-Ukraine → Ukraine-Nachrichten" in page
    assert page.count("partial text, reconstructed from reporting") >= 2
    assert 'class="partial-banner"' in page


def test_version_page_numbers_clauses_and_redirects_refs(
    reader: FlaskClient, reader_ids: dict[str, str]
) -> None:
    response = reader.get(f"/d/{DOC}/v/Earlier draft")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{DOC}/v/{reader_ids['Earlier draft']}")
    page = text(reader.get(response.headers["Location"]))
    assert "The United States commits to support the force in case of attack." in page
    assert '<span class="num">1</span>' in page
    assert "partial-banner" in page
    assert "Politico" in page


def test_compare_shows_deletion_insertion_and_summary(
    reader: FlaskClient, reader_ids: dict[str, str]
) -> None:
    old, new = reader_ids["Earlier draft"], reader_ids["Summit text"]
    page = text(reader.get(f"/d/{DOC}/compare/{old}/{new}"))
    table = rows(page)
    removed = next(r for r in table if "commits to support the force" in r)
    assert "kind-removed" in removed
    assert "<del>The United States commits to support the force in case of attack.</del>" in removed
    added = next(r for r in table if "joint coordination group" in r)
    assert "kind-added" in added and "<ins>A joint coordination group" in added
    reworded = next(r for r in table if "such as Germany" in r)
    assert "<ins>, such as Germany,</ins>" in reworded
    summary = re.findall(r'<li class="sum sum-(\w+)"><span class="count">(\d+)</span>', page)
    assert dict(summary)["added"] == "3" and dict(summary)["removed"] == "3"
    numbers = [int(n) for n in re.findall(r'id="change-(\d+)"', page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 9
    assert 'href="#change-1"' in page and 'data-anchor="change-1"' in page
    assert "Article 4.1 → Article 3.1" in page, "renumbering is shown"
    assert "Politico" in page and "Summit communiqué" in page, "each side names its source"


def test_compare_refs_redirect_to_ids_and_picker_swaps(
    reader: FlaskClient, reader_ids: dict[str, str]
) -> None:
    old, new = reader_ids["Earlier draft"], reader_ids["Summit text"]
    response = reader.get(f"/d/{DOC}/compare/Earlier draft/3?view=inline")
    assert response.status_code == 302  # not 301: "latest" moves on
    assert response.headers["Location"].endswith(f"/compare/{old}/{new}?view=inline")
    picked = reader.get(f"/d/{DOC}/compare?old={old}&new=3")
    assert picked.headers["Location"].endswith(f"/compare/{old}/{new}")
    latest = reader.get(f"/d/{DOC}/compare?old={old}&new=latest")  # the Ukrainian rendering
    assert latest.headers["Location"].endswith(f"/compare/{old}/{reader_ids['Summit text (uk)']}")
    page = text(reader.get(f"/d/{DOC}/compare/{old}/{new}"))
    assert f'href="/d/{DOC}/compare/{new}/{old}' in page, "swap link"


def test_inline_view_and_changes_only(reader: FlaskClient, reader_ids: dict[str, str]) -> None:
    base = f"/d/{DOC}/compare/{reader_ids['Earlier draft']}/{reader_ids['Summit text']}"
    inline = text(reader.get(base + "?view=inline"))
    assert 'class="redline"' in inline and '<table class="sbs"' not in inline
    assert "<del>The United States commits to support the force in case of attack.</del>" in inline
    full = text(reader.get(base))
    only = text(reader.get(base + "?changes=only"))
    assert "unchanged clauses" in only
    assert "Support to the Ukrainian defence industry" in full
    assert "Support to the Ukrainian defence industry" not in only
    assert re.findall(r'id="change-\d+"', only) == re.findall(r'id="change-\d+"', full)


def test_editorial_changes_marked_and_hideable(
    tmp_path: Path, store_path: Path, cli_run: CliRun
) -> None:
    one = tmp_path / "one.md"
    two = tmp_path / "two.md"
    one.write_text('1. The parties agree to "cooperate".\n2. Funding is shared.\n', "utf-8")
    two.write_text("1. The parties agree to “cooperate”.\n2. Funding is shared equally.\n", "utf-8")
    for f in (one, two):
        assert cli_run("--store", store_path, "add", "ed", f).code == 0
    client = make_app(store_path).test_client()
    page = text(client.get("/d/ed/compare/1/2", follow_redirects=True))
    editorial = [r for r in rows(page) if "editorial" in classes(r)]
    assert editorial and "cooperate" in editorial[0]
    assert 'id="editorial-toggle"' in page
    hidden = text(client.get("/d/ed/compare/1/2?editorial=hide", follow_redirects=True))
    assert 'class="compare-page hide-editorial"' in hidden


def test_moved_clause_links_both_places(tmp_path: Path, store_path: Path, cli_run: CliRun) -> None:
    one = tmp_path / "one.md"
    two = tmp_path / "two.md"
    clauses = [f"Clause about topic number {w} with its own distinct wording." for w in
               ("alpha", "bravo", "charlie", "delta", "echo")]  # fmt: skip
    one.write_text("\n\n".join(clauses) + "\n", "utf-8")
    two.write_text("\n\n".join(clauses[1:4] + clauses[:1] + clauses[4:]) + "\n", "utf-8")
    for f in (one, two):
        assert cli_run("--store", store_path, "add", "mv", f).code == 0
    client = make_app(store_path).test_client()
    page = text(client.get("/d/mv/compare/1/2", follow_redirects=True))
    moved = next(r for r in rows(page) if "moved" in classes(r) and "alpha" in r)
    number = re.search(r'id="change-(\d+)"', moved).group(1)
    assert f'href="#moved-from-{number}"' in moved
    stub = re.search(rf'<tr class="row moved-away" id="moved-from-{number}">.*?</tr>', page, re.S)
    assert stub and f'href="#change-{number}"' in stub.group(0) and "alpha" in stub.group(0)
    assert page.index(f'id="moved-from-{number}"') < page.index("bravo")


def test_trace_page_chart_and_events(reader: FlaskClient) -> None:
    page = text(reader.get(f"/d/{DOC}/trace?q=United States"))
    assert "<svg" in page and 'class="m-present"' in page and 'class="m-absent"' in page
    assert "Gone in <strong>Summit text</strong>" in page
    for state in ("present", "reworded", "absent", "unknown"):
        assert f"{state}:" in page, f"legend names {state}"
    assert "The United States commits to support the force in case of attack." in page
    empty = text(reader.get(f"/d/{DOC}/trace"))
    assert 'name="q"' in empty and "<svg" not in empty


def test_clause_history(reader: FlaskClient, reader_ids: dict[str, str]) -> None:
    page = text(reader.get(f"/d/{DOC}/v/{reader_ids['Summit text']}"))
    link = next(m for m in re.findall(r'href="(/d/[^"]+/history/[^"]+)"', page) if "history" in m)
    links = re.findall(r'<li class="clause[^>]*>.*?</li>', page, re.S)
    monitoring = next(li for li in links if "ceasefire monitoring mechanism" in li)
    link = re.search(r'href="(/d/[^"]+/history/[^"]+)"', monitoring).group(1)
    history = text(reader.get(link))
    assert "with the participation of the United States" in history
    assert "under the leadership of the United States" in history
    assert history.count('class="state-present"') == 3


def test_atom_feeds_carry_sources_summary_and_diff(reader: FlaskClient) -> None:
    for url in ("/feed.atom", f"/d/{DOC}/feed.atom"):
        response = reader.get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/atom+xml"
        root = ET.fromstring(response.data)
        entries = root.findall(f"{ATOM}entry")
        assert entries
    doc_feed = ET.fromstring(reader.get(f"/d/{DOC}/feed.atom").data)
    entry = next(
        e for e in doc_feed.findall(f"{ATOM}entry") if "Earlier draft" in e.findtext(f"{ATOM}title")
    )
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Politico" in content.text and "RBK-Ukraine" in content.text
    assert "<del>" in content.text or "<ins>" in content.text
    summit = next(
        e
        for e in doc_feed.findall(f"{ATOM}entry")
        if "Summit text" in e.findtext(f"{ATOM}title") and "(uk)" not in e.findtext(f"{ATOM}title")
    )
    body = summit.find(f"{ATOM}content").text
    assert "3 removed" in body and "The United States commits to support" in body
    other_host = reader.get(f"/d/{DOC}/feed.atom", base_url="http://drafts.example.org")
    assert b"http://drafts.example.org/d/" in other_host.data, "cached per host"


def test_export_json_is_an_attachment_by_id(
    reader: FlaskClient, reader_ids: dict[str, str]
) -> None:
    old, new = reader_ids["Earlier draft"], reader_ids["Summit text"]
    response = reader.get(f"/d/{DOC}/export/{old}/{new}.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{DOC}-{old}-{new}.json"'
    )
    assert json.loads(response.data)["summary"]["removed"] == 3
    page = text(reader.get(f"/d/{DOC}/compare/{old}/{new}"))
    listed = re.findall(rf'href="/d/{DOC}/export/{old}/{new}\.(\w+)"', page)
    assert "json" in listed and "html" in listed
    for fmt in listed:
        report = reader.get(f"/d/{DOC}/export/{old}/{new}.{fmt}")
        assert report.status_code == 200 and report.data, fmt
        assert report.headers["Content-Disposition"].startswith("attachment;")
    assert reader.get(f"/d/{DOC}/export/Earlier draft/{new}.json").status_code == 302
    assert reader.get(f"/d/{DOC}/export/{old}/{new}.exe").status_code == 404


def test_add_version_through_the_form_with_placement(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    summit = (DEMO / DOC / "summit-text.md").read_text("utf-8")
    response = post_form(
        client,
        f"/d/{DOC}/add",
        f"/d/{DOC}/add",
        {
            "text": summit.replace("without delay", "within 48 hours"),
            "label": "Leaked annex",
            "outlet": "Le Monde",
            "via": "AFP\nReuters",
            "url": "https://example.org/le-monde",
            "reported_on": "2026-01-08",
            "drafted_on": "2026-01-06",
            "completeness": "excerpt",
            "note": "Only the monitoring article was quoted.",
            "placement": "before",
            "ref": ids["Summit text"],
        },
    )
    assert response.status_code == 303, text(response)
    log = client.get(f"/api/d/{DOC}/log").get_json()["versions"]
    assert [v["label"] for v in log] == [
        "Outline", "Earlier draft", "Leaked annex", "Summit text", "Summit text (uk)",
    ]  # fmt: skip
    added = log[2]
    assert added["source"] == {
        "outlet": "Le Monde", "via": ["AFP", "Reuters"], "url": "https://example.org/le-monde"
    }  # fmt: skip
    assert (added["reported_on"], added["drafted_on"]) == ("2026-01-08", "2026-01-06")
    assert added["completeness"] == "excerpt" and added["note"].startswith("Only the monitoring")


def test_upload_a_file_creates_a_document(client: FlaskClient) -> None:
    data = {
        "doc": "new-doc",
        "title": "Новий документ",
        "file": (__import__("io").BytesIO("# Заголовок\n\n1. Перший пункт.\n".encode()), "d.md"),
    }
    response = post_form(client, "/add", "/add", data, content_type="multipart/form-data")
    assert response.status_code == 303, text(response)
    page = text(client.get(response.headers["Location"]))
    assert "Перший пункт." in page and "d.md" in page


def test_form_errors_are_shown_and_store_untouched(client: FlaskClient, demo_store: Path) -> None:
    from tests.conftest import snapshot

    before = snapshot(demo_store)
    response = post_form(
        client, f"/d/{DOC}/add", f"/d/{DOC}/add",
        {"text": "Some text.", "reported_on": "yesterday", "outlet": "X"},
    )  # fmt: skip
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Not recorded" in text(response) and "yesterday" in text(response)
    response = post_form(client, f"/d/{DOC}/add", f"/d/{DOC}/add", {"text": "  "})
    assert response.status_code == 400
    response = post_form(client, "/add", "/add", {"doc": "../etc", "text": "Text.", "label": "L"})
    assert response.status_code == 400 and "Not recorded" in text(response)
    assert 'value="../etc"' in text(response), "the form keeps what was typed"
    assert snapshot(demo_store) == before


def test_annotation_follows_the_lineage(client: FlaskClient, ids: dict[str, str]) -> None:
    earlier = ids["Earlier draft"]
    page = text(client.get(f"/d/{DOC}/v/{earlier}"))
    item = next(
        li for li in re.findall(r'<li class="clause[^>]*id="clause-([^"]+)"[^>]*>(.*?)</li>',
                                page, re.S)
        if "ceasefire monitoring mechanism" in li[1]
    )  # fmt: skip
    response = post_form(
        client,
        f"/d/{DOC}/v/{earlier}",
        f"/d/{DOC}/v/{earlier}/annotations",
        {"clause": item[0], "note": "US role cut at the last minute", "source": "Politico",
         "url": "https://example.org/politico"},
    )  # fmt: skip
    assert response.status_code == 303
    summit = text(client.get(f"/d/{DOC}/v/{ids['Summit text']}"))
    card = re.search(r'<div class="note-card elsewhere".*?</div>', summit, re.S)
    assert card and "US role cut at the last minute" in card.group(0)
    assert "written against another version" in card.group(0)
    compare = text(client.get(f"/d/{DOC}/compare/{earlier}/{ids['Summit text']}"))
    assert "US role cut at the last minute" in compare
    history = text(client.get(f"/d/{DOC}/history/{item[0]}"))
    assert "Notes on this clause" in history and "US role cut at the last minute" in history


def test_annotate_command_one_commit_each(demo_store: Path, cli_run: CliRun) -> None:
    import subprocess

    def commits() -> int:
        out = subprocess.run(
            ["git", "--git-dir", str(demo_store), "rev-list", "--count", "main"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return int(out.stdout)

    start = commits()
    result = cli_run(
        "--store", demo_store, "annotate", DOC, "Summit text", "Article 4.1",
        "--note", "Coordination cell agreed in Paris", "--source", "AFP", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    record = json.loads(result.out)["annotation"]
    assert record["clause"]["number"] == "1" and record["source"]["outlet"] == "AFP"
    assert commits() == start + 1
    client = make_app(demo_store).test_client()
    page = text(client.get(f"/d/{DOC}/v/{quote('Summit text')}", follow_redirects=True))
    assert "Coordination cell agreed in Paris" in page
    bad = cli_run("--store", demo_store, "annotate", DOC, "latest", "1", "--note", "x")
    assert bad.code == 2 and bad.err.startswith("error: ") and "ambiguous" in bad.err
    assert commits() == start + 1


def test_pages_stay_correct_after_a_new_version(
    client: FlaskClient, demo_store: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    first = text(client.get(f"/d/{DOC}"))
    assert text(client.get(f"/d/{DOC}")) == first, "cached page served again"
    new = tmp_path / "signed.md"
    new.write_text((DEMO / DOC / "summit-text.md").read_text("utf-8") + "\nSigned.\n", "utf-8")
    assert cli_run("--store", demo_store, "add", DOC, new, "--label", "Signed").code == 0
    after = text(client.get(f"/d/{DOC}"))
    assert "Signed" in after and after != first
    latest = text(client.get(f"/d/{DOC}/compare?old=Summit text&new=latest", follow_redirects=True))
    assert "<ins>Signed.</ins>" in latest, [r for r in rows(latest) if "change" in classes(r)]


def test_error_pages_by_status(reader: FlaskClient) -> None:
    missing = reader.get("/d/no-such-doc")
    assert missing.status_code == 404 and "Not found" in text(missing)
    assert reader.get(f"/d/{DOC}/v/99").status_code == 404
    api = reader.get("/api/d/no-such-doc/log")
    assert api.status_code == 404 and api.get_json()["status"] == 404
    assert reader.get(f"/api/d/{DOC}/trace").status_code == 400


def test_demo_command_serves_the_sample_store(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out, err = tmp_path / "out.log", tmp_path / "err.log"  # files: pipes read at the end can fill
    with out.open("wb") as out_file, err.open("wb") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "drafttrack", "demo", "--no-browser", "--port", str(port)],
            stdout=out_file, stderr=err_file, env=dict(os.environ),
        )  # fmt: skip
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    r.read()
                break
            except OSError:
                assert proc.poll() is None, err.read_text("utf-8", "replace")
                time.sleep(0.1)
        # Before anyone opens a document page, the demo has computed it: the clause vectors its
        # report links need are in the store's cache folder.
        store = Path(out.read_text("utf-8").split("demo store: ", 1)[1].split("\n", 1)[0])
        vectors = store / "drafttrack-cache" / "quote" / "quote.sqlite"
        for _ in range(1200):
            if vectors.is_file() and _rows(vectors) > 0:
                break
            assert proc.poll() is None, err.read_text("utf-8", "replace")
            time.sleep(0.1)
        assert _rows(vectors) > 0, "the demo did not warm its document pages"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/d/{DOC}", timeout=60) as r:
            body = r.read().decode("utf-8")
        assert "Earlier draft" in body and "Summit text" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert "demo store:" in out.read_text("utf-8")


def _rows(db: Path) -> int:
    """Vectors held by a quote cache file (0 while it is being created)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return sum(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables)
    except sqlite3.Error:
        return 0


def test_page_cache_is_bounded_in_bytes(shared_demo_store: Path) -> None:
    app = make_app(shared_demo_store, PAGE_CACHE_BYTES=40_000)
    client = app.test_client()
    pages = app.extensions["drafttrack_caches"]["pages"]
    for url in ("/", f"/d/{DOC}", "/feed.atom", f"/d/{DOC}/feed.atom", f"/d/{DOC}/compare/1/3",
                f"/d/{DOC}/compare/1/2", f"/d/{DOC}/compare/2/3"):  # fmt: skip
        assert client.get(url, follow_redirects=True).status_code == 200
        assert pages._bytes <= 40_000
    assert 0 < pages._bytes
