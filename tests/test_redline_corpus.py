"""Properties of the redline on every consecutive pair of every real history in the corpora.

Visible words are read independently of segmentation: each blank-line-separated block of the
text (broken links rejoined), its inline Markdown read as a reader sees it, its words in match
form. Pairs whose visible words are identical must report no substantive change, and no clause
may be "renumbered" from no number when its visible text already showed the same number, nor
a paired clause substantive whose number and visible words stayed (unless it moved).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafttrack.compare import compare, is_substantive
from drafttrack.inline import visible_text
from drafttrack.model import Clause
from drafttrack.normalize import match_form, words
from drafttrack.rejoin import rejoin
from tests.conftest import SHARED

CORPORA = SHARED / "corpora"

pytestmark = pytest.mark.skipif(
    not CORPORA.is_dir(), reason="shared/corpora is not present beside the repository"
)


def histories() -> list[Path]:
    return sorted(p.parent for p in CORPORA.glob("*/*/001.md")) if CORPORA.is_dir() else []


def visible_words(text: str) -> list[str]:
    text = rejoin(text.replace("\r\n", "\n"))
    blocks = re.split(r"\n[ \t]*\n", text)
    return [w for b in blocks for w in words(match_form(visible_text(" ".join(b.split()))))]


def shown_words(clauses: list[Clause]) -> list[str]:
    """The words a reader sees of clauses: each one's number (unless its text shows it), then
    its visible text."""
    out: list[str] = []
    for c in clauses:
        shown = visible_text(c.text)
        if c.number and not shown.startswith(c.number):
            shown = f"{c.number} {shown}"
        out.extend(words(match_form(shown)))
    return out


@pytest.mark.parametrize("folder", histories(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_visible_identical_pairs_have_no_substantive_change(folder: Path) -> None:
    texts = [f.read_text(encoding="utf-8") for f in sorted(folder.glob("[0-9][0-9][0-9].md"))]
    assert len(texts) >= 2
    for n, (old, new) in enumerate(zip(texts, texts[1:], strict=False), 2):
        comparison = compare(old, new)
        for change in comparison.changes:
            if change.renumbered and change.old[0].number is None and change.new[0].number:
                shown = visible_text(change.old[0].text)
                number = change.new[0].number
                assert not re.match(rf"{re.escape(number)}[.)]", shown), (n, shown[:80], number)
            if change.kind in ("modified", "split", "merged") and is_substantive(change):
                before, after = shown_words(change.old), shown_words(change.new)
                assert change.moved or before != after, (n, before[:12])
        if visible_words(old) == visible_words(new):
            found = [(c.kind, [x.text[:60] for x in c.old + c.new]) for c in comparison.changes]
            found = [f for f, c in zip(found, comparison.changes, strict=True) if is_substantive(c)]
            assert not found, (f"version {n:03}", found[:5])
