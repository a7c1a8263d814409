"""Acceptance on the demo store: the German report (a machine translation of a Ukrainian relay
of Politico) links its two United States claims to the Earlier draft's two United States
clauses, nothing else, shows the three-step chain; a claim of a clause no version has is
``claim_unmatched``; the clauses show the report as evidence."""

from __future__ import annotations

import json
from pathlib import Path

from drafttrack.service.evidence_view import report_json, reports_json, vouching
from repo_store import Store
from repo_store.reports import list_reports
from tests.conftest import CliRun

DOC = "paris-declaration"


def _german(store: Store) -> dict[str, object]:
    report = next(r for r in list_reports(store, DOC) if r["outlet"] == "Ukraine-Nachrichten")
    return report_json(store, DOC, report["id"])


def _us_clauses(store: Store) -> dict[str, str]:
    """Lineage key → text of the Earlier draft's two United States clauses."""
    from drafttrack.service.lineages import keyed_clauses

    version = store.resolve(DOC, "Earlier draft")
    return {c.key: c.text for c in keyed_clauses(store, version) if "United States" in c.text
            and "Article 3" in " ".join(c.path)}  # fmt: skip


def test_german_report_links_its_two_us_claims(shared_demo_store: Path) -> None:
    with Store.open(shared_demo_store) as store:
        shown = _german(store)
        us = _us_clauses(store)
    assert len(us) == 2
    linked = [s for s in shown["sentences"] if any(k["kind"] != "mentions" for k in s["links"])]
    keys = [k["key"] for s in linked for k in s["links"] if k["kind"] != "mentions"]
    assert sorted(keys) == sorted(us), [s["text"] for s in linked]
    for s in linked:
        for k in s["links"]:
            assert k["kind"] in ("quoted", "paraphrased")
            assert "Earlier draft" in k["versions"] and "Summit text" in k["lacking"]
    quoted = [s for s in linked if s["links"][0]["kind"] == "quoted"]
    assert quoted and "„die Truppe im Falle eines Angriffs unterstützen“" in quoted[0]["text"]
    # The summit sentences quote nothing and link nothing; page furniture is not a claim.
    for s in shown["sentences"]:
        if "Gipfel" in s["text"] or "Treffen" in s["text"] or "Presse" in s["text"]:
            assert not s["links"] and not s["claim_unmatched"], s["text"]
        if s["boilerplate"]:
            assert not s["links"] and not s["claim_unmatched"]
    assert not any(s["claim_unmatched"] for s in shown["sentences"])


def test_three_step_chain(shared_demo_store: Path) -> None:
    with Store.open(shared_demo_store) as store:
        shown = _german(store)
    chain = shown["chain"]
    assert [c["outlet"] for c in chain] == ["Ukraine-Nachrichten", "RBK-Ukraine", "Politico"]
    assert [c["language"] for c in chain] == ["de", "uk", "en"]
    assert chain[0]["machine_translated"] and chain[0]["translator"] == "DeepL"
    assert shown["chain_text"] == (
        "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)"
    )


def test_the_earlier_drafts_us_clauses_show_the_report_as_evidence(
    shared_demo_store: Path,
) -> None:
    with Store.open(shared_demo_store) as store:
        evidence = vouching(store, DOC)
        us = _us_clauses(store)
        politico = next(r for r in list_reports(store, DOC) if r["outlet"] == "Politico")
        head = report_json(store, DOC, politico["id"])
    for key in us:
        outlets = {e["outlet"] for e in evidence.get(key, [])}
        assert "Ukraine-Nachrichten" in outlets, key
        german = next(e for e in evidence[key] if e["outlet"] == "Ukraine-Nachrichten")
        assert german["chain_text"].startswith("Politico → RBK-Ukraine")
    unrelated = set(evidence) - set(us)
    assert not unrelated, unrelated
    # Politico's text is not held: its evidence is inherited through the translations.
    assert head["sentences"] == [] and head["inherited"]
    assert all(k["through_translation"] for k in head["inherited"])
    assert {k["key"] for k in head["inherited"]} == set(us)


def test_a_claim_no_version_has_is_claim_unmatched(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    import shutil

    store_path = tmp_path / "store"
    shutil.copytree(shared_demo_store, store_path)
    report = tmp_path / "claim.md"
    report.write_text(
        "Der Gipfel endete am Abend ohne eine gemeinsame Pressekonferenz aller Teilnehmer.\n\n"
        "Der vorherige Entwurf sah vor, dass Japan „eine ständige Marinebasis im Schwarzen Meer "
        "errichtet“.\n\n"
        "Außerdem hieß es im Entwurf, die USA würden der Truppe nachrichtendienstliche und "
        "logistische Hilfe leisten.\n",
        encoding="utf-8",
    )
    r = cli_run("--store", store_path, "report", "add", DOC, report, "--outlet", "Test")
    assert r.code == 0, r.err
    shown = json.loads(cli_run("--store", store_path, "report", "show", DOC, r.out.strip(),
                               "--json").out)  # fmt: skip
    flags = [(s["text"][:20], s["claim_unmatched"]) for s in shown["sentences"]]
    assert [f for _, f in flags] == [False, True, False], flags
    with Store.open(store_path) as store:
        listing = reports_json(store, DOC)
    assert any("Japan" in c["text"] for c in listing["unmatched_claims"])
