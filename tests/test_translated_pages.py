"""A clause in translation on the trace and history pages (service ``translated``), on the demo:
its Ukrainian Summit text renders the English one, leaves Article 2(4) out and dates the
meeting 7 January, not 6; the Earlier draft's United States clause is not in the text it renders.
"""

from __future__ import annotations

from pathlib import Path

from drafttrack.service.lineages import document_lineages
from drafttrack.service.translated import clause_in_translations, translation_sources
from drafttrack.trace import trace_lineages
from repo_store import Store
from tests.conftest import CliRun
from web import create_app

DOC = "paris-declaration"


def _key(store: Path, phrase: str, doc: str = DOC) -> str:
    """The lineage key of the one clause holding ``phrase``."""
    with Store.open(store) as s, document_lineages(s, doc) as lin:
        keys = {
            c["key"] for step in trace_lineages(lin, phrase)["timeline"] for c in step["clauses"]
        }
    assert len(keys) == 1, (phrase, keys)
    return keys.pop()


def _page(store: Path, path: str, **query: str) -> str:
    client = create_app(store, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    response = client.get(path, query_string=query)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _section(body: str) -> str:
    assert 'id="in-translation"' in body
    return body[
        body.index('id="in-translation"') : body.index(
            "</table>", body.index('id="in-translation"')
        )
    ]


def test_each_state_of_a_clause_in_translation(shared_demo_store: Path) -> None:
    with Store.open(shared_demo_store) as s:
        sources = [(v.label, src.label if src else None) for v, src in translation_sources(s, DOC)]
        assert sources == [("Summit text (uk)", "Summit text")]
        preamble = clause_in_translations(s, DOC, _key(shared_demo_store, "reaffirm their unity"))
        left_out = clause_in_translations(
            s, DOC, _key(shared_demo_store, "may contribute to enforcing")
        )
        united_states = clause_in_translations(s, DOC, _key(shared_demo_store, "support the force"))
    (t,) = preamble
    assert t["state"] == "translated" and t["language"] == "uk"
    assert "зібравшись у Парижі 7 січня 2026 року" in t["clauses"][0]["text"]
    assert [(d["kind"], d["old"], d["new"]) for d in t["divergences"]] == [("number", "6", "7")]
    assert t["similarity"] > 0.9
    assert [e["state"] for e in left_out] == ["left out"]
    assert left_out[0]["clauses"] == []
    assert [e["state"] for e in united_states] == ["not in source"]  # only the Earlier draft has it


def test_history_page_shows_the_translation_in_its_language(shared_demo_store: Path) -> None:
    key = _key(shared_demo_store, "reaffirm their unity")
    section = _section(_page(shared_demo_store, f"/d/{DOC}/history/{key}"))
    assert '<div lang="uk">Лідери держав-учасниць' in section
    assert (
        'number: <span lang="en">6</span> in Summit text → <span lang="uk">7</span> here' in section
    )
    assert f"/d/{DOC}/compare/" in section and "renders <a" in section
    gone = _section(
        _page(
            shared_demo_store,
            f"/d/{DOC}/history/{_key(shared_demo_store, 'may contribute to enforcing')}",
        )
    )
    assert "left out" in gone and "leaves the clause of Summit text out" in gone


def test_trace_page_lists_each_traced_clause_in_translation(shared_demo_store: Path) -> None:
    body = _page(shared_demo_store, f"/d/{DOC}/trace", q="support the force")
    section = _section(body)
    assert "not in source" in section and "not in Summit text" in section
    assert "Article 3 — Role of the United States › 1" in section
    body = _page(shared_demo_store, f"/d/{DOC}/trace", q="ceasefire")
    section = _section(body)
    assert section.count('<div lang="uk">') >= 2 and "припинення вогню" in section


def test_a_document_without_translations_shows_none(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    for label, text in (("v1", "# Accord\n\n1. Die Frist beträgt „30 Tage“.\n"),
                        ("v2", "# Accord\n\n1. Die Frist beträgt „60 Tage“.\n")):  # fmt: skip
        assert cli_run("--store", store_path, "add", "accord", "-", "--label", label,
                       input=text).code == 0  # fmt: skip
    assert 'id="in-translation"' not in _page(store_path, "/d/accord/trace", q="Frist")
    key = _key(store_path, "Frist", "accord")
    assert 'id="in-translation"' not in _page(store_path, f"/d/accord/history/{key}")


def test_a_translation_placed_before_any_version_has_no_source(
    store_path: Path, cli_run: CliRun
) -> None:
    english = "# Accord\n\n1. The term is 30 days.\n"
    assert cli_run("--store", store_path, "add", "accord", "-", "--label", "en",
                   "--language", "en", input=english).code == 0  # fmt: skip
    result = cli_run("--store", store_path, "add", "accord", "-", "--label", "fr",
                     "--text-language", "fr", "--before", "en",
                     input="# Accord\n\n1. Le délai est de « 30 jours ».\n")  # fmt: skip
    assert result.code == 0, result.err
    with Store.open(store_path) as s:
        (entry,) = clause_in_translations(s, "accord", _key(store_path, "term", "accord"))
    assert entry["state"] == "no source" and entry["source"] is None
