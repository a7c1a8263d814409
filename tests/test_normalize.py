"""match_form, words and contains_phrase: the matching rules shared by align, trace and quote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafttrack.normalize import contains_phrase, editorial_form, match_form, words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("„Koalition der Willigen“", '"koalition der willigen"'),
        ("«Коаліція охочих»", '"коаліція охочих"'),
        ("Ukraine’s airspace", "Ukraine's airspace"),
        ("2025–2026 — final", "2025-2026 - final"),
        ("The  force\n in\tcase", "the force in case"),
        ("**support** the _force_", "support the force"),
        ("[the force](https://example.org/a_(b)) now", "the force now"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("ﬁnal", "final"),
        ("Cafe\u0301", "café"),
    ],
)
def test_match_form_erases_style(a: str, b: str) -> None:
    assert match_form(a) == match_form(b)


def test_match_form_keeps_wording_and_inner_underscores() -> None:
    assert match_form("snake_case") == "snake_case"
    assert match_form("the force") != match_form("the forces")


def test_editorial_form_drops_punctuation_only() -> None:
    assert editorial_form("The “force”, in case—of attack!") == "the force in case of attack"
    assert editorial_form("support") != editorial_form("supports")


def test_words_keep_unicode_words_whole() -> None:
    text = "Стаття 3 — naïve Cafe\u0301 Länder 𝔘nicode देवनागरी don't"
    assert words(text) == [
        "Стаття", "3", "naïve", "Cafe\u0301", "Länder", "𝔘nicode", "देवनागरी", "don", "t",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("haystack", "phrase", "found"),
    [
        ("They commit to support the force in case of attack.", "support the FORCE", True),
        ("They commit to support the forces.", "support the force", False),
        ("die „Koalition der Willigen“ wirkt", '"Koalition der Willigen"', True),
        ("die Koalition der Willigen", "koalition  der\nwilligen", True),
        ("Коаліція охочих", "охочих", True),
        ("Коаліція охочими", "охочих", False),
        ("anything", "", False),
        ("ceasefire-monitoring", "ceasefire", True),
    ],
)
def test_contains_phrase_whole_words(haystack: str, phrase: str, found: bool) -> None:
    assert contains_phrase(haystack, phrase) is found


def _match_form_by_regex(text: str) -> str:
    """The normal form spelled out step by step with regular expressions (the reference the
    faster ``str.translate`` / ``str.split`` implementation must equal)."""
    import re
    import unicodedata

    from drafttrack.normalize import _MARKDOWN_CHARS, _STYLE, _STYLE_MAP, strip_markdown

    if _MARKDOWN_CHARS.search(text):
        text = strip_markdown(text)
    text = unicodedata.normalize("NFKC", text)
    text = _STYLE.sub(lambda m: _STYLE_MAP[m.group()], text).casefold()
    return re.sub(r"\s+", " ", text).strip()


STYLED = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=12),
        st.sampled_from(["„", "“", "«", "»", "’", "–", "—", "\u00a0", "\u202f", "\u2028", " \t\n"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(STYLED)
def test_match_form_equals_its_regex_reference(text: str) -> None:
    assert match_form(text) == _match_form_by_regex(text)


@settings(max_examples=400, deadline=None)
@given(STYLED)
def test_editorial_form_equals_its_regex_reference(text: str) -> None:
    import re

    from drafttrack.normalize import WORD_RE, has_marks

    form = _match_form_by_regex(text)
    if form.isascii() or not has_marks(form):
        expected = " ".join(re.sub(r"[^\w\s]+", " ", form).split())
    else:
        expected = " ".join(WORD_RE.findall(form))
    assert editorial_form(text) == expected
