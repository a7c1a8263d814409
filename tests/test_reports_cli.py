"""`drafttrack report add/list/show/remove` on real stores: one commit each, plain-git layout,
relay chains, refusals that leave the store untouched, --from-url against a loopback server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO, CliRun, snapshot
from tests.watch_server import Site, serving

PD = DEMO / "paris-declaration"
GERMAN = PD / "reports" / "ukraine-nachrichten.md"
UKRAINIAN = PD / "reports" / "rbk-ukraine.md"


def git(store: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(store), *args], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


@pytest.fixture
def pd_store(store_path: Path, cli_run: CliRun) -> Path:
    for name, label in (("outline", "Outline"), ("earlier-draft", "Earlier draft"),
                        ("summit-text", "Summit text")):  # fmt: skip
        r = cli_run("--store", store_path, "add", "pd", PD / f"{name}.md", "--label", label)
        assert r.code == 0, r.err
    return store_path


def add(cli_run: CliRun, store: Path, *args: str | Path) -> str:
    r = cli_run("--store", store, "report", "add", "pd", *args)
    assert r.code == 0, r.err
    return r.out.strip()


def test_report_add_is_one_commit_readable_with_plain_git(pd_store: Path, cli_run: CliRun) -> None:
    before = git(pd_store, "rev-parse", "HEAD").strip()
    rid = add(cli_run, pd_store, GERMAN, "--outlet", "Ukraine-Nachrichten", "--url",
              "https://example.org/a", "--published-on", "2026-01-07")  # fmt: skip
    assert git(pd_store, "rev-parse", "HEAD~1").strip() == before
    files = git(pd_store, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == sorted(
        [f"pd/reports/{rid}.json", f"pd/reports/{rid}.md", f"pd/reports/{rid}.original.md"]
    )
    meta = json.loads(git(pd_store, "show", f"HEAD:pd/reports/{rid}.json"))
    assert meta["outlet"] == "Ukraine-Nachrichten"
    assert meta["language"] == "de" and meta["language_detected"] is True
    assert meta["published_on"] == "2026-01-07"
    assert git(pd_store, "show", f"HEAD:pd/reports/{rid}.original.md") == GERMAN.read_text()
    assert "Früherer Entwurf" in git(pd_store, "show", f"HEAD:pd/reports/{rid}.md")
    assert git(pd_store, "fsck", "--strict") == ""


def test_chain_list_show_and_remove(pd_store: Path, cli_run: CliRun) -> None:
    head = add(cli_run, pd_store, "--outlet", "Politico", "--language", "en")
    uk = add(cli_run, pd_store, UKRAINIAN, "--outlet", "RBK-Ukraine", "--relays", head)
    de = add(cli_run, pd_store, GERMAN, "--outlet", "Ukraine-Nachrichten", "--relays",
             "RBK-Ukraine", "--machine-translated", "--translator", "DeepL")  # fmt: skip
    shown = json.loads(cli_run("--store", pd_store, "report", "show", "pd", de, "--json").out)
    assert [c["id"] for c in shown["chain"]] == [de, uk, head]
    assert shown["chain_text"] == (
        "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)"
    )
    assert shown["report"]["relays"] == [uk] and shown["report"]["machine_translated"]
    for s in shown["sentences"]:
        assert set(s) >= {"index", "text", "start", "end", "links", "claim_unmatched"}
        assert shown["text"][s["start"] : s["end"]] == s["text"]
    listing = json.loads(cli_run("--store", pd_store, "report", "list", "pd", "--json").out)
    assert [r["id"] for r in listing["reports"]] == [head, uk, de]
    text = cli_run("--store", pd_store, "report", "list", "pd").out
    assert "machine translation by DeepL" in text
    # A report relayed by another cannot go first; removing is a commit, history keeps it.
    refused = cli_run("--store", pd_store, "report", "remove", "pd", uk)
    assert refused.code == 2 and "relayed by" in refused.err
    tip = git(pd_store, "rev-parse", "HEAD").strip()
    assert cli_run("--store", pd_store, "report", "remove", "pd", de).code == 0
    assert git(pd_store, "rev-parse", "HEAD~1").strip() == tip
    assert f"pd/reports/{de}.json" not in git(pd_store, "ls-tree", "-r", "--name-only", "HEAD")
    assert "Ukraine-Nachrichten" in git(pd_store, "show", f"HEAD~1:pd/reports/{de}.json")
    gone = cli_run("--store", pd_store, "report", "show", "pd", de)
    assert gone.code == 2 and "no report" in gone.err


def test_cycles_in_relays_are_refused(pd_store: Path, cli_run: CliRun) -> None:
    a = add(cli_run, pd_store, "--outlet", "A", "--language", "en")
    b = add(cli_run, pd_store, "--outlet", "B", "--language", "en", "--relays", a)
    before = snapshot(pd_store)
    r = cli_run("--store", pd_store, "report", "add", "pd", "--outlet", "C", "--language",
                "en", "--relays", b, "--relays", "nonexistent")  # fmt: skip
    assert r.code == 2 and "no report 'nonexistent'" in r.err
    assert snapshot(pd_store) == before
    from repo_store import Store
    from repo_store.reports import RelayCycle, check_no_cycle, list_reports

    with Store.open(pd_store) as store:
        reports = list_reports(store, "pd")
    with pytest.raises(RelayCycle):
        check_no_cycle(reports, a, [b])  # a relaying b, which relays a


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published-on", "2026-13-01"], "not a valid calendar date"),
        (["--url", "javascript:alert(1)"], "not an http(s) URL"),
        (["--language", "tlh"], "not one the matcher knows"),
        (["--outlet", "bad\x07outlet"], "control characters"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_store(
    pd_store: Path, cli_run: CliRun, args: list[str], message: str
) -> None:
    before = snapshot(pd_store)
    r = cli_run("--store", pd_store, "report", "add", "pd", GERMAN, *args)
    assert r.code == 2 and message in r.err and r.err.count("\n") == 1
    assert snapshot(pd_store) == before


def test_unknown_document_and_missing_file(pd_store: Path, cli_run: CliRun) -> None:
    before = snapshot(pd_store)
    assert cli_run("--store", pd_store, "report", "add", "nodoc", GERMAN).code == 2
    r = cli_run("--store", pd_store, "report", "add", "pd", "missing.html")
    assert r.code == 2 and "no such file" in r.err
    assert snapshot(pd_store) == before


def test_from_url_fetches_through_the_watcher_and_extracts_the_article(
    pd_store: Path, cli_run: CliRun
) -> None:
    page = (
        "<html><head><meta property='og:type' content='article'><title>T</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Früherer Entwurf "
        "sah US-Unterstützung vor</h1><p>Die Staats- und Regierungschefs sind am Dienstag in "
        "Paris zu einem Gipfeltreffen zusammengekommen, wie Beobachter berichteten.</p><p>Laut "
        "dem Entwurf würden die Vereinigten Staaten „die Truppe im Falle eines Angriffs "
        "unterstützen“, hieß es.</p><p>Das Treffen dauerte mehrere Stunden und endete am "
        "Abend ohne gemeinsame Pressekonferenz aller Teilnehmer.</p></article>"
        "<footer>© 2026 Beispiel. Alle Rechte vorbehalten.</footer></body></html>"
    )
    site = Site()
    site.set("/robots.txt", "", content_type="text/plain")
    site.set("/news/1", page)
    with serving(site):
        url = site.url("/news/1")
        rid = add(cli_run, pd_store, "--from-url", url, "--outlet", "Beispiel")
        shown = json.loads(cli_run("--store", pd_store, "report", "show", "pd", rid, "--json").out)
        missing = cli_run("--store", pd_store, "report", "add", "pd", "--from-url",
                          site.url("/gone"))  # fmt: skip
    assert shown["report"]["url"] == url
    assert "Home" not in shown["text"] and "Gipfeltreffen" in shown["text"]
    assert missing.code == 2 and "404" in missing.err
    assert shown["report"]["original"]["extension"] == "html"
