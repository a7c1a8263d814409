"""No word is ever lost: every version of every real text we hold, segmented.

For each document of ``../shared/corpora/``, every version: each word of the text (front matter
included) is in a clause's number or text, clauses follow the text's order, the segmenter needs
no fallback for it (the run-time guard stays silent), and the fast paths (chunked, relayout
over the history) give the clauses of the whole-text parse.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from drafttrack.normalize import words
from drafttrack.segment import EMPTY_LAYOUT, BlockMemo, relayout, segment, uncovered_stretches
from tests.conftest import SHARED

CORPORA = SHARED / "corpora"
DOCUMENTS = sorted(p for p in CORPORA.glob("*/*") if p.is_dir()) if CORPORA.is_dir() else []

pytestmark = pytest.mark.skipif(
    not DOCUMENTS, reason="shared/corpora is not present beside the repository"
)


def _content(clauses: list) -> list[tuple[object, ...]]:
    return [(c.text, c.number, c.path, c.kind, c.numbering) for c in clauses]


@pytest.mark.parametrize("folder", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_version_keeps_every_word(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    memo = BlockMemo()
    layout = EMPTY_LAYOUT
    files = sorted(folder.glob("[0-9]*.md"))
    assert files
    with caplog.at_level(logging.WARNING, "drafttrack.segment"):
        for path in files:
            text = path.read_text("utf-8")
            clauses = segment(text)
            kept: Counter[str] = Counter()
            for c in clauses:
                kept.update(words(f"{c.number or ''} {c.text}"))
            lost = Counter(words(text)) - kept
            assert not lost, f"{path.name} loses {sum(lost.values())} words: {list(lost)[:10]}"
            starts = [c.lines[0] for c in clauses]
            assert starts == sorted(starts), f"{path.name}: clauses out of the text's order"
            assert uncovered_stretches(text, clauses) == []
            assert _content(segment(text, memo)) == _content(clauses), path.name
            shaped = relayout(layout, text, memo)
            if shaped is None:
                layout = EMPTY_LAYOUT
            else:
                layout = shaped[0]
                assert _content(layout.clauses) == _content(clauses), path.name
    assert not caplog.records, caplog.records[0].getMessage()
