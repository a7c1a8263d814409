"""``search`` across the documents of a store, and ``history`` of one clause."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRun


def test_search_finds_documents_versions_and_clauses(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo_store, "search", "Ceasefire Monitoring Mechanism", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {m["document"] for m in data["matches"]} == {"paris-declaration"}
    labels = {label for m in data["matches"] for label in m["versions"]}
    assert labels == {"Outline", "Earlier draft", "Summit text"}
    for m in data["matches"]:
        assert "ceasefire monitoring mechanism" in m["text"].lower()
        assert m["score"] == 1.0 and m["key"]


def test_search_spans_documents_and_languages(demo_store: Path, cli_run: CliRun) -> None:
    data = json.loads(cli_run("--store", demo_store, "search", "Paris", "--json").out)
    assert {m["document"] for m in data["matches"]} == {"paris-declaration", "koordinierungsgruppe"}
    german = cli_run("--store", demo_store, "search", "koordinierungsgruppe", "--json")
    assert german.code == 0
    hits = json.loads(german.out)["matches"]
    assert hits and all(m["document"] == "koordinierungsgruppe" for m in hits)


def test_search_text_output_and_no_match(demo_store: Path, cli_run: CliRun) -> None:
    found = cli_run("--store", demo_store, "search", "special headquarters")
    assert found.code == 0 and "paris-declaration" in found.out and "in: Summit text" in found.out
    none = cli_run("--store", demo_store, "search", "no such words anywhere")
    assert none.code == 0 and none.out.startswith("no clause holds")


def test_fuzzy_search_ranks_the_quoted_clause_first(demo_store: Path, cli_run: CliRun) -> None:
    """A reporter's paraphrase finds the draft clause it most likely comes from."""
    quote = "the United States would commit to support the force if it came under attack"
    result = cli_run("--store", demo_store, "search", quote, "--fuzzy", "--json")
    assert result.code == 0, result.err
    matches = json.loads(result.out)["matches"]
    assert matches[0]["text"].startswith("The United States commits to support the force")
    assert matches[0]["versions"] == ["Earlier draft"]
    assert 0.6 <= matches[0]["score"] < 1.0
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_history_by_number_in_latest_version(demo_store: Path, cli_run: CliRun) -> None:
    """ "Article 3(1)" is resolved in the latest version that has it: the Summit text's
    ceasefire monitoring clause, which was Article 4(1) in the earlier versions."""
    result = cli_run(
        "--store", demo_store, "history", "paris-declaration", "Article 3(1)", "--json"
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    rows = data["versions"]
    # the Ukrainian rendering is a translation, kept out of the lineages
    assert [r["state"] for r in rows] == ["present", "present", "present"]
    assert all("ceasefire monitoring mechanism" in r["clauses"][0]["text"] for r in rows[:3])
    deleted = "".join(w["text"] for w in rows[2]["words"] if w["op"] == "delete")
    assert "participation of the United States" in deleted
    assert {r["clauses"][0]["key"] for r in rows[:3]} == {data["key"]}


def test_history_by_key_and_text_output(demo_store: Path, cli_run: CliRun) -> None:
    trace = cli_run(
        "--store", demo_store, "trace", "paris-declaration", "support the force", "--json"
    )
    key = json.loads(trace.out)["timeline"][0]["clauses"][0]["key"]
    result = cli_run("--store", demo_store, "history", "paris-declaration", key)
    assert result.code == 0, result.err
    assert "[-shall-]{+commits to+}" in result.out
    assert "Summit text" in result.out and "absent" in result.out


def test_history_unknown_clause_is_one_line_error(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo_store, "history", "paris-declaration", "Article 99(9)")
    assert result.code == 2 and result.err.startswith("error: ") and result.err.count("\n") == 1


def test_engine_search_and_history_without_a_store() -> None:
    from drafttrack.model import VersionText
    from drafttrack.phrase_search import search
    from drafttrack.trace import history

    def ver(n: int, text: str) -> VersionText:
        meta = {"id": f"id{n}", "label": f"v{n}", "position": n, "completeness": "full"}
        return VersionText(meta, text)

    uk = [ver(1, "# Заява\n\n1. Група «координує» допомогу.\n"),
          ver(2, "# Заява\n\n1. Група „координує“ гуманітарну допомогу.\n")]  # fmt: skip
    de = [ver(1, "# Erklärung\n\n1. Die Gruppe koordiniert die Hilfe.\n")]
    found = search({"uk": uk, "de": de}, "група координує")
    assert [(m["document"], m["versions"]) for m in found["matches"]] == [
        ("uk", ["v1"]), ("uk", ["v2"]),
    ]  # fmt: skip
    rows = history("uk", uk, "1")["versions"]
    assert [r["state"] for r in rows] == ["present", "present"]
    inserted = "".join(w["text"] for w in rows[1]["words"] if w["op"] == "insert")
    assert "гуманітарну" in inserted
