"""Readable redlines on Markdown: comparison on the visible text, markup kept as evidence.

The five cases of real converted policy pages are fixture pairs in ``tests/fixtures/redline/``
(title, ``=== old``, ``=== new``, ``=== expect`` with the expected summary as JSON); the
rendered views and reports of case 1 show formatted text with no Markdown syntax.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drafttrack.compare import compare, comparison_json
from drafttrack.export.html import render_html
from drafttrack.export.report import ExportOptions, visible_runs
from drafttrack.inline import parse_inline, visible_text
from drafttrack.model import WordOp
from drafttrack.numbering import split_number
from drafttrack.redline import Run, formatted, needs_gap, redline_runs
from drafttrack.rejoin import rejoin
from drafttrack.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "redline"
CASES = sorted(FIXTURES.glob("*.md"))


def read_case(path: Path) -> tuple[str, str, dict]:
    """(old text, new text, expectations) of a fixture file."""
    parts = re.split(r"^=== (old|new|expect)\n", path.read_text(encoding="utf-8"), flags=re.M)
    found = dict(zip(parts[1::2], parts[2::2], strict=True))
    return found["old"], found["new"], json.loads(found["expect"])


def version(label: str) -> dict:
    return {"id": label, "label": label, "position": 1, "source": {}}


def test_fixture_cases_are_there() -> None:
    assert [p.name.split("-")[0] for p in CASES] == [
        "case1", "case2", "case3", "case3", "case4", "case5",
    ]  # fmt: skip


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_summary(path: Path) -> None:
    old, new, expect = read_case(path)
    comparison = compare(old, new)
    summary = comparison.summary()
    for key, value in expect["summary"].items():
        assert summary[key] == value, (key, summary)
    if "substantive" in expect:
        assert len(comparison.substantive()) == expect["substantive"], summary
    changes = comparison.changes
    if "numbers" in expect:
        assert [(c.new or c.old)[0].number for c in changes] == expect["numbers"]
    if "editorial_kinds" in expect:
        assert [c.editorial_kinds for c in changes] == expect["editorial_kinds"]
    if "added" in expect:
        added = [visible_text(c.new[0].text) for c in changes if c.kind == "added"]
        assert added == expect["added"]
    for change in changes:
        assert change.editorial_kinds == [] or change.editorial
        assert not (change.renumbered and change.old[0].number is None and change.new[0].number)


def test_case1_redline_shows_visible_words_with_formatting() -> None:
    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    change = compare(old, new).changes[0]
    runs = redline_runs([c.text for c in change.old], [c.text for c in change.new], change.words)
    text = "".join(r.text for r in runs)
    assert "**" not in text and "](" not in text and "example.org" not in text
    assert [(r.op, r.text) for r in runs if r.op != "equal"] == [
        ("delete", "services"), ("insert", "products"),
    ]  # fmt: skip
    marks = {r.text: (r.marks, r.target) for r in runs}
    assert marks["Scope."] == (("strong",), None)
    assert marks["nothing else"] == (("em",), None)
    assert marks["services"] == (("link",), "https://example.org/s")
    assert marks["products"] == (("link",), "https://example.org/p")
    # The JSON contract keeps the source: clause text and word ops as written.
    data = comparison_json("d", version("a"), version("b"), compare(old, new))
    assert data["changes"][0]["new"][0]["text"].startswith("**Scope.**")
    assert data["changes"][0]["editorial_kinds"] == []


def test_plain_texts_give_the_word_diff_unchanged() -> None:
    words = [WordOp("equal", "One "), WordOp("delete", "two"), WordOp("insert", "three")]
    runs = redline_runs(["One two"], ["One three"], words)
    assert [(r.op, r.text, r.marks) for r in runs] == [(w.op, w.text, ()) for w in words]
    assert formatted("Plain (a) text, 3 < 4 & 5") == [Run("equal", "Plain (a) text, 3 < 4 & 5")]
    assert [r.text for r in formatted("Plain text")] == ["Plain text"]


def test_deletion_then_insertion_is_separated_in_the_html_report() -> None:
    old, new, _ = read_case(FIXTURES / "case5-glued-words.md")
    data = comparison_json("d", version("a"), version("b"), compare(old, new))
    html = render_html(data, ExportOptions())
    assert "environment</del> <ins>planet" in html, html
    assert "third-party</del> <ins>external" in html
    runs = visible_runs(data["changes"][0])
    pairs = list(zip([None, *runs], runs, strict=False))
    assert any(needs_gap(a, b) for a, b in pairs)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize(
    ("name", "words"),
    [("case1-markup-shown.md", ["services", "products"]),
     ("case5-glued-words.md", ["environment", "planet", "third-party", "external"])],
)  # fmt: skip
def test_pdf_text_layer_keeps_both_words(tmp_path: Path, name: str, words: list[str]) -> None:
    from drafttrack.export.pdf import render_pdf

    old, new, _ = read_case(FIXTURES / name)
    data = comparison_json("d", version("a"), version("b"), compare(old, new))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(data, ExportOptions()))
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    found = re.findall(r"[\w-]+", out)
    for word in words:
        assert word in found, (word, out)
    assert "**" not in out and "](" not in out and "example.org" not in out


def test_docx_report_has_formatted_runs() -> None:
    import io

    import docx

    from drafttrack.export.docx import render_docx

    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    data = comparison_json("d", version("a"), version("b"), compare(old, new))
    document = docx.Document(io.BytesIO(render_docx(data, ExportOptions())))
    xml = document.element.xml
    assert "**" not in xml and "](" not in xml
    assert "<w:b/>" in xml and "<w:i/>" in xml
    assert re.search(r"<w:delText[^>]*>services</w:delText>", xml)
    assert re.search(r"<w:t[^>]*>products</w:t>", xml)


def test_markdown_report_keeps_markdown() -> None:
    from drafttrack.export.markdown import render_markdown

    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    data = comparison_json("d", version("a"), version("b"), compare(old, new))
    text = render_markdown(data, ExportOptions())
    assert "**Scope.**" in text and "*nothing else*" in text


@pytest.mark.parametrize(
    ("source", "visible"),
    [
        ("**2\\. YOU HAVE** one year", "2. YOU HAVE one year"),
        ("[our services](https://example.org/s) and *nothing*", "our services and nothing"),
        ('<a id="2-1"></a>2.1 Title', "2.1 Title"),
        ("`code` and ~~gone~~ &amp; ![a map](map.png)", "code and gone & a map"),
        ("snake_case, [x](javascript:x()) as text", "snake_case, [x](javascript:x()) as text"),
        ("Статья «один» — ohne Markup", "Статья «один» — ohne Markup"),
    ],
)  # fmt: skip
def test_visible_text(source: str, visible: str) -> None:
    assert visible_text(source) == visible


def test_spans_name_formatting_and_targets() -> None:
    inline = parse_inline("**Bold** and [a link](https://example.org/x) and `code`")
    assert inline.visible == "Bold and a link and code"
    assert [(s.kind, inline.visible[s.start : s.end], s.target) for s in inline.spans] == [
        ("strong", "Bold", None),
        ("link", "a link", "https://example.org/x"),
        ("code", "code", None),
    ]
    assert inline.targets == ("https://example.org/x",)


@pytest.mark.parametrize(
    ("text", "number", "rest"),
    [
        ("**2\\. YOU HAVE ONE YEAR.** You must", "2", "YOU HAVE ONE YEAR.** You must"),
        ("*2.* Scope", "2", "Scope"),
        ("__2.__ Scope", "2", "Scope"),
        ("[](#2-1-refunds)2.1 Refunds", "2.1", "Refunds"),
        ('<a id="x"></a>2.1 Refunds', "2.1", "Refunds"),
        ("*Art. 5* Geltung", "Art. 5", "Geltung"),
        ("**§ 3** Geltungsbereich", "§ 3", "Geltungsbereich"),
        ("4.Services Usage Limits", "4", "Services Usage Limits"),
        ("**Scope.** These terms", None, "**Scope.** These terms"),
    ],
)
def test_numbers_in_the_forms_real_texts_use(text: str, number: str | None, rest: str) -> None:
    assert split_number(text) == (number, rest)


def test_rejoin_keeps_line_count_and_plain_texts() -> None:
    old, new, _ = read_case(FIXTURES / "case2-broken-link.md")
    joined = rejoin(old)
    assert joined.count("\n") == old.count("\n")
    assert "[What Products does this policy cover?](#annotation-1)[Learn more" in joined
    plain = "# T\n\n[\n\nnot closed\n\nText.\n"
    assert rejoin(plain) == plain
    assert [c.text for c in segment(old)] == [c.text for c in segment(new)]
    assert [c.lines[0] for c in segment(old)] == [0, 2, 4, 14]


def test_rejoin_after_a_heading_with_a_link_title_and_emphasis() -> None:
    text = '## Help\n[\n\nText here\n\n](https://example.com "Help")\n\nNext.\n'
    assert rejoin(text) == '## Help\n[Text here](https://example.com "Help")\n\n\n\n\n\nNext.\n'
    assert rejoin("**\n\nBold words\n\n**\n") == "**Bold words**\n\n\n\n\n"
    assert [c.text for c in segment("# T\n\n__\n\nBroken\n\n__\n")] == ["T", "__Broken__"]


def test_terminal_redline_shows_visible_words() -> None:
    from drafttrack.render_text import render_text

    old, new, _ = read_case(FIXTURES / "case1-markup-shown.md")
    out = render_text(compare(old, new))
    assert "Scope. These terms apply to our [-services-]{+products+} and nothing else." in out
    assert "**" not in out and "](" not in out
    coloured = render_text(compare(old, new), color=True)
    assert "services\x1b[0m \x1b[" in coloured, "in colour, a space keeps the two words apart"


@pytest.mark.parametrize(
    "broken",
    [
        "[What Products\n\ndoes this policy cover?](#a)\n",
        "[\n\nWhat Products does this policy cover?](#a)\n",
        "[What Products\n\ndoes this policy cover?\n\n](#a)\n",
    ],
)
def test_rejoin_links_with_words_beside_the_brackets(broken: str) -> None:
    assert rejoin(broken).split("\n")[0] == "[What Products does this policy cover?](#a)"
    assert rejoin(broken).count("\n") == broken.count("\n")


def test_rejoin_leaves_complete_and_nested_constructs() -> None:
    kept = ["[1] A note.\n\nText](x)\n", "[a [b]\n\nc](x)\n", "See [\n\nthis](x)\n", "**\n\n**\n"]
    for text in kept:
        assert rejoin(text) == text


def test_a_stray_link_end_shows_nothing_and_keeps_its_target() -> None:
    inline = parse_inline("](https://example.com/c?utm=a)")
    assert inline.visible == "" and inline.targets == ("https://example.com/c?utm=a",)
    old = "# P\n\nIntro.\n\n](https://example.com/c?utm=a)\n"
    comparison = compare(old, old.replace("utm=a", "utm=b"))
    assert len(comparison.substantive()) == 0
    assert [c.editorial_kinds for c in comparison.changes] == [[], [], ["link-target"]]


def test_a_bare_number_moving_into_a_list_marker_is_no_renumbering() -> None:
    old = "# Artikel 106\n\n3 die Verkehrsteuern, soweit sie nicht dem Bund zustehen.\n"
    new = "# Artikel 106\n\n3.  die Verkehrsteuern, soweit sie nicht dem Bund zustehen.\n"
    change = compare(old, new).changes[1]
    assert (change.old[0].number, change.new[0].number) == (None, "3")
    assert not change.renumbered and change.editorial
    assert change.editorial_kinds == ["numbering"]
    renumbered = compare(old, new.replace("3.  die", "4.  die")).changes[1]
    assert renumbered.renumbered and not renumbered.editorial
