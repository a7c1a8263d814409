"""Segmentation: structure, numbers, paths, plain text, and no word lost."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafttrack.errors import InputTooLarge
from drafttrack.normalize import words
from drafttrack.segment import LONG_PARAGRAPH, MAX_INPUT_CHARS, segment, squash
from tests.conftest import DEMO, SHARED


def _all_words(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for c in segment(text):
        out.update(words(f"{c.number or ''} {c.text}"))
    return out


def test_demo_structure() -> None:
    clauses = segment((DEMO / "paris-declaration" / "earlier-draft.md").read_text("utf-8"))
    assert [c.key for c in clauses] == [f"c{i}" for i in range(1, len(clauses) + 1)]
    us = next(c for c in clauses if "support the force in case of attack" in c.text)
    assert us.kind == "list_item"
    assert us.number == "1"
    assert us.path[-1] == "Article 3 — Role of the United States"
    assert us.numbering == ("Article 3", "1")
    assert us.lines == (20, 21)
    heading = next(c for c in clauses if c.text == "Article 3 — Role of the United States")
    assert (heading.kind, heading.number) == ("heading", "Article 3")


@pytest.mark.parametrize(
    ("source", "number"),
    [
        ("1.2 Scope of the agreement.", "1.2"),
        ("(a) the first case", "(a)"),
        ("(iv) the fourth case", "(iv)"),
        ("Article 5 — Purpose", "Article 5"),
        ("Art. 5 applies.", "Art. 5"),
        ("§ 3 Sonstige Begriffe", "§ 3"),
        ("Artikel 2 gilt.", "Artikel 2"),
        ("Abs. 1 gilt.", "Abs. 1"),
        ("Стаття 3. Набрання чинності", "Стаття 3"),
        ("Section 4(b) of the act.", "Section 4(b)"),
        ("(1) Die Würde des Menschen ist unantastbar.", "(1)"),
        ("### Art 1", "Art 1"),
        ("### § 3 Begriffe", "§ 3"),
        ("Plain words only.", None),
        ("(а) на суші", "(а)"),
        ("(б) на морі", "(б)"),
        ("а) перший пункт", "а)"),
        ("б) второй пункт", "б)"),
        ("(ї) дев'ятий пункт", "(ї)"),
        ("Стаття 3(а) діє.", "Стаття 3(а)"),
        ("(α) πρώτη περίπτωση", "(α)"),
        ("β) δεύτερη περίπτωση", "β)"),
        ("(на) не номер", None),
        ("а також інші", None),
    ],
)
def test_clause_numbers(source: str, number: str | None) -> None:
    assert segment(source)[0].number == number


def test_nested_lists_tables_quotes_and_paths() -> None:
    text = (
        "# Law\n\n## Part A\n\n1. First item\n   (a) not a list, text\n\n"
        "   - nested bullet\n2. Second item\n\n"
        "| Section | Content |\n| --- | --- |\n| A | Definitions |\n\n> Quoted words\n"
    )
    clauses = segment(text)
    kinds = [(c.kind, c.number, c.path) for c in clauses]
    assert ("list_item", "1", ("Law", "Part A")) in kinds
    assert ("list_item", None, ("Law", "Part A", "1")) in kinds
    assert ("list_item", "2", ("Law", "Part A")) in kinds
    rows = [c.text for c in clauses if c.kind == "table_row"]
    assert rows == ["| Section | Content |", "| A | Definitions |"]
    assert [c.text for c in clauses if c.kind == "blockquote"] == ["Quoted words"]


def test_front_matter_is_kept_as_clauses() -> None:
    clauses = segment("---\ntitle: Gesetz\nslug: gg\n---\n\n# Gesetz\n\nText.\n")
    assert [c.text for c in clauses if c.kind == "front_matter"] == ["title: Gesetz", "slug: gg"]
    assert clauses[-1].lines == (7, 8)


def test_plain_text_numbered_lines_and_paragraphs() -> None:
    text = (
        "Agreement between the parties\n\n"
        "1.1 The parties agree.\n1.2 The parties consent.\n(a) in writing;\n(b) orally.\n\n"
        "Article 2\nThe term is one year.\n\n"
        "A hard-wrapped line that continues in\nArtikel 145 of the law stays whole.\n"
    )
    clauses = segment(text)
    assert [(c.number, c.text) for c in clauses] == [
        (None, "Agreement between the parties"),
        ("1.1", "1.1 The parties agree."),
        ("1.2", "1.2 The parties consent."),
        ("(a)", "(a) in writing;"),
        ("(b)", "(b) orally."),
        ("Article 2", "Article 2"),
        (None, "The term is one year."),
        (None, "A hard-wrapped line that continues in Artikel 145 of the law stays whole."),
    ]
    assert clauses[6].path == ("Article 2",)


def test_plain_text_cyrillic_sub_clauses_open_clauses() -> None:
    text = (
        "Стаття 1\nСторони погоджуються:\n(а) на суші;\n(б) на морі.\n\n"
        "Статья 2\nСтороны согласны:\nа) письменно;\nб) устно.\n"
    )
    clauses = segment(text)
    assert [(c.number, c.text) for c in clauses] == [
        ("Стаття 1", "Стаття 1"),
        (None, "Сторони погоджуються:"),
        ("(а)", "(а) на суші;"),
        ("(б)", "(б) на морі."),
        ("Статья 2", "Статья 2"),
        (None, "Стороны согласны:"),
        ("а)", "а) письменно;"),
        ("б)", "б) устно."),
    ]
    assert clauses[3].numbering == ("Стаття 1", "(б)")


def test_rewrapping_gives_the_same_text() -> None:
    a = segment("The leaders of the states reaffirm\ntheir unity  in support.\n")
    b = segment("The leaders of the states\nreaffirm their unity in\nsupport.\n")
    assert [c.text for c in a] == [c.text for c in b]


def test_long_paragraph_is_split_into_sentences() -> None:
    sentence = "The participants will continue their support to Ukraine in all formats. "
    text = sentence * (LONG_PARAGRAPH // len(sentence) + 2)
    clauses = segment(text)
    assert len(clauses) > 1
    assert all(c.text == sentence.strip() for c in clauses)


def test_link_reference_definitions_keep_their_words() -> None:
    text = 'See [the policy][1].\n\n[1]: https://example.org/policy "Policy title"\n'
    assert _all_words(text) >= Counter(words(text))


def test_input_size_cap() -> None:
    with pytest.raises(InputTooLarge):
        segment("a" * (MAX_INPUT_CHARS + 1))


MARKDOWNISH = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Zs"]), max_size=30),
        st.sampled_from(
            [
                "\n",
                "\n\n",
                "# ",
                "## ",
                "1. ",
                "- ",
                "   - ",
                "> ",
                "(a) ",
                "§ 3 ",
                "| a | b |\n",
                "| --- | --- |\n",
                "```\n",
                "---\n",
                "„Zitat“",
                "Стаття 3",
                "e\u0301",
                "𝔘",
                "[x](y)",
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_joining_clauses_loses_no_word(text: str) -> None:
    assert not Counter(words(text)) - _all_words(text)


def test_corpus_texts_lose_no_word() -> None:
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("shared/corpora is not present beside the repository")
    for path in [
        corpora / "bundestag-gesetze" / "gg" / "005.md",
        corpora / "github-site-policy" / "terms-of-service" / "044.md",
        corpora / "legalize-fr" / "code-pensions-retraite-marins" / "052.md",
        corpora / "contributor-covenant" / "ru" / "003.md",
    ]:
        text = path.read_text("utf-8")
        assert not Counter(words(text)) - _all_words(text), path.name


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("ab \t\r\n\u00a0\u2028\x0b")), max_size=30))
def test_squash_equals_the_white_space_pattern(text: str) -> None:
    import re

    assert squash(text) == re.sub(r"[ \t\r\n]+", " ", text)


LABELLED = st.lists(
    st.one_of(
        st.sampled_from(
            ["Article", "Art.", "Artikel", "Sec.", "§", "§§", "Abs.", "Стаття", "Статья", "Пункт"]
        ),
        st.sampled_from(["(", ")", ".", " ", "5", "12", "a", "б", "α", "IV", "°", "-", "\n"]),
        st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=4),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(LABELLED)
def test_quick_number_test_never_changes_a_number(text: str) -> None:
    from drafttrack.numbering import _NUMBER, split_number

    assert (split_number(text)[0] is None) == (_NUMBER.match(text) is None)
