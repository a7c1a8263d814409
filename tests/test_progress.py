"""Progress bars on long work: shown on a terminal (a pseudo-terminal here), never when piped;
``--json`` carries a summary instead."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CliRun, run_process

VERSIONS = 40


def _history(folder: Path) -> Path:
    """``VERSIONS`` drafts of one accord, each adding a clause (German, Ukrainian, French)."""
    folder.mkdir()
    clauses = []
    for n in range(1, VERSIONS + 1):
        clauses.append(
            f"{n}. Die Parteien vereinbaren „Schritt {n}“ — сторони погоджують крок {n} "
            f"(«étape {n}»)."
        )
        (folder / f"{n:03d}.md").write_text("# Accord\n\n" + "\n\n".join(clauses) + "\n", "utf-8")
    return folder


def _on_a_terminal(*args: str | Path) -> tuple[int, str]:
    """``drafttrack ARGS`` with stdout and stderr on a pseudo-terminal; exit code, all output."""
    master, slave = os.openpty()
    env = {**os.environ, "DRAFTTRACK_PROGRESS_AFTER": "0", "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "drafttrack", *map(str, args)],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env,
    )  # fmt: skip
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
        code = proc.wait(timeout=60)
    return code, output.decode("utf-8", "replace")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return _history(tmp_path / "drafts")


def test_import_and_a_cold_lineage_build_show_a_bar_on_a_terminal(
    store_path: Path, history: Path
) -> None:
    code, out = _on_a_terminal("--store", store_path, "import", "accord", history)
    assert code == 0, out
    assert "reading versions" in out and f"{VERSIONS}/{VERSIONS}" in out, out
    assert "files/s" in out
    assert f"imported {VERSIONS} versions into accord" in out

    code, out = _on_a_terminal("--store", store_path, "trace", "accord", "Schritt 7", "--no-cache")
    assert code == 0, out
    assert "building the clause lineages of accord" in out and f"{VERSIONS}/{VERSIONS}" in out
    assert "versions/s" in out


def test_piped_output_has_no_bar_and_json_has_a_summary(
    store_path: Path, history: Path, cli_run: CliRun
) -> None:
    env = {"DRAFTTRACK_PROGRESS_AFTER": "0"}
    proc = run_process("--store", store_path, "import", "accord", history, "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    data = json.loads(proc.stdout)  # nothing but the JSON on stdout
    assert data["summary"]["versions"] == VERSIONS and data["summary"]["seconds"] > 0
    proc = run_process("--store", store_path, "trace", "accord", "Schritt 7", "--no-cache", env=env)
    assert proc.returncode == 0 and proc.stderr == b""
    assert b"lineages" not in proc.stdout and b"\r" not in proc.stdout


def test_a_cold_quote_index_shows_a_bar_on_a_terminal_and_nothing_piped(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    long = tmp_path / "long.md"
    long.write_text(
        "# Regeln\n\n"
        + "\n\n".join(
            f"{n}. Der Ausschuss prüft Antrag {n} binnen {n + 2} Tagen; "
            f"комітет розглядає заяву {n} «sans délai»."
            for n in range(1, 31)
        )
        + "\n",
        "utf-8",
    )
    assert cli_run("--store", store_path, "add", "regeln", long).code == 0
    code, out = _on_a_terminal("--store", store_path, "quote", "комітет розглядає заяву 12")
    assert code == 0, out
    assert "building the quote index" in out and "windows/s" in out, out
    proc = run_process("--store", store_path, "quote", "Antrag 7", "--json",
                       env={"DRAFTTRACK_PROGRESS_AFTER": "0"})  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == b""
    assert json.loads(proc.stdout)["matches"]
