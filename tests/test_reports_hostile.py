"""Hostile reports: XSS in every field stays inert (escaped on every page, plain in the JSON), a
50 MB page and a zip-bomb DOCX are refused, a report in a language the matcher does not know is
refused; each refusal is one line, exit 2, and leaves HEAD and the tree exactly as they were."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO, CliRun, snapshot
from tests.test_ingest_safety import bad_files
from tests.watch_server import Answer, Site, serving
from web import create_app

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PD = DEMO / "paris-declaration"


def state(store: Path) -> tuple[str, str]:
    """HEAD and its tree listing."""
    run = ["git", "--git-dir", str(store)]
    head = subprocess.run([*run, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    tree = subprocess.run([*run, "ls-tree", "-r", "HEAD"], capture_output=True, text=True).stdout
    return head, tree


@pytest.fixture
def pd_store(store_path: Path, cli_run: CliRun) -> Path:
    for name, label in (("earlier-draft", "Earlier draft"), ("summit-text", "Summit text")):
        assert cli_run("--store", store_path, "add", "pd", PD / f"{name}.md", "--label",
                       label).code == 0  # fmt: skip
    return store_path


def test_xss_in_every_field_is_escaped(pd_store: Path, cli_run: CliRun, tmp_path: Path) -> None:
    body = (
        f"# Headline {XSS}\n\nThe draft said the United States would “support the force in "
        f"case of attack {XSS}”.\n\nA summit sentence {XSS} that quotes nothing at all.\n"
    )
    report = tmp_path / "r.md"
    report.write_text(body)
    head = cli_run("--store", pd_store, "report", "add", "pd", "--outlet", f"Head {XSS}",
                   "--language", "en").out.strip()  # fmt: skip
    r = cli_run("--store", pd_store, "report", "add", "pd", report, "--outlet", XSS,
                "--url", "https://example.org/?q=<script>", "--note", XSS, "--translator", XSS,
                "--relays", head)  # fmt: skip
    assert r.code == 0, r.err
    rid = r.out.strip()
    app = create_app(pd_store, {"TESTING": True, "SECRET_KEY": "t"})
    client = app.test_client()
    for url in ("/d/pd", "/d/pd/reports", f"/d/pd/reports/{rid}", f"/d/pd/reports/{head}"):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    api = client.get(f"/api/d/pd/reports/{rid}").get_json()
    assert api["report"]["outlet"] == XSS and api["report"]["note"] == XSS
    assert api["report"]["translator"] == XSS


def test_a_50_mb_page_is_refused(pd_store: Path, cli_run: CliRun) -> None:
    before, files = state(pd_store), snapshot(pd_store)
    huge = b"<html><body><p>" + b"x" * (50 * 1024 * 1024 + 10) + b"</p></body></html>"
    site = Site()
    site.set("/robots.txt", "", content_type="text/plain")
    site.routes["/big"] = Answer(200, huge, {"Content-Type": "text/html"})
    with serving(site):
        r = cli_run("--store", pd_store, "report", "add", "pd", "--from-url", site.url("/big"))
    assert r.code == 2 and "over the cap" in r.err and r.err.count("\n") == 1
    assert state(pd_store) == before and snapshot(pd_store) == files
    big = pd_store.parent / "big.html"
    big.write_bytes(huge)
    r = cli_run("--store", pd_store, "report", "add", "pd", big)
    assert r.code == 2 and "larger than 50 MiB" in r.err
    assert state(pd_store) == before


def test_zip_bomb_docx_is_refused(pd_store: Path, cli_run: CliRun, tmp_path: Path) -> None:
    before, files = state(pd_store), snapshot(pd_store)
    name, data, words = bad_files()["zip bomb"]
    path = tmp_path / name
    path.write_bytes(data)
    r = cli_run("--store", pd_store, "report", "add", "pd", path, "--language", "en")
    assert r.code == 2 and words in r.err and r.err.count("\n") == 1
    assert state(pd_store) == before and snapshot(pd_store) == files


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("nuqneH. tlhIngan Hol Dajatlh'a'? qaStaHvIS wa' ram loS SaD Hugh SIjlaH.\n", []),
        ("nuqneH. tlhIngan Hol Dajatlh'a'?\n", ["--language", "tlh"]),
        ("ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏂᏴᏫᏯ ᎤᏂᏃᏕᎾ ᏥᏍᏆᏯ ᎠᏓᏍᏆᏂ.\n", []),
    ],
)
def test_a_language_the_matcher_does_not_know_is_refused(
    pd_store: Path, cli_run: CliRun, tmp_path: Path, text: str, args: list[str]
) -> None:
    before, files = state(pd_store), snapshot(pd_store)
    path = tmp_path / "r.txt"
    path.write_text(text)
    r = cli_run("--store", pd_store, "report", "add", "pd", path, *args)
    assert r.code == 2 and "language" in r.err and r.err.count("\n") == 1
    assert state(pd_store) == before and snapshot(pd_store) == files


def test_json_of_a_hostile_report_is_plain_data(pd_store: Path, cli_run: CliRun) -> None:
    rid = cli_run("--store", pd_store, "report", "add", "pd", "--outlet", XSS, "--language",
                  "de").out.strip()  # fmt: skip
    shown = json.loads(cli_run("--store", pd_store, "report", "show", "pd", rid, "--json").out)
    assert shown["report"]["outlet"] == XSS and shown["sentences"] == []
