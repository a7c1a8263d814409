"""Hostile text in drafts and provenance stays inert in every text export (issue 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CliRun

PAYLOAD = (
    '1. Ceasefire <script>alert(1)</script> and <img src=x onerror="alert(2)"> '
    "[click](javascript:alert(3)) {{ 7*7 }}.\n"
)


@pytest.fixture
def hostile_store(store_path: Path, cli_run: CliRun) -> Path:
    add = ("--store", store_path, "add", "doc", "-", "--label")
    old = cli_run(*add, "Old <b>one</b>", input="1. Ceasefire monitoring.\n")
    source = ("--source", '<img src=x onerror="alert(4)">')
    new = cli_run(*add, "New <script>x</script>", *source, input=PAYLOAD)
    assert old.code == 0 and new.code == 0, (old.err, new.err)
    return store_path


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_exports_are_inert(
    hostile_store: Path, cli_run: CliRun, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = cli_run(
        "--store", hostile_store, "export", "doc", "1", "2", "--format", fmt, "-o", out
    )
    assert result.code == 0, result.err
    text = out.read_text("utf-8")
    assert not re.search(r"<\s*(script|img|b)\b", text, re.IGNORECASE), text
    if fmt == "md":  # a Markdown link to a script URL would be live once rendered
        assert not re.search(r"\]\(\s*javascript:", text, re.IGNORECASE)
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", text, re.IGNORECASE)
    assert "alert(1)" in text and "7*7" in text  # the words themselves are kept, as text
