"""News reports on the trace and history pages, on the demo: the Ukrainian relay and the German
machine translation quote and paraphrase the Earlier draft's United States clauses, and those
pages list each sentence, its outlet and chain, in its language, and the versions it matches."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import CliRun, lineage_key, trace_and_history_pages, viewer_page

DOC = "paris-declaration"
GERMAN = "die Vereinigten Staaten „die Truppe im Falle eines Angriffs unterstützen“"


def _reported(body: str) -> str:
    assert 'id="reported"' in body
    start = body.index('id="reported"')
    return body[start : body.index("<h2", start + 10) if "<h2" in body[start + 10 :] else None]


def test_history_page_lists_the_reports_and_marks_the_versions_they_match(
    shared_demo_store: Path,
) -> None:
    body = viewer_page(
        shared_demo_store,
        f"/d/{DOC}/history/{lineage_key(shared_demo_store, DOC, 'support the force')}",
    )
    section = _reported(body)
    assert '<q lang="de">Nach Angaben von Politico' in section and GERMAN in section
    assert section.count('<q lang="uk">') == 2  # the relay's headline and its quotation
    assert (
        "Politico → RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)"
        in section
    )
    assert section.count("Wording held by: Earlier draft") == 3
    rows = re.findall(r'<tr class="state-[a-z]+">.*?</tr>', body, re.S)
    badged = [r for r in rows if 'href="#reported"' in r]
    assert len(badged) == 1 and "Earlier draft" in badged[0]  # not the Outline, not the Summit


def test_trace_page_lists_the_reports_of_each_traced_clause(shared_demo_store: Path) -> None:
    section = _reported(viewer_page(shared_demo_store, f"/d/{DOC}/trace", q="support the force"))
    assert "<h3>Article 3 — Role of the United States › 1" in section
    assert GERMAN in section and section.count('<li class="kind-') == 3
    assert 'class="kind-quoted"' in section and 'class="kind-paraphrased"' in section
    ceasefire = viewer_page(shared_demo_store, f"/d/{DOC}/trace", q="ceasefire")
    assert 'id="reported"' not in ceasefire  # no report vouches for those clauses


def test_a_document_without_reports_has_no_reported_section(
    store_path: Path, cli_run: CliRun
) -> None:
    texts = {"v1": "# Accord\n\n1. La durée est de « 30 jours ».\n",
             "v2": "# Accord\n\n1. La durée est de « 60 jours ».\n"}  # fmt: skip
    for page in trace_and_history_pages(store_path, cli_run, "accord", texts, "durée"):
        assert 'id="reported"' not in page
