"""Chunked segmentation (``segment(text, memo)``) gives exactly what parsing the whole text gives.

A history's versions are segmented chunk by chunk, each distinct chunk parsed once. These tests
hold the equivalence on every corpus text, and on generated Markdown mixing every block kind
the segmenter reads, with one memo shared across all examples, so chunks parsed in one context
are reused in others.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drafttrack.segment import EMPTY_LAYOUT, BlockMemo, chunk_texts, chunks, relayout, segment
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
    "Plain words | with a pipe",
    "Wrapped line\nsecond | line\nthird line",
    "Ünïcödé paragraph with „quotes“\nand a wrapped line",
    "Trailing spaces  \nnext line\t",
    "Tab\tinside a line",
    "Ends with a no-break space\u00a0",
    "Heading-like text\n===",
    "Starts plain\n- then a list",
    "Starts plain\n> then a quote",
    "Starts plain\n# then a heading",
    "# Closed heading #",
    "## Heading ending in C#",
    "#NoSpace",
    "####### Seven hashes",
    "### ",
    "#\tTab heading",
    "**Bold** start of a paragraph\nand its second line",
    "***",
    "**",
    "** spaced stars",
    "* Bullet one\n* Bullet two with **bold**\n* Bullet three",
    "- Dash item\n- 2. numbered text",
    "* Star item\n- dash item",
    "*  Two spaces",
    "* Item\nlazy continuation",
    "+ Plus item",
    'm)  "Kleinfahrzeug":\n\n    ein Fahrzeug, ausgenommen\n\n    -   ein Fahrzeug A,\n\n\n'
    "    -   ein Fahrzeug B,",
    "    (1) Indented law paragraph.\n\n        1.  nested item\n\n\n        2.  next item",
    "    def checksum(data):\n        return sum(data) % 256",
]

SEPARATORS = ["\n", "\n\n", "\n\n\n", "\n \n", "\n\t\n", "\n\n    ", "\n\n  ", "\n  \n\n"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=14))
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + part
    return out + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example(  # a reference definition opened a chunk: the code block after it lost "Artikel 12"
    "# Title\n# Title\n# Title\nArtikel 12 Abs. 2\n\n[ref]: https://example.org/a 'title'\n\n"
    "        indented block line\n    second indented line"
)
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


@pytest.mark.slow
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
    v1 = "# T\n\n1. First clause.\n\n2. Second clause.\n"
    v2 = "# T\n\n1. First clause.\n\n2. Second clause, reworded.\n"
    segment(v1, memo)
    parsed = memo.parsed
    segment(v2, memo)
    assert memo.parsed == parsed + 1  # only the changed chunk is parsed again


def test_a_chunk_that_parses_unexpectedly_falls_back_to_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the line that marks "more follows" ever read otherwise (here: made a list item),
    the text is parsed whole: the result stays right."""
    import drafttrack.segment.memo as segment_module

    monkeypatch.setattr(segment_module, "FOLLOWED", "\n- \u2063")
    text = "# T\n\nFirst clause.\n\n1. An item.\n\nLast clause.\n"
    assert segment(text, BlockMemo()) == segment(text)


def test_plain_paragraphs_and_headings_are_read_without_parsing() -> None:
    memo = BlockMemo()
    text = (
        "# Title\n\nFirst paragraph.\n\n## Part 2\n\nSecond paragraph\nwrapped over two lines."
        "\n\n\n**Note:** Über alles.\n\n* First item\n* Second item\n"
    )
    assert segment(text, memo) == segment(text)
    assert memo.parsed == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=10),
    st.sampled_from(["", "\n", "\n \n", "  \n"]),
    st.sampled_from(SEPARATORS),
)
def test_chunk_texts_are_the_chunks(parts: list[str], start: str, sep: str) -> None:
    text = start + sep.join(parts)
    lines = text.split("\n")
    assert chunk_texts(text) == [text[c:d] for _a, _b, c, d in chunks(lines)]


@st.composite
def histories(draw: st.DrawFn) -> list[str]:
    """Versions of a document, each an edit of the one before (a block replaced, inserted,
    deleted or moved, or the blank lines between two blocks changed; headings among the
    blocks, so edits change what encloses later ones)."""
    parts = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=10))
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in parts]

    def text() -> str:
        out = parts[0]
        for sep, part in zip(seps[1:], parts[1:], strict=True):
            out += sep + part
        return out + draw(st.sampled_from(["", "\n", "\n\n"]))

    out = [text()]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "move", "space"]))
        at = draw(st.integers(0, len(parts) - 1))
        if kind == "replace":
            parts[at] = draw(st.sampled_from(BLOCKS))
        elif kind == "insert":
            parts.insert(at, draw(st.sampled_from(BLOCKS)))
            seps.insert(at, draw(st.sampled_from(SEPARATORS)))
        elif kind == "delete" and len(parts) > 1:
            parts.pop(at)
            seps.pop(at)
        elif kind == "space":
            seps[at] = draw(st.sampled_from(SEPARATORS))
        else:
            to = draw(st.integers(0, len(parts) - 1))
            parts.insert(to, parts.pop(at))
        out.append(text())
    return out


def _content(clauses: list) -> list[tuple]:
    return [(c.text, c.number, c.path, c.kind, c.numbering) for c in clauses]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_relayout_gives_the_clauses_of_segment(versions: list[str]) -> None:
    """Chained over a history, ``relayout`` gives each version's clauses as ``segment`` does;
    new clauses have their own source lines, and each block pairs identical clauses."""
    layout = EMPTY_LAYOUT
    for text in versions:
        shaped = relayout(layout, text, SHARED_MEMO)
        whole = segment(text)
        if shaped is None:
            layout = EMPTY_LAYOUT
            continue
        new_layout, blocks = shaped
        assert _content(new_layout.clauses) == _content(whole)
        reused = set()
        for i, j, n in blocks:
            assert _content(layout.clauses[i : i + n]) == _content(new_layout.clauses[j : j + n])
            reused.update(range(j, j + n))
        fresh = [k for k in range(len(whole)) if k not in reused]
        assert [new_layout.clauses[k].lines for k in fresh] == [whole[k].lines for k in fresh]
        layout = new_layout


def test_relayout_reuses_the_chunks_a_version_keeps() -> None:
    v1 = "# Title\n\nFirst clause.\n\nSecond clause.\n\nThird clause.\n"
    v2 = "# Title\n\nFirst clause.\n\nSecond clause, reworded.\n\nThird clause.\n"
    memo = BlockMemo()
    first = relayout(EMPTY_LAYOUT, v1, memo)
    assert first is not None and first[1] == []
    second = relayout(first[0], v2, memo)
    assert second is not None
    layout, blocks = second
    assert blocks == [(0, 0, 2), (3, 3, 1)]
    assert layout.clauses[3] is first[0].clauses[3]


def test_relayout_leaves_front_matter_and_fences_to_segment() -> None:
    memo = BlockMemo()
    assert relayout(EMPTY_LAYOUT, "---\ntitle: x\n---\n\nText.\n", memo) is None
    assert relayout(EMPTY_LAYOUT, "Text.\n\n```\ncode\n\nmore\n```\n", memo) is None
