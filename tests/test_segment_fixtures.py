"""Segmentation cases found on real texts, as readable fixture files.

Each case in ``tests/fixtures/segment/*.md`` is a title, the input and the expected clauses
(markdown-it-py's fixture format), one clause a line: its first source line (1-based), kind,
numbering in brackets when it has any, and its text (line breaks shown as ``⏎``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from drafttrack.model import Clause
from drafttrack.normalize import words
from drafttrack.segment import BlockMemo, segment

FIXTURES = Path(__file__).parent / "fixtures" / "segment"

CASES = [
    pytest.param(text, expected, id=f"{path.stem}-{line}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, _title, text, expected in read_fixture_file(path)
]


def render(clauses: list[Clause]) -> str:
    """The clauses as a fixture's expected section shows them."""
    out = []
    for c in clauses:
        numbering = f" [{' / '.join(c.numbering)}]" if c.numbering else ""
        out.append(f"{c.lines[0] + 1} {c.kind}{numbering} {c.text.replace(chr(10), '⏎')}\n")
    return "".join(out)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fixture(text: str, expected: str) -> None:
    clauses = segment(text)
    assert render(clauses) == expected
    assert render(segment(text, BlockMemo())) == expected  # the chunked path agrees
    kept: Counter[str] = Counter()
    for c in clauses:
        kept.update(words(f"{c.number or ''} {c.text}"))
    assert not Counter(words(text)) - kept


def test_every_cause_has_a_fixture() -> None:
    names = {path.stem for path in FIXTURES.glob("*.md")}
    assert {
        "items_blank_lines",
        "indented_prose",
        "definition_list",
        "after_code_block",
        "tables",
        "html_block",
        "footnotes",
        "quote_in_list",
        "front_matter",
        "real_code",
    } <= names
