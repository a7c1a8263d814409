"""``drafttrack diff`` on a real store: text and JSON formats, defaults, errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SHARED, CliRun, snapshot


def test_json_is_the_contract(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run(
        "--store", demo_store, "diff", "paris-declaration", "Earlier draft", "Summit text",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["document"] == "paris-declaration"
    assert (data["old"]["label"], data["new"]["label"]) == ("Earlier draft", "Summit text")
    assert data["summary"]["removed"] == 3 and data["summary"]["added"] == 3
    removed = " ".join(c["old"][0]["text"] for c in data["changes"] if c["kind"] == "removed")
    assert "support the force in case of attack" in removed
    germany = next(c for c in data["changes"] if c["new"] and "Germany" in c["new"][0]["text"])
    assert {"op": "insert", "text": ", such as Germany,"} in germany["words"]


def test_defaults_compare_latest_with_the_version_before(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo_store, "diff", "paris-declaration", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    # the latest version is the Ukrainian rendering of the summit text
    assert (data["old"]["label"], data["new"]["label"]) == ("Summit text", "Summit text (uk)")
    assert data["mode"] == "cross-language"
    one = json.loads(
        cli_run(
            "--store", demo_store, "diff", "paris-declaration", "Outline", "--format", "json"
        ).out
    )  # fmt: skip
    assert (one["old"]["label"], one["new"]["label"]) == ("Outline", "Summit text (uk)")


def test_text_redline_without_colour(demo_store: Path, cli_run: CliRun) -> None:
    pair = ("Earlier draft", "Summit text")
    result = cli_run("--store", demo_store, "diff", "paris-declaration", *pair, "--changes-only")
    assert result.code == 0, result.err
    out = result.out
    assert "\x1b[" not in out
    assert "{+, such as Germany,+}" in out
    assert "[-The United States commits to support the force in case of attack.-]" in out
    assert "[renumbered Article 4 → Article 3]" in out
    assert "Article 6" not in out
    full = cli_run("--store", demo_store, "diff", "paris-declaration", *pair, "--no-color").out
    assert "Article 6" in full


def test_substantive_only_hides_editorial(
    store_path: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text("1. The parties “agree” to meet.\n2. Meetings are held in Paris every month.\n")
    new.write_text('1. The parties "agree" to meet.\n2. Meetings are held in Kyiv every month.\n')
    for path in (old, new):
        assert cli_run("--store", store_path, "add", "d", path).code == 0
    data = json.loads(
        cli_run("--store", store_path, "diff", "d", "--substantive-only", "--format", "json").out
    )
    assert [c["new"][0]["text"] for c in data["changes"]] == [
        "Meetings are held in Kyiv every month."
    ]
    assert data["summary"]["editorial"] == 1
    text = cli_run("--store", store_path, "diff", "d", "--substantive-only").out
    assert "[-Paris-]{+Kyiv+}" in text
    assert "“agree”" not in text.split("\n", 2)[2].split("Meetings")[1]


def test_errors_are_one_line_and_leave_the_store(
    demo_store: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    single = tmp_path / "single.md"
    single.write_text("1. Only one version.\n")
    assert cli_run("--store", demo_store, "add", "single", single).code == 0
    before = snapshot(demo_store)
    for args in (
        ("diff", "no-such-doc"),
        ("diff", "paris-declaration", "no-such-version"),
        ("diff", "paris-declaration", "first", "latest", "--format", "pdf"),
        ("diff", "single"),
    ):
        result = cli_run("--store", demo_store, *args)
        assert result.code == 2, (args, result.out)
        assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert snapshot(demo_store) == before


def test_colour_redline_and_context() -> None:
    from drafttrack.compare import compare
    from drafttrack.render_text import render_text
    from tests.conftest import DEMO

    old = (DEMO / "paris-declaration" / "earlier-draft.md").read_text("utf-8")
    new = (DEMO / "paris-declaration" / "summit-text.md").read_text("utf-8")
    comparison = compare(old, new)
    coloured = render_text(comparison, color=True, changes_only=True)
    assert "\x1b[" in coloured and "{+" not in coloured
    assert "Germany" in coloured
    lines = render_text(comparison, changes_only=True).splitlines()
    germany = next(i for i, line in enumerate(lines) if "Germany" in line)
    assert lines[germany - 1].startswith("= Article 2 › 3")
    assert any(line.strip() == "…" for line in lines)


def test_json_substantive_only_keeps_the_full_summary(demo_store: Path, cli_run: CliRun) -> None:
    import gc

    args = ("--store", demo_store, "diff", "paris-declaration", "1", "3", "--format", "json")
    full = json.loads(cli_run(*args).out)
    result = cli_run(*args, "--substantive-only")
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert list(shown) == list(full) and shown["summary"] == full["summary"]
    assert 0 < len(shown["changes"]) < len(full["changes"])
    assert shown["changes"] == [
        c
        for c in full["changes"]
        if not c["editorial"] and (c["kind"] != "unchanged" or c["moved"] or c["renumbered"])
    ]
    assert gc.isenabled()  # the collector paused for the comparison is running again


FRONT_1 = """---
title: Terms of Service
updated: 2021-03-01
---

# Terms of Service

1. The Parties shall cooperate in good faith.

2. Either Party may end this agreement with thirty days' notice.
"""
FRONT_2 = FRONT_1.replace("updated: 2021-03-01", "updated: 2022-07-15\nstatus: final")


def test_front_matter_is_metadata_unless_asked_as_text(
    tmp_path: Path, store_path: Path, cli_run: CliRun
) -> None:
    """A change of the YAML front matter alone is an editorial ``metadata`` change (shown, never
    substantive); ``--front-matter-as-text`` judges it as text."""
    for label, text in (("v1", FRONT_1), ("v2", FRONT_2)):
        (tmp_path / f"{label}.md").write_text(text, "utf-8")
        added = cli_run(
            "--store", store_path, "add", "tos", tmp_path / f"{label}.md", "--label", label
        )
        assert added.code == 0, added.err
    data = json.loads(cli_run("--store", store_path, "diff", "tos", "--format", "json").out)
    touched = [c for c in data["changes"] if c["kind"] != "unchanged"]
    assert touched and {c["kind"] for c in touched} <= {"modified", "added", "removed"}
    assert all(c["editorial"] and c["editorial_kinds"] == ["metadata"] for c in touched)
    assert all(x["path"] == ["front matter"] for c in touched for x in c["old"] + c["new"])
    assert data["summary"]["editorial"] == len(touched)
    only = cli_run("--store", store_path, "diff", "tos", "--format", "json", "--substantive-only")
    assert json.loads(only.out)["changes"] == []
    text = cli_run(
        "--store", store_path, "diff", "tos", "--format", "json", "--front-matter-as-text"
    )
    as_text = [c for c in json.loads(text.out)["changes"] if c["kind"] != "unchanged"]
    assert [c["kind"] for c in as_text] == [c["kind"] for c in touched]
    assert not any(c["editorial"] for c in as_text)


def test_front_matter_changes_in_real_histories_are_never_substantive() -> None:
    """Every consecutive pair of corpus versions whose front matter differs: a change touching
    front matter only is editorial (``metadata`` unless the text rules already call it so)."""
    import re

    from drafttrack.compare import compare

    front = re.compile(r"\A---[ \t]*\n(.*?\n)---", re.S)
    seen = 0
    for folder in sorted((SHARED / "corpora").glob("*/*/")):
        texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.md"))]
        for old, new in zip(texts, texts[1:], strict=False):
            a, b = front.match(old), front.match(new)
            if not (a and b) or a.group(1).split() == b.group(1).split():
                continue
            for change in compare(old, new).changes:
                clauses = change.old + change.new
                if change.kind != "unchanged" and all(c.kind == "front_matter" for c in clauses):
                    seen += 1
                    assert change.editorial and change.editorial_kinds, change
    assert seen > 0  # the corpora do change their front matter
