"""``drafttrack check``: every stored version's clauses cover its text, or the lines are named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import drafttrack.segment_cache as segment_cache
from drafttrack.model import Clause
from tests.conftest import SHARED, CliRun, snapshot

CORPORA = SHARED / "corpora"
ABSENT = "shared/corpora is not present beside the repository"

TEXT = (
    "# Verordnung\n\nText eins.\n\n## § 2 Begriffe\n\n"
    'm)  "Kleinfahrzeug":\n\n    -   ein Fahrzeug A,\n\n\n    -   eine Fähre oder\n\nEnde.\n'
)


def _add(cli_run: CliRun, store: Path, tmp_path: Path, doc: str, text: str, label: str) -> None:
    source = tmp_path / f"{label}.md"
    source.write_text(text, "utf-8")
    assert cli_run("--store", store, "add", doc, source, "--label", label).code == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not CORPORA.is_dir(), reason="shared/corpora is not present beside the repository"
)
def test_a_store_of_the_whole_corpora_is_covered(
    cli_run: CliRun, store_path: Path, tmp_path: Path
) -> None:
    expected = 0
    for folder in sorted(p for p in CORPORA.glob("*/*") if p.is_dir()):
        files = sorted(folder.glob("[0-9]*.md"))
        staged = tmp_path / "staged" / folder.parent.name / folder.name
        staged.mkdir(parents=True)
        for f in files:
            shutil.copyfile(f, staged / f.name)
        slug = f"{folder.parent.name}-{folder.name}".replace("_", "-").lower()
        assert cli_run("--store", store_path, "import", slug, staged, "--no-index").code == 0
        expected += len(files)
    result = cli_run("--store", store_path, "check", "--json")
    assert result.code == 0, result.out[-2000:]
    report = json.loads(result.out)
    assert (report["versions"], report["not_covered"]) == (expected, 0)
    assert all(v["covered"] and not v["lines"] for d in report["documents"] for v in d["versions"])
    text = cli_run("--store", store_path, "check", "bundestag-gesetze-kredwg")
    assert text.code == 0
    assert text.out.splitlines()[-1] == "11/11 versions covered"


def test_a_version_that_loses_words_is_named_with_its_lines(
    cli_run: CliRun, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(cli_run, store_path, tmp_path, "mosel", "# Verordnung\n\nText eins.\n", "v1")
    _add(cli_run, store_path, tmp_path, "mosel", TEXT, "v2")
    segment = segment_cache.segment

    def buggy(text: str) -> list[Clause]:  # a segmentation bug: the ferry's clause is lost
        return [c for c in segment(text) if "Fähre" not in c.text]

    monkeypatch.setattr(segment_cache, "segment", buggy)
    shutil.rmtree(store_path / "drafttrack-cache", ignore_errors=True)
    result = cli_run("--store", store_path, "check")
    assert result.code == 1
    assert result.err == "error: 1 of 2 versions have words in no clause\n"
    assert result.out.splitlines() == [
        "mosel\tv1\tcovered",
        "mosel\tv2\tNOT COVERED: lines 12",
        "1/2 versions covered",
    ]
    as_json = json.loads(cli_run("--store", store_path, "check", "mosel", "--json").out)
    [doc] = as_json["documents"]
    assert [(v["label"], v["covered"], v["lines"]) for v in doc["versions"]] == [
        ("v1", True, []),
        ("v2", False, [[12, 12]]),
    ]
    assert as_json["not_covered"] == 1


def test_an_unknown_document_is_a_one_line_error(cli_run: CliRun, store_path: Path) -> None:
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "check", "no-such-doc")
    assert result.code == 2
    assert result.err == "error: no document 'no-such-doc' in the store\n"
    assert snapshot(store_path) == before
    bad = cli_run("--store", store_path, "check", "../x")
    assert bad.code == 2 and bad.err.startswith("error: ") and bad.err.count("\n") == 1
    assert snapshot(store_path) == before


def test_an_empty_store_has_nothing_to_cover(cli_run: CliRun, store_path: Path) -> None:
    result = cli_run("--store", store_path, "check")
    assert (result.code, result.out) == (0, "0/0 versions covered\n")
