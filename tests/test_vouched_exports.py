"""The HTML, PDF, Markdown and DOCX reports of a comparison carry, under each clause, the report
sentences vouching for its old or new wording (DOCX: a comment on the clause by the outlet,
quoting the sentence): real exports of the demo store with its reports, parsed back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from repo_store import Store
from repo_store.reports import list_reports
from tests.conftest import run_cli
from tests.web_support import make_app

DOC = "paris-declaration"
GERMAN = "die Vereinigten Staaten „die Truppe im Falle eines Angriffs unterstützen“"
LOGISTICS = "die USA würden der Truppe nachrichtendienstliche und logistische Hilfe leisten"
SUPPORT = "The United States commits to support the force in case of attack."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def export(store: Path, fmt: str, old: str, new: str, folder: Path, *flags: str) -> Path:
    out = folder / f"{old}-{new}{'-'.join(flags)}.{fmt}".replace(" ", "_")
    result = run_cli("--store", store, "export", DOC, old, new, "--format", fmt, "-o", out, *flags)
    assert result.code == 0, result.err
    return out


def words(text: str) -> str:
    return " ".join(text.split())


def test_html_report_lists_the_sentences_under_the_clause(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    html = export(shared_demo_store, "html", "Earlier draft", "Summit text", tmp_path).read_text()
    pattern = r'<div class="clause (\w+)" id="change-(\d+)">([^\n]*)</div>\n<div class="vouched"'
    blocks = re.findall(pattern + r' id="reported-(\d+)">([^\n]*)</div>', html)
    assert len(blocks) == 2 and html.count('class="vouched"') == 2
    (kind, number, clause, anchor, vouched), second = blocks
    assert kind == "removed" and number == anchor and SUPPORT in clause
    assert "3 report sentences" in vouched and '<q lang="de">' in vouched and GERMAN in vouched
    assert (
        "Ukraine-Nachrichten, 2026-01-07 — quoted, old wording (Earlier draft); Politico → "
        "RBK-Ukraine (uk) → Ukraine-Nachrichten (de, machine translation by DeepL)" in vouched
    )
    assert vouched.count("RBK-Ukraine, 2026-01-07") == 2 and "logistische" not in vouched
    assert "intelligence and logistical" in second[2] and LOGISTICS in second[4]
    assert ".vouched {" in html


def test_markdown_report_quotes_the_sentences_after_the_clause(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    md = export(shared_demo_store, "md", "Earlier draft", "Summit text", tmp_path).read_text()
    paragraphs = md.split("\n\n")
    at = next(i for i, p in enumerate(paragraphs) if SUPPORT in p)
    assert paragraphs[at].startswith("1. {--")
    reported = paragraphs[at + 1 : at + 4]
    assert all(p.startswith("> **Reported:** “") for p in reported)
    assert GERMAN in reported[2] and "— Ukraine-Nachrichten, 2026-01-07 — quoted" in reported[2]
    assert paragraphs[at + 4].startswith("2. {--The United States will provide intelligence")
    assert LOGISTICS in paragraphs[at + 6] and md.count("> **Reported:**") == 5


def test_docx_report_comments_each_clause_by_outlet_quoting_the_sentence(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    import docx

    path = export(shared_demo_store, "docx", "Earlier draft", "Summit text", tmp_path)
    comments = {c.comment_id: c for c in docx.Document(str(path)).comments}
    outlets = ("RBK-Ukraine", "Ukraine-Nachrichten")
    by_outlet = {i: c for i, c in comments.items() if c.author in outlets}
    assert sorted(c.author for c in by_outlet.values()) == ["RBK-Ukraine"] * 3 + [
        "Ukraine-Nachrichten"] * 2  # fmt: skip
    body = docx.Document(str(path)).element.body
    anchored: dict[int, str] = {}
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
        for mark in p.iter(f"{W}commentRangeStart"):
            ends = [e.get(f"{W}id") for e in p.iter(f"{W}commentRangeEnd")]
            refs = [r.get(f"{W}id") for r in p.iter(f"{W}commentReference")]
            assert mark.get(f"{W}id") in ends and mark.get(f"{W}id") in refs
            anchored[int(mark.get(f"{W}id") or -1)] = text
    german = [i for i, c in by_outlet.items() if GERMAN in c.text]
    assert len(german) == 1 and SUPPORT in anchored[german[0]]
    assert "quoted, old wording (Earlier draft)" in by_outlet[german[0]].text
    logistics = [i for i, c in by_outlet.items() if LOGISTICS in c.text]
    assert len(logistics) == 1 and "intelligence and logistical" in anchored[logistics[0]]
    with zipfile.ZipFile(path) as z:  # the comments part is related from the document
        assert "word/comments.xml" in z.namelist()
        assert "comments.xml" in z.read("word/_rels/document.xml.rels").decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_pdf_report_prints_the_sentences_under_the_clause(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    path = export(shared_demo_store, "pdf", "Earlier draft", "Summit text", tmp_path)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    text = words(done.stdout.decode("utf-8"))
    support, logistics = text.index(SUPPORT), text.index("will provide intelligence")
    german = text.index(GERMAN)
    assert support < german < logistics < text.index(LOGISTICS) < text.index("Ceasefire monitor")
    assert text.count("Ukraine-Nachrichten, 2026-01-07 — quoted, old wording (Earlier") == 1


def test_changes_only_report_and_the_viewer_download(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    md = export(shared_demo_store, "md", "Summit text", "Earlier draft", tmp_path,
                "--changes-only").read_text()  # fmt: skip
    assert md.count("> **Reported:**") == 5 and "new wording (Earlier draft)" in md
    with Store.open(shared_demo_store) as s:
        ids = {v.label: v.id for v in s.versions(DOC)}
    client = make_app(shared_demo_store).test_client()
    base = f"/d/{DOC}/export/{ids['Earlier draft']}/{ids['Summit text']}"
    got = client.get(base + ".md")
    assert got.status_code == 200 and got.get_data(as_text=True).count("> **Reported:**") == 5
    html = client.get(base + ".html").get_data(as_text=True)
    assert html.count('class="vouched"') == 2 and GERMAN in html
    data = json.loads(client.get(base + ".json").get_data())  # the diff contract, untouched
    assert "evidence" not in data and "Reported" not in json.dumps(data)


def test_reports_removed_leave_the_exports_as_without_reports(
    shared_demo_store: Path, tmp_path: Path
) -> None:
    """A comparison no sentence vouches for exports the same bytes with and without reports;
    once the reports are removed, the Earlier draft's exports carry no sentence."""
    store = tmp_path / "store"
    shutil.copytree(shared_demo_store, store)
    first, second = tmp_path / "with", tmp_path / "without"
    first.mkdir()
    second.mkdir()
    before = {fmt: export(store, fmt, "Outline", "Summit text", first).read_bytes()
              for fmt in ("html", "md", "json")}  # fmt: skip
    with Store.open(store) as s:
        reports = {r["outlet"]: r["id"] for r in list_reports(s, DOC)}
    for outlet in ("Ukraine-Nachrichten", "RBK-Ukraine", "Politico"):  # relays first
        assert run_cli("--store", store, "report", "remove", DOC, reports[outlet]).code == 0
    for fmt, data in before.items():
        assert export(store, fmt, "Outline", "Summit text", second).read_bytes() == data, fmt
    for fmt in ("html", "md"):
        text = export(store, fmt, "Earlier draft", "Summit text", second).read_text()
        assert "Reported" not in text and "vouched" not in text and SUPPORT in text
