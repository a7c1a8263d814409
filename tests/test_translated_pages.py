"""A clause in translation on the trace and history pages (service ``translated``), on the demo:
its Ukrainian Summit text renders the English one, leaves Article 2(4) out and dates the
meeting 7 January, not 6; the Earlier draft's United States clause is not in the text it renders.
"""

from __future__ import annotations

from pathlib import Path

from drafttrack.service.translated import clauses_in_translations, translation_sources
from repo_store import Store
from tests.conftest import CliRun, lineage_key, trace_and_history_pages, viewer_page

DOC = "paris-declaration"


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
        phrases = ("reaffirm their unity", "may contribute to enforcing", "support the force")
        keys = [lineage_key(shared_demo_store, DOC, phrase) for phrase in phrases]
        found = clauses_in_translations(s, DOC, keys)
        preamble, left_out, united_states = (found[key] for key in keys)
    (t,) = preamble
    assert t["state"] == "translated" and t["language"] == "uk"
    assert "зібравшись у Парижі 7 січня 2026 року" in t["clauses"][0]["text"]
    assert [(d["kind"], d["old"], d["new"]) for d in t["divergences"]] == [("number", "6", "7")]
    assert t["similarity"] > 0.9
    assert [e["state"] for e in left_out] == ["left out"]
    assert left_out[0]["clauses"] == []
    assert [e["state"] for e in united_states] == ["not in source"]  # only the Earlier draft has it


def test_history_page_shows_the_translation_in_its_language(shared_demo_store: Path) -> None:
    key = lineage_key(shared_demo_store, DOC, "reaffirm their unity")
    section = _section(viewer_page(shared_demo_store, f"/d/{DOC}/history/{key}"))
    assert '<div lang="uk">Лідери держав-учасниць' in section
    assert (
        'number: <span lang="en">6</span> in Summit text → <span lang="uk">7</span> here' in section
    )
    assert f"/d/{DOC}/compare/" in section and "renders <a" in section
    left_out = lineage_key(shared_demo_store, DOC, "may contribute to enforcing")
    gone = _section(viewer_page(shared_demo_store, f"/d/{DOC}/history/{left_out}"))
    assert "left out" in gone and "leaves the clause of Summit text out" in gone


def test_trace_page_lists_each_traced_clause_in_translation(shared_demo_store: Path) -> None:
    body = viewer_page(shared_demo_store, f"/d/{DOC}/trace", q="support the force")
    section = _section(body)
    assert "not in source" in section and "not in Summit text" in section
    assert "Article 3 — Role of the United States › 1" in section
    body = viewer_page(shared_demo_store, f"/d/{DOC}/trace", q="ceasefire")
    section = _section(body)
    assert section.count('<div lang="uk">') >= 2 and "припинення вогню" in section


def test_a_document_without_translations_shows_none(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    texts = {"v1": "# Accord\n\n1. Die Frist beträgt „30 Tage“.\n",
             "v2": "# Accord\n\n1. Die Frist beträgt „60 Tage“.\n"}  # fmt: skip
    for page in trace_and_history_pages(store_path, cli_run, "accord", texts, "Frist"):
        assert 'id="in-translation"' not in page


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
        key = lineage_key(store_path, "accord", "term")
        (entry,) = clauses_in_translations(s, "accord", [key])[key]
    assert entry["state"] == "no source" and entry["source"] is None
