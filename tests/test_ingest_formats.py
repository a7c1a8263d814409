"""DOCX, PDF and HTML drafts become Markdown with every clause and its number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafttrack.ingest import IngestError, ingest, markdown_table
from drafttrack.segment import segment
from tests.conftest import run_process, without_package
from tests.formats_builders import DRAFTS, build_docx, build_pdf, expected_numbers

LANGS = sorted(DRAFTS)


def clause_labels(text: str) -> set[str]:
    """Each clause's number as segmentation reads it, and the label it opens with."""
    labels = set()
    for clause in segment(text):
        if clause.number:
            labels.add(clause.number)
        head = clause.text.split(" ")
        labels.add(head[0])
        labels.add(" ".join(head[:2]))
    return labels


@pytest.mark.parametrize("lang", LANGS)
def test_docx_clauses_keep_word_numbering(lang: str) -> None:
    draft = DRAFTS[lang]
    result = ingest(build_docx(draft), f"draft-{lang}.docx")
    assert result.format == "docx" and result.extension == "docx"
    assert result.text.startswith(f"# {draft.title}\n")
    numbers = {clause.number for clause in segment(result.text)}
    assert set(expected_numbers(draft)) <= numbers, result.text
    for _, clauses in draft.articles:
        for clause in clauses:
            assert clause in result.text
    assert f"## {draft.article} 2 {draft.articles[1][0]}" in result.text
    assert "| Party | Share |" in result.text and "| Ukraine | 40 % |" in result.text


def test_docx_tracked_changes_accepted_with_warning_and_footnotes(
    store_path: Path, tmp_path: Path, cli_run
) -> None:
    file = tmp_path / "tracked.docx"
    file.write_bytes(build_docx(DRAFTS["en"], tracked=True, footnote=True))
    result = cli_run("--store", store_path, "add", "decl", file, "--json")
    assert result.code == 0, result.err
    assert "warning:" in result.err and "tracked changes accepted" in result.err
    shown = cli_run("--store", store_path, "show", "decl", "latest").out
    assert "Kept text inserted words" in shown
    assert "deleted words" not in shown
    assert "A sentence with a note.[1]" in shown and "[1] The note text." in shown
    version = json.loads(result.out)["version"]
    assert version["format"] == "docx" if "format" in version else True
    assert version["original"]["name"] == "tracked.docx"


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_clauses_headers_footers_and_hyphens(lang: str) -> None:
    draft = DRAFTS[lang]
    data = build_pdf(draft)
    result = ingest(data, f"draft-{lang}.pdf")
    assert result.format == "pdf"
    text = result.text
    assert set(expected_numbers(draft)) <= clause_labels(text), text
    assert "CONFIDENTIAL DRAFT" not in text
    assert " / 2" not in text and "Page 1" not in text and "Seite 1" not in text
    joined = {"en": "international", "de": "Sicherheitsgarantien", "uk": "міжнародної"}[lang]
    assert joined in text and "\u00ad" not in text
    for _, clauses in draft.articles:
        for clause in clauses:
            assert clause in text


def test_pdf_without_text_layer_is_refused() -> None:
    pypdf = pytest.importorskip("pypdf")
    import io

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(IngestError, match="scanned PDF: no text layer"):
        ingest(buffer.getvalue(), "scan.pdf")


HTML_DRAFT = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Entwurf</title>
<style>body { color: red }</style><script>document.write("tracking")</script></head>
<body><h1>Erklärung</h1><h2>Artikel 1 — Zweck</h2>
<ol><li>Die Teilnehmer „bekräftigen“ ihre Einheit.</li><li>Die Truppe wird gebildet.
<ol type="a"><li>zu Lande</li><li>zur See</li></ol></li></ol>
<ol start="3"><li>Dritter Punkt.</li></ol>
<ul><li>ein Stichpunkt</li></ul><p>Schluss<br>satz.</p></body></html>"""


def test_html_draft_becomes_markdown_with_headings_and_lists() -> None:
    result = ingest(HTML_DRAFT.encode(), "entwurf.html")
    text = result.text
    assert result.format == "html"
    assert text.startswith("# Erklärung\n\n## Artikel 1 — Zweck\n")
    assert "1. Die Teilnehmer „bekräftigen“ ihre Einheit." in text
    assert "(a) zu Lande" in text and "(b) zur See" in text
    assert "3. Dritter Punkt." in text and "- ein Stichpunkt" in text
    assert "tracking" not in text and "color" not in text
    numbers = {c.number for c in segment(text)}
    assert {"Artikel 1", "1", "2", "3", "(a)", "(b)"} <= numbers


NEWS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:type" content="article"><title>Leaders agree</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World news menu</a></nav>
<header>Daily Site masthead</header>
<article><h1>Leaders agree on guarantees</h1>
<p>PARIS — The leaders met in Paris on Tuesday and agreed a declaration on security guarantees
for Ukraine, according to the text seen by reporters of this newspaper.</p>
<p>The earlier draft had the United States commit to “support the force in case of attack”,
but that passage was dropped from the final text signed on the day.</p>
<p>A joint coordination group will work with a special headquarters in Paris.</p></article>
<aside>Read more: unrelated story teaser</aside><footer>Copyright Daily Site</footer>
<script>trackReader()</script></body></html>"""


def test_html_news_page_gives_article_text() -> None:
    text = ingest(NEWS_PAGE.encode(), "story.html").text
    assert "support the force in case of attack" in text
    assert "special headquarters in Paris" in text
    for chrome in ("World news menu", "masthead", "unrelated story", "Copyright", "trackReader"):
        assert chrome not in text


def test_content_wins_over_a_wrong_extension() -> None:
    docx_data = build_docx(DRAFTS["en"])
    assert ingest(docx_data, "really-a-docx.pdf").format == "docx"
    assert ingest(build_pdf(DRAFTS["de"], pages=1), "really-a-pdf.txt").format == "pdf"
    assert ingest(HTML_DRAFT.encode(), "entwurf.md").format == "html"


def test_missing_extra_names_the_install_command(tmp_path: Path) -> None:
    file = tmp_path / "draft.docx"
    file.write_bytes(build_docx(DRAFTS["en"]))
    store = tmp_path / "store"
    assert run_process("--store", store, "init").returncode == 0
    proc = run_process("--store", store, "add", "d", file, env=without_package(tmp_path, "docx"))
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.count("\n") == 1 and "reinstall drafttrack" in err


def test_html_table_becomes_a_markdown_table_with_short_rows_padded() -> None:
    page = (
        "<html><body><h1>Anhang</h1><table><tr><th>Partei</th><th>Anteil</th></tr>"
        "<tr><td>Ukraine | Kyjiw</td><td>40 %</td></tr><tr><td>Frankreich</td></tr></table>"
        "</body></html>"
    )
    text = ingest(page.encode(), "anhang.html").text
    assert "| Partei | Anteil |\n|---|---|\n| Ukraine \\| Kyjiw | 40 % |\n| Frankreich |  |" in text
    assert markdown_table([]) == ""
