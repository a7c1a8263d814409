"""The run-time guard: a segmentation that would lose words keeps them as plain paragraphs.

A segmentation bug is simulated by making the clause builder drop one clause; every path that
segments (whole text, chunked, relayout, a cold lineage build in a forked process) must keep the
dropped words, in place, and log the stretch once per version with its lines.
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest

import drafttrack.segment.walk as seg
from drafttrack import coverage, forked
from drafttrack.lineage import build_lineages
from drafttrack.model import Clause, VersionText
from drafttrack.normalize import words
from drafttrack.segment import EMPTY_LAYOUT, BlockMemo, relayout, segment

TEXT = (
    "# Verordnung\n\nText eins.\n\n## § 2 Begriffe\n\n"
    'm)  "Kleinfahrzeug":\n\n    -   ein Fahrzeug A,\n\n\n    -   eine Fähre oder\n\nEnde.\n'
)


@pytest.fixture
def drops_the_ferry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A segmentation bug: the clause about the ferry is never made."""
    add = seg._add

    def dropping(st, number, text, kind, map_, **kw):  # type: ignore[no-untyped-def]
        if "Fähre" not in text:
            add(st, number, text, kind, map_, **kw)

    monkeypatch.setattr(seg, "_add", dropping)


def _content(clauses: list[Clause]) -> list[tuple[object, ...]]:
    return [(c.text, c.number, c.path, c.kind, c.lines, c.numbering) for c in clauses]


def _words(clauses: list[Clause]) -> Counter[str]:
    return Counter(w for c in clauses for w in words(f"{c.number or ''} {c.text}"))


def test_words_of_a_dropped_clause_are_kept_in_place(
    drops_the_ferry: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "drafttrack.segment"):
        whole = segment(TEXT)
    assert not Counter(words(TEXT)) - _words(whole)
    ferry = next(c for c in whole if "Fähre" in c.text)
    assert (ferry.kind, ferry.text, ferry.lines) == ("paragraph", "- eine Fähre oder", (11, 12))
    assert ferry.path == ("Verordnung", "§ 2 Begriffe")
    assert [c.lines[0] for c in whole] == sorted(c.lines[0] for c in whole)
    assert [r.getMessage() for r in caplog.records] == [
        "segmentation left words out of the text starting '# Verordnung' at lines 12:"
        " read as plain paragraphs"
    ]


def test_every_path_keeps_the_same_words(
    drops_the_ferry: None, caplog: pytest.LogCaptureFixture
) -> None:
    whole = segment(TEXT)
    caplog.clear()
    with caplog.at_level(logging.WARNING, "drafttrack.segment"):
        chunked = segment(TEXT, BlockMemo())
        shaped = relayout(EMPTY_LAYOUT, TEXT, BlockMemo())
    assert shaped is not None
    assert _content(chunked) == _content(whole)
    assert _content(shaped[0].clauses) == _content(whole)
    assert len(caplog.records) == 2  # once per segmentation, not once per chunk
    assert all("at lines 12:" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(not forked.can_fork(), reason="no fork or fewer than two CPUs here")
def test_a_forked_build_keeps_the_words(drops_the_ferry: None) -> None:
    versions = [
        VersionText({"id": f"v{k}", "label": f"v{k}", "position": k}, TEXT + f"\nZusatz {k}.\n")
        for k in range(3)
    ]
    one = build_lineages("doc", versions, parallel=False)
    two = build_lineages("doc", versions, parallel=True)
    texts = [c.text for c in segment(versions[-1].text)]
    assert "- eine Fähre oder" in texts
    assert _content(one.clauses) == _content(two.clauses)
    assert one.keys == two.keys
    assert "- eine Fähre oder" in [c.text for c in two.clauses]


def test_uncovered_names_the_stretch_a_bug_drops() -> None:
    lines = TEXT.split("\n")
    clauses = [c for c in segment(TEXT) if "Fähre" not in c.text]
    assert coverage.uncovered(lines, clauses) == [(11, 12)]
    assert coverage.uncovered(lines, segment(TEXT)) == []
