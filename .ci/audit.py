"""pip-audit for CI: a known advisory fails the run; an unreachable advisory service does not.

pip-audit exits 0 with "No known vulnerabilities found" when it could not reach the service at all
(every package "not found on PyPI"), and exits 1 both for advisories and for network errors. This
script tells the cases apart:

- exit 1 and a list when any installed package has a known advisory;
- exit 0 with "advisory service unreachable" when nothing could be audited (reported, not failed);
- exit 0 with a count when the audit ran and found nothing;
- exit 1 when pip-audit itself failed for another reason.

``--from-json FILE`` classifies a saved ``pip-audit -f json`` report (used by the tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

UNREACHABLE = (
    "ConnectionError",
    "Max retries exceeded",
    "Name or service not known",
    "Temporary failure in name resolution",
    "timed out",
    "ReadTimeout",
    "ServiceError",
    "Network is unreachable",
    "Connection refused",
)


def classify(report: dict[str, Any] | None, stderr: str = "") -> tuple[int, str]:
    """(exit status, message) for one pip-audit run."""
    if report is None:
        if any(marker in stderr for marker in UNREACHABLE):
            last = stderr.strip().splitlines()[-1] if stderr.strip() else "no details"
            return 0, f"pip-audit: advisory service unreachable, audit not done ({last[:200]})"
        return 1, "pip-audit failed:\n" + stderr[-2000:]
    deps = report.get("dependencies", [])
    found = [
        f"  {d['name']} {d.get('version', '?')}: {v.get('id')} "
        f"(fixed in {', '.join(v.get('fix_versions') or []) or 'no release yet'})"
        for d in deps
        for v in d.get("vulns") or []
    ]
    if found:
        return 1, "pip-audit: known advisories in installed packages:\n" + "\n".join(found)
    skipped = [d for d in deps if "skip_reason" in d]
    audited = len(deps) - len(skipped)
    if deps and audited == 0:
        return 0, (
            f"pip-audit: advisory service unreachable: none of {len(deps)} packages could be "
            "audited (reported, not a failure)"
        )
    return 0, f"pip-audit: {audited} packages audited, no known advisories ({len(skipped)} skipped)"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--from-json"]:
        with open(argv[1], encoding="utf-8") as fh:
            code, message = classify(json.load(fh))
        print(message)
        return code
    proc = subprocess.run(
        [
            sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
            "--format", "json", "--timeout", "30",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    try:
        report = json.loads(proc.stdout) if proc.stdout.strip() else None
    except ValueError:
        report = None
    code, message = classify(report, proc.stderr)
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
