"""Reports of a cross-language comparison: each clause beside its translation, in its language.

The demo's Ukrainian Summit text against the English one (one clause left out, 6 → 7 January):
the HTML and PDF reports show both sides with ``lang`` set per side and the changed number
marked on both; DOCX runs carry the language of the text they hold.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from drafttrack.export import ExportOptions
from drafttrack.export.html import render_html
from tests.conftest import CliRun

PAIR = ("paris-declaration", "Summit text", "Summit text (uk)")
REMOVED = "Participants that do not deploy troops, such as Germany, may contribute"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _ByLanguage(HTMLParser):
    """Text of the report's cells by their ``lang``, and the text of each ``<mark>``."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.marks: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        self.stack.append((tag, lang if lang is not None else self.lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    @property
    def lang(self) -> str | None:
        return self.stack[-1][1] if self.stack else None

    def handle_data(self, data: str) -> None:
        if self.lang:
            self.text.setdefault(self.lang, []).append(data)
        if any(tag == "mark" for tag, _ in self.stack):
            self.marks.append((self.lang or "", data))


def _export(cli_run: CliRun, store: Path, out: Path, fmt: str) -> Path:
    result = cli_run("--store", store, "export", *PAIR, "--format", fmt, "-o", out)
    assert result.code == 0, result.err
    return out


def _html_report(cli_run: CliRun, store: Path, tmp_path: Path) -> tuple[str, _ByLanguage]:
    """The cross-language HTML report of the demo pair, and its text by language."""
    html = _export(cli_run, store, tmp_path / "r.html", "html").read_text("utf-8")
    parsed = _ByLanguage()
    parsed.feed(html)
    return html, parsed


def test_html_report_shows_each_side_in_its_language_with_the_number_marked(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    html, parsed = _html_report(cli_run, shared_demo_store, tmp_path)
    english = " ".join(" ".join(parsed.text["en"]).split())
    ukrainian = " ".join(" ".join(parsed.text["uk"]).split())
    assert "meeting in Paris on 6 January 2026" in english
    assert "зібравшись у Парижі 7 січня 2026 року" in ukrainian
    assert REMOVED in english and "Germany" not in ukrainian  # the clause the translation lacks
    assert ("en", "6") in parsed.marks and ("uk", "7") in parsed.marks
    assert len(parsed.marks) == 3  # the two readings, and the legend's example
    assert "old text:" not in html  # the old text stands in its own column
    assert html.count('<td class="old" lang="en">') == html.count('<td class="new" lang="uk">')
    assert html.count('<td class="old" lang="en">') == 22  # every pair of the comparison
    assert "<del>Participants that do not deploy troops" in html


def test_every_word_of_both_versions_is_in_the_report(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    html, parsed = _html_report(cli_run, shared_demo_store, tmp_path)
    shown = {lang: set(" ".join(parts).split()) for lang, parts in parsed.text.items()}
    for label, lang in (("Summit text", "en"), ("Summit text (uk)", "uk")):
        text = cli_run("--store", shared_demo_store, "show", PAIR[0], label).out
        words = {w.strip("#*") for w in text.split()} - {"", "-", "1.", "2.", "3.", "4.", "5."}
        missing = {w for w in words if w not in shown[lang] and not re.fullmatch(r"\d+\.", w)}
        assert not missing, (label, sorted(missing)[:10])


def test_pdf_report_holds_both_columns(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    reader = pypdf.PdfReader(_export(cli_run, shared_demo_store, tmp_path / "r.pdf", "pdf"))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "6 January 2026" in text and "7 січня 2026" in text
    assert "similarity 0.99" in text and "number: 6 → 7" in text


def test_docx_runs_carry_the_language_of_their_text(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    pytest.importorskip("docx")
    out = _export(cli_run, shared_demo_store, tmp_path / "r.docx", "docx")
    import docx

    languages: dict[str, set[str]] = {}
    for paragraph in docx.Document(str(out)).paragraphs:
        for run in paragraph._p.iter(f"{W}r"):
            lang = run.find(f"{W}rPr/{W}lang")
            text = "".join(t.text or "" for t in run.iter(f"{W}t", f"{W}delText"))
            if lang is not None and text.strip():
                languages.setdefault(lang.get(f"{W}val"), set()).add(text)
    assert any(REMOVED in t for t in languages["en"])  # the removed clause, in English
    assert any("Лідери держав-учасниць" in t for t in languages["uk"])
    assert not any("Лідери" in t for t in languages["en"])
    with zipfile.ZipFile(out) as z:
        assert 'w:lang w:val="uk"' in z.read("word/document.xml").decode("utf-8")


def _report(old: str, new: str, span_old: list[int], span_new: list[int]) -> dict:
    def clause(text: str) -> dict:
        return {"key": "k", "number": None, "path": ["Préambule"], "text": text}

    divergence = {
        "kind": "number", "old": "30", "new": "90", "detail": "number",
        "old_clause": 0, "old_span": span_old, "new_clause": 0, "new_span": span_new,
    }  # fmt: skip
    version = {"id": "0123456789", "label": "v", "position": 1, "source": {"outlet": "o"}}
    return {
        "document": "d", "mode": "cross-language", "languages": ["fr", "de"],
        "old": {**version, "label": "« projet »"}, "new": {**version, "label": "„Entwurf“"},
        "summary": {"modified": 1},
        "changes": [{"kind": "modified", "moved": False, "renumbered": False, "editorial": False,
                     "editorial_kinds": [], "old": [clause(old)], "new": [clause(new)],
                     "similarity": 0.97, "words": [], "divergences": [divergence]}],
    }  # fmt: skip


def test_a_divergence_inside_markup_is_marked_on_the_visible_text() -> None:
    old = "Les parties disposent de **30 jours** « pour répondre »."
    new = "Die Parteien haben [90 Tage](https://example.org/frist) „zur Antwort“."
    report = _report(old, new, [old.index("30"), old.index("30") + 2],
                     [new.index("90"), new.index("90") + 2])  # fmt: skip
    html = render_html(report, ExportOptions())
    assert '<td class="old" lang="fr">' in html and '<td class="new" lang="de">' in html
    assert 'title="number: 90 on the other side"><strong>30</strong></mark>' in html
    assert (
        'title="number: 30 on the other side"><span class="ref" title="https://example.org/frist">90</span></mark>'
        in html
    )
    assert "**" not in html and "](" not in html  # formatted text, not markdown
    assert "« pour répondre »" in html and "„zur Antwort“" in html
    assert "« projet »" in html and "„Entwurf“" in html


def test_a_same_language_report_has_no_language_columns(
    shared_demo_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    result = cli_run("--store", shared_demo_store, "export", PAIR[0], "Earlier draft",
                     "Summit text", "--format", "html", "-o", tmp_path / "s.html")  # fmt: skip
    assert result.code == 0, result.err
    html = (tmp_path / "s.html").read_text("utf-8")
    main = re.sub(r'<div class="vouched".*?</div>', "", html.split("<main>", 1)[1])  # reports
    assert 'class="pair' not in html and "lang=" not in main
