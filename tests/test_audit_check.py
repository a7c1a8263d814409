"""CI's pip-audit wrapper: advisories fail, an unreachable advisory service is only reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / ".ci" / "audit.py"


def classify(tmp_path: Path, report: dict[str, object]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--from-json", str(path)], capture_output=True, text=True
    )


def test_a_known_advisory_fails(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "flask", "version": "3.1.3", "vulns": []},
            {
                "name": "jinja2",
                "version": "3.1.2",
                "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
            },
        ]
    }
    result = classify(tmp_path, report)
    assert result.returncode == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in result.stdout


def test_an_unreachable_service_is_reported_not_failed(tmp_path: Path) -> None:
    skipped = "Dependency not found on PyPI and could not be audited: flask (3.1.3)"
    result = classify(tmp_path, {"dependencies": [{"name": "flask", "skip_reason": skipped}]})
    assert result.returncode == 0
    assert "advisory service unreachable" in result.stdout


def test_a_clean_audit_passes_with_a_count(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]}
    result = classify(tmp_path, report)
    assert result.returncode == 0 and "1 packages audited, no known advisories" in result.stdout
