"""Word diffs: exact round trip, whole words, readable runs, safe symbols."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafttrack import worddiff
from drafttrack.model import WordOp
from drafttrack.worddiff import apply_new, apply_old, tokens, word_diff

ALPHABET = st.characters(
    codec="utf-8",
    categories=["L", "M", "N", "P", "S", "Zs", "Cc"],
    include_characters="„“”«»’—–\n ",
)
TEXT = st.text(ALPHABET, max_size=80)
WORDS = st.lists(
    st.sampled_from(["the", "force", "Стаття", "Länder", "naïve", "e\u0301", "𝔘", "„", "“", ","]),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_round_trip_any_unicode(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert apply_old(ops) == old
    assert apply_new(ops) == new
    json.dumps([o.to_json() for o in ops]).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_round_trip_word_lists(a: list[str], b: list[str]) -> None:
    old, new = " ".join(a), " ".join(b)
    ops = word_diff(old, new)
    assert (apply_old(ops), apply_new(ops)) == (old, new)
    for op in ops:
        assert op.text
    assert all(x.op != y.op for x, y in zip(ops, ops[1:], strict=False))


def test_tokens_are_lossless_and_keep_words() -> None:
    text = "Cafe\u0301  „Koalition“—𝔘nicode\n"
    assert "".join(tokens(text)) == text
    assert "Cafe\u0301" in tokens(text)
    assert "𝔘nicode" in tokens(text)


def test_insertion_reads_as_one_run() -> None:
    old = "Participants that do not deploy troops may contribute."
    new = "Participants that do not deploy troops, such as Germany, may contribute."
    assert [o for o in word_diff(old, new) if o.op != "equal"] == [
        WordOp("insert", ", such as Germany,")
    ]


def test_never_splits_a_word() -> None:
    ops = word_diff("signed in January 2026", "signed in February 2026")
    assert WordOp("delete", "January") in ops
    assert WordOp("insert", "February") in ops


def test_rewritten_clause_is_whole_old_then_whole_new() -> None:
    old = "The cat sat on the mat."
    new = "A dog is lying under the table, and nothing else."
    assert word_diff(old, new) == [WordOp("delete", old), WordOp("insert", new)]


def test_many_distinct_tokens_skip_surrogates() -> None:
    old = " ".join(f"w{i}" for i in range(60_000))
    new = old.replace("w59999", "changed")
    ops = word_diff(old, new)
    assert apply_new(ops) == new
    assert [o.text for o in ops if o.op == "insert"] == ["changed"]
    json.dumps([o.to_json() for o in ops]).encode("utf-8")


def test_equal_and_empty() -> None:
    assert word_diff("", "") == []
    assert word_diff("same", "same") == [WordOp("equal", "same")]
    assert word_diff("", "new") == [WordOp("insert", "new")]


FAST_INPUT = st.text(st.sampled_from(list("abcde \U0001f600\u0416")), max_size=60) | st.text(
    st.characters(min_codepoint=1, blacklist_categories=["Cs"]), max_size=40
)


@pytest.mark.skipif(
    worddiff._fast is None, reason="fast-diff-match-patch (extra drafttrack[fast]) not installed"
)
@settings(max_examples=1000, deadline=None)
@given(FAST_INPUT, FAST_INPUT)
def test_fast_accelerator_gives_the_pure_diff(a: str, b: str) -> None:
    assert worddiff.diff_symbols(a, b) == worddiff.diff_symbols(a, b, pure=True)
