"""Build real DOCX (python-docx) and PDF (WeasyPrint) drafts with numbered clauses for tests."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pytest

docx = pytest.importorskip("docx", reason="python-docx (a dependency) is not installed")
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.opc.packuri import PackURI  # noqa: E402
from docx.opc.part import Part  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


@dataclass(frozen=True)
class Draft:
    """A small draft in one language: article labels, then clauses per article."""

    lang: str
    title: str
    article: str
    articles: list[tuple[str, list[str]]]
    sub: list[str]
    """Sub-clauses (a), (b)… of the first clause of the first article."""


DRAFTS = {
    "en": Draft(
        "en",
        "Declaration on Security Guarantees",
        "Article",
        [
            (
                "Purpose",
                ["This declaration sets out the guarantees.", "The guarantees deter aggression."],
            ),
            ("Force", ["The participants will establish a force.", "Contributions are national."]),
        ],
        ["by land", "by sea"],
    ),
    "de": Draft(
        "de",
        "Erklärung über Sicherheitsgarantien",
        "Artikel",
        [
            (
                "Zweck",
                ["Diese Erklärung legt die „Garantien“ fest.", "Die Garantien schrecken ab."],
            ),
            ("Truppe", ["Die Teilnehmer bilden eine Truppe.", "Beiträge sind national."]),
        ],
        ["zu Lande", "zur See"],
    ),
    "uk": Draft(
        "uk",
        "Декларація про гарантії безпеки",
        "Стаття",
        [
            ("Мета", ["Ця декларація визначає «гарантії».", "Гарантії стримують агресію."]),
            ("Сили", ["Учасники створять сили.", "Внески визначаються національно."]),
        ],
        ["на суші", "на морі"],
    ),
}


def expected_numbers(draft: Draft) -> list[str]:
    """Every clause number the draft shows: "Article 1", "1.1", "(a)"…"""
    sub_fmt = "абвгд" if draft.lang == "uk" else "abcde"
    out = []
    for i, (_, clauses) in enumerate(draft.articles, 1):
        out.append(f"{draft.article} {i}")
        out += [f"{i}.{j}" for j in range(1, len(clauses) + 1)]
    out += [f"({sub_fmt[k]})" for k in range(len(draft.sub))]
    return out


def _numbering_xml(draft: Draft) -> bytes:
    sub_fmt = "russianLower" if draft.lang == "uk" else "lowerLetter"
    levels = [("decimal", f"{draft.article} %1"), ("decimal", "%1.%2"), (sub_fmt, "(%3)")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return (
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="90">{lvl_xml}'
        '</w:abstractNum><w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num></w:numbering>'
    ).encode()


def _number(paragraph: object, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(
        parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'
        )
    )


def build_docx(draft: Draft, *, tracked: bool = False, footnote: bool = False) -> bytes:
    """A Word file whose article and clause numbers come from numbering.xml, as Word writes."""
    document = docx.Document()
    numbering = document.part.numbering_part
    numbering._element = parse_xml(_numbering_xml(draft))  # our list definition only
    document.add_heading(draft.title, 1)
    for a, (heading, clauses) in enumerate(draft.articles):
        _number(document.add_heading(heading, 2), 0)
        for c, clause in enumerate(clauses):
            _number(document.add_paragraph(clause), 1)
            if a == 0 and c == 0:
                for sub in draft.sub:
                    _number(document.add_paragraph(sub), 2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Party", "Share"
    table.cell(1, 0).text, table.cell(1, 1).text = "Ukraine", "40 %"
    body = document.element.body
    if tracked:
        para = document.add_paragraph("Kept text ")
        para._p.append(
            parse_xml(
                f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="Editor" w:date="2026-01-06T00:00:00Z">'
                "<w:r><w:t>inserted words</w:t></w:r></w:ins>"
            )
        )
        para._p.append(
            parse_xml(
                f'<w:del xmlns:w="{W_NS}" w:id="2" w:author="Editor" w:date="2026-01-06T00:00:00Z">'
                "<w:r><w:delText> deleted words</w:delText></w:r></w:del>"
            )
        )
    if footnote:
        para = document.add_paragraph("A sentence with a note.")
        para._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:footnoteReference w:id="2"/></w:r>'))
        notes = (
            f'<w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>The note text.</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        ).encode()
        part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            notes,
            document.part.package,
        )
        document.part.relate_to(part, RT.FOOTNOTES)
    assert body is not None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(draft: Draft, *, pages: int = 3) -> bytes:
    """A WeasyPrint PDF: running header, "Page N of M" footer, hyphenated words, clauses."""
    weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
    sub_fmt = "абвгд" if draft.lang == "uk" else "abcde"
    filler = {
        "en": "The parties reaffirm their com~mit~ment to inter~national co~operation.",
        "de": "Die Teilnehmer bekräftigen ihre Sicher~heits~garantien für die Zu~sammen~arbeit.",
        "uk": "Учасники підтверджують свої зо~бов~язання щодо між~народ~ної співпраці.",
    }[draft.lang].replace("~", "&shy;")  # soft hyphens: WeasyPrint breaks lines there
    body = [f"<h1>{html.escape(draft.title)}</h1>"]
    for i, (heading, clauses) in enumerate(draft.articles, 1):
        body.append(f"<h2>{draft.article} {i} — {html.escape(heading)}</h2>")
        for j, clause in enumerate(clauses, 1):
            long = " ".join([html.escape(clause)] + [filler.replace(".", f" {k}.") for k in "ABC"])
            body.append(f"<p>{i}.{j} {long}</p>")
            if i == 1 and j == 1:
                body += [
                    f"<p>({sub_fmt[k]}) {html.escape(s)};</p>" for k, s in enumerate(draft.sub)
                ]
        body.append('<div style="break-after: page"></div>' if i < pages else "")
    page_word = {"en": "Page", "de": "Seite", "uk": "Сторінка"}[draft.lang]
    css = (
        "@page { size: A4; margin: 25mm 20mm;"
        " @top-center { content: 'CONFIDENTIAL DRAFT'; font-family: 'DejaVu Sans'; }"
        f" @bottom-center {{ content: '{page_word} ' counter(page) ' / ' counter(pages);"
        " font-family: 'DejaVu Sans'; } }"
        " body { font-family: 'DejaVu Serif'; font-size: 11pt; width: 95mm; text-align: justify; }"
    )
    head = f"<html lang='{draft.lang}'><head><style>{css}</style></head>"
    page = f"{head}<body>{''.join(body)}</body></html>"
    return weasyprint.HTML(string=page).write_pdf()
