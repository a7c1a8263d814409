"""Reports as files: DOCX tracked changes, self-contained HTML, CriticMarkup, JSON, PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from drafttrack.export import ExportOptions, export_report
from tests.conftest import run_process, snapshot, without_package, without_pango

REMOVED = "The United States commits to support the force in case of attack."
ADDED = "A joint coordination group will ensure the full integration of the forces"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAIR = ("paris-declaration", "Earlier draft", "Summit text")


def export(cli_run, store: Path, out: Path, fmt: str, *extra: str) -> bytes:
    result = cli_run("--store", store, "export", *PAIR, "--format", fmt, "-o", out, *extra)
    assert result.code == 0, result.err
    return out.read_bytes()


def squash(text: str) -> str:
    return " ".join(text.split())


def current(paragraph: object) -> str:
    """A paragraph's text with insertions accepted (python-docx's ``.text`` skips ``w:ins``)."""
    return "".join(t.text or "" for t in paragraph._p.iter(f"{W}t"))  # type: ignore[attr-defined]


def test_docx_has_tracked_changes_by_the_newer_outlet(
    demo_store: Path, tmp_path: Path, cli_run
) -> None:
    docx = pytest.importorskip("docx")
    data = export(cli_run, demo_store, tmp_path / "report.docx", "docx")
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    deletions = {"".join(t.text for t in d.iter(f"{W}delText")): d for d in body.iter(f"{W}del")}
    insertions = {"".join(t.text for t in i.iter(f"{W}t")): i for i in body.iter(f"{W}ins")}
    removed = next(d for text, d in deletions.items() if REMOVED in text)
    added = next(i for text, i in insertions.items() if ADDED in text)
    for mark in (removed, added):
        assert mark.get(f"{W}author") == "Summit communiqué (illustrative)"
        assert mark.get(f"{W}date") == "2026-01-06T00:00:00Z"
    # The removed clause's paragraph mark is a deletion too: rejecting it restores the paragraph.
    paragraph = removed.getparent()
    assert paragraph.find(f"{W}pPr/{W}rPr/{W}del") is not None
    headings = [current(p) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Article 2 — Multinational Force Ukraine" in headings
    assert "Article 4 — Coordination" in headings  # an inserted heading, as a heading
    numbered = [current(p) for p in document.paragraphs if p.text.startswith("4. Participants")]
    assert numbered and "such as Germany" in numbered[0]


def test_docx_marks_a_moved_clause_with_a_comment(
    store_path: Path, tmp_path: Path, cli_run
) -> None:
    docx = pytest.importorskip("docx")
    first = "The first paragraph talks about apples and pears at length."
    old = (
        f"# T\n\n## Part A\n\n{first}\n\nThe navy and the army.\n\n## Part B\n\nMoney and banks.\n"
    )
    new = (
        f"# T\n\n## Part A\n\nThe navy and the army.\n\n## Part B\n\nMoney and banks.\n\n{first}\n"
    )
    for label, text in (("one", old), ("two", new)):
        args = ("--store", store_path, "add", "t", "-", "--label", label, "--source", "Le Monde")
        assert cli_run(*args, input=text).code == 0
    out = tmp_path / "moved.docx"
    result = cli_run("--store", store_path, "export", "t", "one", "two", "--format", "docx",
                     "-o", out)  # fmt: skip
    assert result.code == 0, result.err
    comments = list(docx.Document(out).comments)
    assert [c.text for c in comments] == ["moved"]
    assert comments[0].author == "Le Monde"


def test_docx_converts_with_libreoffice(demo_store: Path, tmp_path: Path, cli_run) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    export(cli_run, demo_store, tmp_path / "report.docx", "docx")
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "report.docx")],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    pypdf = pytest.importorskip("pypdf")
    text = squash(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))
    assert "Multinational Force Ukraine" in text


_RESOURCE = re.compile(r"""(?:src|href|action|poster|data)\s*=|url\(|@import|<link|<script""", re.I)


def test_html_report_is_self_contained_and_escaped(
    demo_store: Path, tmp_path: Path, cli_run
) -> None:
    html = export(cli_run, demo_store, tmp_path / "r.html", "html").decode("utf-8")
    assert not _RESOURCE.search(html)
    assert f"<del>{REMOVED}</del>" in html
    assert f"<ins>{ADDED}" in html
    assert "Politico via RBK-Ukraine, Ukraine-Nachrichten; reported 2026-01-07" in html
    assert "Summit communiqué (illustrative); reported 2026-01-06" in html
    assert "@media print" in html and "break-inside: avoid" in html


def test_html_escapes_every_text(store_path: Path, tmp_path: Path, cli_run) -> None:
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    for label, text in (("a", "# T\n\nPlain clause.\n"), ("b", f"# T\n\nPlain clause. {evil}\n")):
        args = ("--store", store_path, "add", "t", "-", "--label", label, "--source", "<b>Out</b>")
        assert cli_run(*args, input=text).code == 0, text
    out = tmp_path / "e.html"
    assert cli_run("--store", store_path, "export", "t", "a", "b", "--format", "html", "-o", out,
                   "--title", "<i>T</i>").code == 0  # fmt: skip
    html = out.read_text("utf-8")
    assert "<script" not in html and "<img" not in html and "<i>T</i>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Out&lt;/b&gt;" in html
    assert "<title>&lt;i&gt;T&lt;/i&gt;</title>" in html


@pytest.mark.browser
def test_html_report_opens_with_network_blocked(demo_store: Path, tmp_path: Path, cli_run) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    path = tmp_path / "r.html"
    export(cli_run, demo_store, path, "html")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page(java_script_enabled=False)
            page.on("request", lambda r: requests.append(r.url))
            page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
            page.goto(path.as_uri())
            deleted = page.locator("del", has_text="support the force in case of attack")
            assert deleted.count() == 1 and deleted.is_visible()
            assert page.locator("ins", has_text="joint coordination group").count() == 1
        finally:
            browser.close()
    assert requests == [path.as_uri()]


def test_markdown_critic_markup_and_provenance(store_path: Path, tmp_path: Path, cli_run) -> None:
    old = "# Plan\n\n1. The force deploys in March.\n2. The United States commits to help.\n"
    new = "# Plan\n\n1. The force deploys in April.\n2. A coordination group is set up.\n"
    for label, text, outlet in (("v1", old, "Politico"), ("v2", new, "Reuters")):
        args = ["--store", store_path, "add", "p", "-", "--label", label, "--source", outlet]
        assert cli_run(*args, "--reported-on", "2026-01-0" + label[1], input=text).code == 0
    out = tmp_path / "p.md"
    assert cli_run("--store", store_path, "export", "p", "v1", "v2", "--format", "md",
                   "-o", out).code == 0  # fmt: skip
    md = out.read_text("utf-8")
    assert md.startswith("# p: v1 → v2\n")
    assert "- **Old:** v1" in md and "Politico; reported 2026-01-01" in md
    assert "- **New:** v2" in md and "Reuters; reported 2026-01-02" in md
    assert "{~~March~>April~~}" in md
    assert "{--" in md and "{++" in md


def test_demo_markdown_holds_the_removed_and_added_clauses(
    demo_store: Path, tmp_path: Path, cli_run
) -> None:
    md = export(cli_run, demo_store, tmp_path / "r.md", "md").decode("utf-8")
    assert f"{{--{REMOVED}--}}" in md
    assert f"{{++{ADDED}" in md


def test_json_export_is_the_diff_contract(demo_store: Path, tmp_path: Path, cli_run) -> None:
    exported = json.loads(export(cli_run, demo_store, tmp_path / "r.json", "json"))
    diffed = json.loads(cli_run("--store", demo_store, "diff", *PAIR, "--format", "json").out)
    assert exported == diffed
    assert set(exported) == {"document", "old", "new", "summary", "changes"}


def test_changes_only_context_and_title(demo_store: Path, tmp_path: Path, cli_run) -> None:
    unchanged = "This declaration sets out the security guarantees"
    full = export(cli_run, demo_store, tmp_path / "a.html", "html").decode()
    only = export(cli_run, demo_store, tmp_path / "b.html", "html", "--changes-only").decode()
    ctx = export(cli_run, demo_store, tmp_path / "c.html", "html", "--context", "1").decode()
    assert unchanged in full and unchanged not in only
    assert "unchanged clauses not shown" in only and "unchanged clauses not shown" not in full
    assert len(only) < len(ctx) < len(full)
    titled = export(cli_run, demo_store, tmp_path / "d.md", "md", "--title", "Briefing: Paris")
    assert titled.decode().startswith("# Briefing: Paris\n")


def test_pdf_report_text_and_fonts(demo_store: Path, tmp_path: Path, cli_run) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    data = export(cli_run, demo_store, tmp_path / "r.pdf", "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = squash(" ".join(p.extract_text() for p in reader.pages))
    assert REMOVED in text and "joint coordination group" in text
    if shutil.which("pdftotext"):
        proc = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                              check=True)  # fmt: skip
        assert REMOVED in squash(proc.stdout.decode("utf-8"))


def test_pdf_covers_cyrillic_and_typographic_quotes(
    store_path: Path, tmp_path: Path, cli_run
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    old = "# Декларація\n\n1. Учасники створять сили „Україна“.\n"
    new = "# Декларація\n\n1. Учасники створять «Багатонаціональні сили» “Україна”.\n"
    for label, text in (("a", old), ("b", new)):
        assert (
            cli_run("--store", store_path, "add", "d", "-", "--label", label, input=text).code == 0
        )
    out = tmp_path / "d.pdf"
    result = cli_run("--store", store_path, "export", "d", "a", "b", "--format", "pdf", "-o", out,
                     "--paper", "letter")  # fmt: skip
    assert result.code == 0, result.err
    reader = pypdf.PdfReader(out)
    text = squash(" ".join(p.extract_text() for p in reader.pages))
    assert "«Багатонаціональні сили»" in text and "“Україна”" in text and "„Україна“" in text
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # Letter
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("DejaVu" in f for f in fonts), fonts


def test_export_errors_are_one_line_and_leave_the_store(
    demo_store: Path, tmp_path: Path, cli_run
) -> None:
    before = snapshot(demo_store)
    cases = [
        ("paris-declaration", "No such label", "Summit text", tmp_path / "x.html"),
        ("paris-declaration", "Earlier draft", "Summit text", tmp_path / "missing" / "x.html"),
        ("no-such-doc", "1", "2", tmp_path / "y.html"),
    ]
    for doc, old, new, out in cases:
        result = cli_run("--store", demo_store, "export", doc, old, new, "--format", "html",
                         "-o", out)  # fmt: skip
        assert result.code == 2 and result.err.startswith("error: ")
        assert result.err.count("\n") == 1, result.err
        assert not out.exists()
    assert snapshot(demo_store) == before


def test_without_pango_only_pdf_fails_and_names_what_to_install(
    demo_store: Path, tmp_path: Path
) -> None:
    env = without_pango(tmp_path)
    out = tmp_path / "r.pdf"
    before = snapshot(demo_store)
    proc = run_process("--store", demo_store, "export", *PAIR, "--format", "pdf", "-o", out,
                       env=env)  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1, err
    assert err.startswith("error: pdf export: PDF reports need the Pango library: ")
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err and not out.exists()
    for fmt in ("html", "docx"):  # everything else works
        other = tmp_path / f"r.{fmt}"
        proc = run_process("--store", demo_store, "export", *PAIR, "--format", fmt, "-o", other,
                           env=env)  # fmt: skip
        assert proc.returncode == 0 and other.stat().st_size > 0, proc.stderr
    proc = run_process("--store", demo_store, "diff", *PAIR, "--format", "json", env=env)
    assert proc.returncode == 0 and json.loads(proc.stdout)["changes"]
    assert snapshot(demo_store) == before


def test_export_without_the_extra_names_the_install_command(
    demo_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.docx"
    proc = run_process("--store", demo_store, "export", *PAIR, "--format", "docx", "-o", out,
                       env=without_package(tmp_path, "docx"))  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1, err
    assert "reinstall drafttrack" in err and "(docx)" in err and not out.exists()


def test_diff_speaks_markdown_and_html(demo_store: Path, cli_run) -> None:
    md = cli_run("--store", demo_store, "diff", *PAIR, "--format", "md")
    html = cli_run("--store", demo_store, "diff", *PAIR, "--format", "html")
    assert md.code == 0 and f"{{--{REMOVED}--}}" in md.out
    assert html.code == 0 and html.out.startswith("<!DOCTYPE html>")


def test_export_report_needs_no_store() -> None:
    report = {
        "document": "d",
        "old": {"id": "a1", "label": "A", "position": 1, "source": {"outlet": "X"}},
        "new": {"id": "b2", "label": "B", "position": 2, "source": {"outlet": "Y"}},
        "summary": {"modified": 1},
        "changes": [
            {"kind": "modified", "moved": False, "renumbered": False, "editorial": False,
             "old": [{"key": "c1", "number": "1", "path": [], "text": "One two."}],
             "new": [{"key": "c1", "number": "1", "path": [], "text": "One three."}],
             "similarity": 0.5,
             "words": [{"op": "equal", "text": "One "}, {"op": "delete", "text": "two."},
                       {"op": "insert", "text": "three."}]},
        ],
    }  # fmt: skip
    assert "1. One {~~two.~>three.~~}" in export_report("md", report).decode()
    html = export_report("html", report, ExportOptions(title="T")).decode()
    assert "<del>two.</del> <ins>three.</ins>" in html  # kept apart: two searchable words
    with zipfile.ZipFile(io.BytesIO(export_report("docx", report))) as archive:
        xml = archive.read("word/document.xml").decode()
    assert 'w:author="Y"' in xml and "<w:delText" in xml
