"""``drafttrack diff`` on a real store: text and JSON formats, defaults, errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRun, snapshot


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
