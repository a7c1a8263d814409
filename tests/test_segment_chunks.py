"""Chunked segmentation (``segment(text, memo)``) gives exactly what parsing the whole text gives.

A history's versions are segmented chunk by chunk, each distinct chunk parsed once. These tests
hold the equivalence on every corpus text, and on generated Markdown mixing every block kind
the segmenter reads, with one memo shared across all examples, so chunks parsed in one context
are reused in others.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafttrack.segment import BlockMemo, chunks, segment
from tests.conftest import DEMO, SHARED

SHARED_MEMO = BlockMemo()

BLOCKS = [
    "# Title",
    "## Article 3 — Role of the United States",
    "### § 4 Scope",
    "Setext heading\n==============",
    "Second level\n------------",
    "Article 5",
    "Artikel 12 Abs. 2",
    "Стаття 7",
    "1. The parties shall meet.",
    "2) Each party may withdraw.",
    "3. First line of an item\n   continued on the next line.",
    "- A bullet\n  - nested bullet\n    1. nested number",
    "* star bullet",
    "+ plus bullet",
    "10. Ten",
    "1.",
    "(a) the first point; and\n(b) the second point.",
    "A paragraph with „German“ «French» “English” quotes.",
    "A hard-wrapped paragraph that\ngoes on over a second line\nand a third.",
    "Lazy continuation after an item:\n1. item\nlazy line",
    "> A quoted clause.\n> Second quoted line.",
    "> Quote\n>\n> after an empty quote line",
    "| Column | Value |\n| --- | --- |\n| a | 1 |\n| b | 2 |",
    "    indented block line\n    second indented line",
    "  two-space indented paragraph",
    "[ref]: https://example.org/a 'title'",
    "See [the text][ref].",
    "***",
    "---",
    "Text then\n---",
    "1. Section one.\n2. Section two.\n\n   Indented paragraph of item two.",
    "The parties agree. Article 4 applies. 5. The end.",
    "Sentence one. " * 200,
]

SEPARATORS = ["\n", "\n\n", "\n\n\n", "\n \n", "\n\t\n", "\n\n    ", "\n\n  "]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=14))
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + part
    return out + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_chunked_equals_whole_on_generated_markdown(text: str) -> None:
    assert segment(text, SHARED_MEMO) == segment(text)


@settings(max_examples=100, deadline=None)
@given(documents(), st.sampled_from(["```\ncode\n\nmore\n```", "<div>\n\nx\n</div>", "~~~\n\n~~~"]))
def test_fences_and_html_fall_back_to_one_parse(text: str, block: str) -> None:
    doc = f"{text}\n\n{block}\n\nAfter the block."
    assert segment(doc, SHARED_MEMO) == segment(doc)


def _corpus_texts() -> list[Path]:
    files = sorted(p for p in (SHARED / "corpora").rglob("*") if p.suffix in (".md", ".txt"))
    return files + sorted((DEMO).rglob("*.md"))


def test_chunked_equals_whole_on_every_corpus_text() -> None:
    files = _corpus_texts()
    if not files:
        pytest.skip("shared corpora not found")
    memo = BlockMemo()
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        assert segment(text, memo) == segment(text), path.name


def test_chunks_break_only_before_lines_at_the_margin_after_blank_lines() -> None:
    lines = ["# T", "", "1. a", "", "   more of a", "", "Para", "", "", "  indented", "End"]
    ranges = chunks(lines)
    assert [(a, b) for a, b, _c, _d in ranges] == [(0, 2), (2, 6), (6, 11)]
    text = "\n".join(lines)
    assert [text[c:d] for _a, _b, c, d in ranges] == [
        "# T\n",
        "1. a\n\n   more of a\n",
        "Para\n\n\n  indented\nEnd",
    ]


def test_memo_reuses_chunks_across_versions() -> None:
    memo = BlockMemo()
    v1 = "# T\n\nFirst clause.\n\nSecond clause.\n"
    v2 = "# T\n\nFirst clause.\n\nSecond clause, reworded.\n"
    segment(v1, memo)
    parsed = memo.parsed
    segment(v2, memo)
    assert memo.parsed == parsed + 1  # only the changed chunk is parsed again


def test_a_chunk_that_parses_unexpectedly_falls_back_to_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the line that marks "more follows" ever read otherwise (here: made a list item),
    the text is parsed whole: the result stays right."""
    import drafttrack.segment as segment_module

    monkeypatch.setattr(segment_module, "FOLLOWED", "\n- \u2063")
    text = "# T\n\nFirst clause.\n\n1. An item.\n\nLast clause.\n"
    assert segment(text, BlockMemo()) == segment(text)
