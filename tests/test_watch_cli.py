"""``drafttrack watch …`` through the real CLI against a loopback server: the JSON contract,
bad input (one error line, exit 2, store untouched), and ``watch run`` killed with SIGKILL at
seeded points leaving no duplicate or half version and a schedule that continues."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CliRun
from tests.watch_server import Site, serving

CLAUSES = [
    "The Parties shall notify the Secretariat of every measure taken within 30 days.",
    "Each Party shall report annually on the implementation of this Agreement.",
    "The Committee shall adopt guidelines by a two-thirds majority of its members.",
]


def page(n: int, variant: int) -> bytes:
    items = "".join(f"<p>Article {i}. {c} (page {n})</p>" for i, c in enumerate(CLAUSES, 1))
    return (
        f"<html><body><h1>Page {n}</h1>{items}<p>Article 9. Revision {variant}.</p></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serving(Site()) as s:
        s.set("/robots.txt", b"User-agent: *\nDisallow: /closed\n", content_type="text/plain")
        yield s


def git(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "--git-dir", str(store), *args], capture_output=True, text=True)


def test_add_list_show_run_pause_remove(site: Site, store_path: Path, cli_run: CliRun) -> None:
    site.set("/doc", page(0, 0))
    added = cli_run("--store", store_path, "watch", "add", "decl", site.url("/doc"),
                    "--every", "1h", "--select", "body", "--outlet", "Ministry",
                    "--ignore", "Revision \\d+")  # fmt: skip
    assert added.code == 0, added.err
    watch_id = added.out.strip()
    listed = json.loads(cli_run("--store", store_path, "watch", "list", "--json").out)
    (entry,) = listed["watches"]
    assert set(entry) == {"id", "document", "url", "every_s", "kind", "select", "status",
                          "last_check", "next_check", "last_change", "failures"}  # fmt: skip
    assert entry["id"] == watch_id and entry["every_s"] == 3600 and entry["select"] == ["body"]
    assert entry["status"] == "ok" and entry["last_check"] is None
    run = cli_run("--store", store_path, "watch", "run", "--once", "--gap", "0")
    assert run.code == 0 and "\tnew\t" in run.out, run.out + run.err
    log = json.loads(cli_run("--store", store_path, "log", "decl", "--json").out)
    (version,) = log["versions"]
    assert version["source"]["outlet"] == "Ministry"
    assert version["capture"]["requested_url"] == site.url("/doc")
    assert version["capture"]["status"] == 200 and version["technical"] is False
    assert len(version["capture"]["raw_sha256"]) == 64
    again = cli_run("--store", store_path, "watch", "run", "--once")
    assert again.code == 0 and again.out == ""  # not due for an hour
    shown = cli_run("--store", store_path, "watch", "show", watch_id)
    assert shown.code == 0 and json.loads(shown.out)["last_check"]
    assert cli_run("--store", store_path, "watch", "pause", watch_id).code == 0
    paused = json.loads(cli_run("--store", store_path, "watch", "list", "--json").out)
    assert paused["watches"][0]["status"] == "paused"
    assert cli_run("--store", store_path, "watch", "resume", watch_id).code == 0
    assert cli_run("--store", store_path, "watch", "accept", watch_id).code == 0
    assert cli_run("--store", store_path, "watch", "remove", watch_id).code == 0
    assert json.loads(cli_run("--store", store_path, "watch", "list", "--json").out) == {
        "watches": []
    }
    assert git(store_path, "show", f"HEAD:_watches/{watch_id}.json").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["add", "decl", "ftp://example.org/x"],
        ["add", "decl", "http://example.org/x", "--every", "soon"],
        ["add", "decl", "http://example.org/x", "--every", "5s"],
        ["add", "decl", "http://example.org/x", "--select", "p[["],
        ["add", "decl", "http://example.org/x", "--ignore", "(unclosed"],
        ["add", "decl", "http://example.org/x", "--notify", "javascript:alert(1)"],
        ["add", "Bad Name", "http://example.org/x"],
        ["show", "nope"],
        ["pause", "nope"],
        ["remove", "nope"],
        ["accept", "nope"],
    ],
)
def test_bad_input_is_one_error_line_exit_2_store_untouched(
    store_path: Path, cli_run: CliRun, args: list[str]
) -> None:
    before = git(store_path, "rev-parse", "HEAD").stdout
    result = cli_run("--store", store_path, "watch", *args)
    assert result.code == 2, result.out + result.err
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert git(store_path, "rev-parse", "HEAD").stdout == before


@pytest.mark.slow
def test_kill_9_leaves_no_duplicate_or_half_version_and_the_schedule_continues(
    site: Site, store_path: Path, cli_run: CliRun
) -> None:
    rng = random.Random(14)
    pages = 5
    variant = [0] * pages
    for n in range(pages):
        site.set(f"/k/{n}", page(n, 0))
        assert cli_run("--store", store_path, "watch", "add", f"doc-{n}", site.url(f"/k/{n}"),
                       "--every", "60s").code == 0  # fmt: skip
    state = store_path / "drafttrack-cache" / "watch-state.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _kill in range(12):
        changed = rng.randrange(pages)
        variant[changed] += 1
        site.set(f"/k/{changed}", page(changed, variant[changed]))
        _make_all_due(state)
        proc = subprocess.Popen(
            [sys.executable, "-m", "drafttrack", "--store", str(store_path), "watch", "run",
             "--once", "--gap", "0"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    _make_all_due(state)
    final = cli_run("--store", store_path, "watch", "run", "--once", "--gap", "0")
    assert final.code == 0, final.err
    assert git(store_path, "fsck", "--strict").returncode == 0
    listed = json.loads(cli_run("--store", store_path, "watch", "list", "--json").out)
    assert len(listed["watches"]) == pages
    assert all(w["last_check"] and w["next_check"] for w in listed["watches"])
    for n in range(pages):
        log = json.loads(cli_run("--store", store_path, "log", f"doc-{n}", "--json").out)
        texts = [cli_run("--store", store_path, "show", f"doc-{n}", v["id"]).out
                 for v in log["versions"]]  # fmt: skip
        revisions = [t.split("Revision ")[1].split(".")[0] for t in texts]
        assert len(set(revisions)) == len(revisions), revisions  # no duplicate version
        assert revisions[-1] == str(variant[n])  # the last text is the page's current one
        assert all(t.count("Article") == 4 for t in texts)  # no half text


def _make_all_due(state: Path) -> None:
    """Bring every watch's next check to now (the test's stand-in for time passing)."""
    try:
        data = json.loads(state.read_text("utf-8"))
    except (OSError, ValueError):
        return
    for entry in data.values():
        entry["next_check"] = 0.0
    state.write_text(json.dumps(data), "utf-8")
