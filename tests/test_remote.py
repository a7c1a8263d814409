"""Sharing stores through git remotes: clone, push, pull, sync, merges, conflicts, hostile URLs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from repo_store import Placement, Provenance, Store
from repo_store.remote import check_remote_url, redact
from tests.conftest import CliRun, snapshot


def git(store: Path, *args: str) -> str:
    """Plain git on a store, as a user would run it."""
    return subprocess.run(
        ["git", "--git-dir", str(store), *args], capture_output=True, text=True, check=True
    ).stdout


def add(path: Path, doc: str, text: str, title: str | None = None, **kw: str) -> str:
    """Add a version with the provenance fields ``kw``."""
    with Store.open(path) as store:
        return store.add_version(doc, text, Provenance(**kw), title=title).version.id


def versions(path: Path, doc: str) -> list[tuple[str, str, str]]:
    """(id, label, text) in draft order."""
    with Store.open(path) as store:
        return [(v.id, v.label, store.read_text(doc, v.id)) for v in store.versions(doc)]


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """An empty bare repository standing in for GitHub/Gitea/a file server."""
    path = tmp_path / "hub.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


@pytest.fixture
def shared(tmp_path: Path, store_path: Path, hub: Path, cli_run: CliRun) -> tuple[Path, Path]:
    """Store A with one version, pushed to the hub, and B cloned from it."""
    add(store_path, "accord", "# Accord\n\n1. The parties agree.\n", label="Draft 1")
    assert cli_run("--store", store_path, "remote", "add", "origin", hub).code == 0
    assert cli_run("--store", store_path, "push").code == 0
    b = tmp_path / "b"
    result = cli_run("clone", hub, b)
    assert result.code == 0, result.err
    assert "1 versions" in result.out
    return store_path, b


def test_clone_is_a_bare_store_with_the_same_versions(shared: tuple[Path, Path]) -> None:
    a, b = shared
    assert versions(a, "accord") == versions(b, "accord")
    assert git(b, "rev-parse", "--is-bare-repository").strip() == "true"
    assert git(b, "config", "protocol.ext.allow").strip() == "never"
    assert git(b, "config", "core.hooksPath").strip() == "/dev/null"
    assert git(a, "rev-parse", "main") == git(b, "rev-parse", "main")


def test_two_clones_adding_to_the_same_document_with_the_same_label_converge(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    a, b = shared
    ida = add(a, "accord", "# Accord\n\n1. The parties agree on A.\n", label="Draft 2")
    idb = add(b, "accord", "# Accord\n\n1. Die Parteien einigen sich „B“.\n", label="Draft 2")
    idb2 = add(b, "new-doc", "Zweiter Text.\n", label="Draft 2")
    assert cli_run("--store", a, "sync").code == 0
    result = cli_run("--store", b, "sync")
    assert result.code == 0, result.err
    assert "merged 1 new version" in result.out
    assert cli_run("--store", a, "sync").code == 0
    assert git(a, "rev-parse", "main") == git(b, "rev-parse", "main")
    got = versions(a, "accord")
    assert versions(b, "accord") == got
    assert {v[0] for v in got} >= {ida, idb}
    labels = [v[1] for v in got]
    assert labels.count("Draft 2") == 1
    other = next(v for v in got if v[1].startswith("Draft 2 ["))
    with Store.open(a) as store:
        assert store.resolve("accord", "Draft 2").id != other[0]
        assert store.resolve("accord", other[1]).id == other[0]
        assert store.versions("new-doc")[0].id == idb2
    merge = git(b, "log", "-1", "--format=%P%n%B", "main")
    assert len(merge.splitlines()[0].split()) == 2
    assert "Drafttrack-Action: merge" in merge
    git(a, "fsck", "--strict")
    git(b, "fsck", "--strict")


def test_reports_added_on_both_sides_are_united(shared: tuple[Path, Path], cli_run: CliRun) -> None:
    a, b = shared
    with Store.open(a) as store:
        store.add_source("accord", "Draft 1", outlet="Politico")
    with Store.open(b) as store:
        store.add_source("accord", "Draft 1", outlet="Le Monde", reported_on="2026-01-08")
    assert cli_run("--store", a, "sync").code == 0
    result = cli_run("--store", b, "sync")
    assert result.code == 0, result.err
    assert "combined edits to accord/versions/" in result.out
    assert cli_run("--store", a, "pull").code == 0
    for path in (a, b):
        with Store.open(path) as store:
            outlets = [
                r["outlet"]
                for r in store.resolve("accord", "Draft 1").provenance["also_reported_by"]
            ]
        assert sorted(outlets) == ["Le Monde", "Politico"]


def _correct(path: Path, note: str) -> None:
    """Correct a version's provenance the way a future `drafttrack correct` would: one commit."""
    with Store.open(path) as store:
        version = store.resolve("accord", "Draft 1")
        prov = dict(version.provenance, note=note)
        data = (json.dumps(prov, ensure_ascii=False, indent=2) + "\n").encode()
        store.commit_files({f"accord/versions/{version.id}.json": data}, "correct note\n")


def test_a_true_conflict_stops_with_both_variants_kept(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    a, b = shared
    _correct(a, "Leaked on Monday")
    _correct(b, "Leaked on Tuesday")
    assert cli_run("--store", a, "sync").code == 0
    before = git(b, "rev-parse", "main")
    result = cli_run("--store", b, "pull")
    assert result.code == 2
    assert result.err.startswith("error: pull from origin stopped, nothing merged")
    assert "corrected differently on both sides (note)" in result.err
    assert git(b, "rev-parse", "main") == before
    with Store.open(b) as store:
        vid = store.resolve("accord", "Draft 1").id
        assert store.resolve("accord", "Draft 1").provenance["note"] == "Leaked on Tuesday"
    theirs = json.loads(git(b, "show", f"refs/remotes/origin/main:accord/versions/{vid}.json"))
    assert theirs["note"] == "Leaked on Monday"
    assert git(b, "rev-parse", "refs/drafttrack/conflicts/origin") == git(a, "rev-parse", "main")
    # Once one side agrees with the other, the next pull merges.
    _correct(b, "Leaked on Monday")
    assert cli_run("--store", b, "sync").code == 0


def test_a_fresh_store_adopts_the_remote_history(
    shared: tuple[Path, Path],
    tmp_path: Path,
    hub: Path,
    cli_run: CliRun,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, _ = shared
    c = tmp_path / "c"
    monkeypatch.setenv("DRAFTTRACK_NOW", "2030-01-01T00:00:00Z")  # an unrelated first commit
    assert cli_run("--store", c, "init").code == 0
    monkeypatch.delenv("DRAFTTRACK_NOW")
    assert cli_run("--store", c, "remote", "add", "hub", hub).code == 0
    result = cli_run("--store", c, "pull", "hub")
    assert result.code == 0, result.err
    assert "adopted the history of hub" in result.out
    assert git(c, "rev-parse", "main") == git(a, "rev-parse", "main")
    assert versions(c, "accord") == versions(a, "accord")


def test_independent_stores_with_versions_merge(
    tmp_path: Path, store_path: Path, cli_run: CliRun
) -> None:
    other = tmp_path / "other"
    assert cli_run("--store", other, "init").code == 0
    add(store_path, "x", "Text one.\n", label="One")
    add(other, "x", "Text two.\n", label="Two", title="Another title")
    assert cli_run("--store", store_path, "remote", "add", "other", other).code == 0
    result = cli_run("--store", store_path, "pull", "other")
    assert result.code == 0, result.err
    assert [v[1] for v in versions(store_path, "x")] == ["One", "Two"] or [
        v[1] for v in versions(store_path, "x")
    ] == ["Two", "One"]
    git(store_path, "fsck", "--strict")


def test_push_when_behind_is_refused_with_advice(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    a, b = shared
    add(a, "accord", "A newer text.\n")
    add(b, "accord", "B newer text.\n")
    assert cli_run("--store", a, "push").code == 0
    hub_head = git(a, "rev-parse", "main")
    result = cli_run("--store", b, "push")
    assert result.code == 2
    assert "run `drafttrack pull origin` (or `drafttrack sync`) first" in result.err
    assert git(a, "rev-parse", "main") == hub_head


def test_up_to_date_and_empty_remote(
    store_path: Path, hub: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    assert cli_run("--store", store_path, "remote", "add", "origin", hub).code == 0
    assert "holds no store yet" in cli_run("--store", store_path, "pull").out
    assert cli_run("--store", store_path, "push").code == 0
    assert "already up to date" in cli_run("--store", store_path, "pull").out
    listing = cli_run("--store", store_path, "remote", "list").out
    assert listing.startswith("origin\t") and str(hub) in listing
    assert cli_run("--store", store_path, "remote", "remove", "origin").code == 0
    result = cli_run("--store", store_path, "pull")
    assert result.code == 2 and "no remote configured" in result.err


def test_a_repository_that_is_not_a_store_is_refused(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    plain = tmp_path / "plain"
    subprocess.run(["git", "init", "-q", "-b", "main", str(plain)], check=True)
    (plain / "f.txt").write_text("hello\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    subprocess.run(["git", "-C", str(plain), "add", "f.txt"], check=True)
    subprocess.run(["git", "-C", str(plain), "commit", "-qm", "x"], check=True, env=env)
    before = git(store_path, "rev-parse", "main")
    assert cli_run("--store", store_path, "remote", "add", "plain", plain).code == 0
    result = cli_run("--store", store_path, "pull", "plain")
    assert result.code == 2 and "does not hold a drafttrack store" in result.err
    assert git(store_path, "rev-parse", "main") == before
    target = tmp_path / "copy"
    result = cli_run("clone", plain, target)
    assert result.code == 2 and not target.exists()


BAD_URLS = [
    "ext::sh -c touch% {marker}",
    "fd::17",
    "transport::https://example.org/x",
    "-uhttps://example.org/x",
    "--upload-pack=touch {marker}",
    "ssh://-oProxyCommand=touch% {marker}/x",
    "-oProxyCommand=x:y",
    "host:-x",
    "https://example.org/x\n[core]",
    "https://example.org/\x1b[2J",
    "https://exa mple.org/x",
    "http://example.org/x.git",
    "git://example.org/x.git",
    "ftp://example.org/x.git",
    "",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_hostile_remote_urls_are_refused(
    url: str, store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    marker = tmp_path / "pwned"
    url = url.format(marker=marker)
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "remote", "add", "evil", "--", url)
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert "No such option" not in result.err
    assert snapshot(store_path) == before
    clone = cli_run("clone", "--", url, tmp_path / "clone")
    assert clone.code == 2 and not (tmp_path / "clone").exists()
    assert not marker.exists()


def test_a_planted_url_is_checked_again_before_use(
    store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    marker = tmp_path / "pwned"
    git(store_path, "config", "remote.evil.url", f"ext::sh -c touch% {marker}")
    result = cli_run("--store", store_path, "pull", "evil")
    assert result.code == 2 and "transport helper" in result.err
    # Even plain git in the store refuses: protocol.ext.allow=never is in its config.
    proc = subprocess.run(
        ["git", "--git-dir", str(store_path), "fetch", "evil"], capture_output=True, text=True
    )
    assert proc.returncode != 0 and not marker.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/newsroom/drafts.git",
        "ssh://git@gitea.example.org:2222/desk/drafts.git",
        "git@gitlab.com:desk/drafts.git",
        "http://127.0.0.1:8080/drafts.git",
        "file:///srv/drafts.git",
    ],
)
def test_ordinary_remote_urls_are_accepted(url: str) -> None:
    assert check_remote_url(url) == url


@pytest.mark.parametrize("name", ["-x", "a..b", "x.lock", "a/b", "a b", "ü", "x\n", "", "." * 3])
def test_bad_remote_names_are_refused(name: str, store_path: Path, cli_run: CliRun) -> None:
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "remote", "add", "--", name, "https://example.org/x")
    assert result.code == 2 and result.err.startswith("error: invalid remote name")
    assert snapshot(store_path) == before


def test_credentials_are_never_echoed(store_path: Path, cli_run: CliRun) -> None:
    port = _closed_port()
    url = f"http://editor:s3cr3t-pw@127.0.0.1:{port}/drafts.git"
    added = cli_run("--store", store_path, "remote", "add", "origin", url)
    assert added.code == 0 and "editor:***@127.0.0.1" in added.out
    listed = cli_run("--store", store_path, "remote", "list")
    failed = cli_run("--store", store_path, "pull", "--timeout", "20")
    assert failed.code == 2 and "fetch from origin" in failed.err
    for result in (added, listed, failed):
        assert "s3cr3t" not in result.out + result.err
    assert redact("https://ghp_token123@github.com/o/r") == "https://***@github.com/o/r"
    assert redact("ssh://git@host/x") == "ssh://git@host/x"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP listener on loopback that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _git_processes_for(port: int) -> list[str]:
    """Live or zombie processes whose command line mentions the port, or our zombie children."""
    found = []
    me = str(os.getpid())
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            cmdline = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (pid_dir / "status").read_text()
        except OSError:
            continue
        zombie = "State:\tZ" in status
        ppid = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("PPid:")), "")
        if str(port) in cmdline or (zombie and ppid == me):
            found.append(f"{pid_dir.name}: {cmdline or '(zombie)'}")
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to list processes")
def test_a_remote_that_never_answers_times_out_without_leftover_processes(
    store_path: Path, silent_server: int, cli_run: CliRun
) -> None:
    url = f"http://127.0.0.1:{silent_server}/drafts.git"
    assert cli_run("--store", store_path, "remote", "add", "origin", url).code == 0
    before = snapshot(store_path)
    for command in ("pull", "push"):
        start = time.monotonic()
        result = cli_run("--store", store_path, command, "--timeout", "1.5")
        assert result.code == 2
        assert "did not answer within 1.5 s; stopped" in result.err
        assert time.monotonic() - start < 15
    clone = cli_run("clone", url, store_path.parent / "never", "--timeout", "1")
    assert clone.code == 2 and not (store_path.parent / "never").exists()
    assert _git_processes_for(silent_server) == []
    assert {k: v for k, v in snapshot(store_path).items() if not k.startswith("refs/")} == {
        k: v for k, v in before.items() if not k.startswith("refs/")
    }


def test_provenance_text_never_reaches_config_or_ref_names(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    a, b = shared
    hostile = '"]\n[core]\n\thooksPath = /srv/evil-hooks ; refs/heads/../../evil'
    add(b, "accord", "Hostile.\n", outlet="Outlet ]] refs/heads/x", note=hostile)
    assert cli_run("--store", b, "sync").code == 0
    assert cli_run("--store", a, "pull").code == 0
    for path in (a, b):
        config = git(path, "config", "--list")
        refs = git(path, "for-each-ref", "--format=%(refname)")
        assert "Outlet" not in config + refs and "evil-hooks" not in config
        assert set(refs.split()) <= {"refs/heads/main", "refs/remotes/origin/main"}


def test_serve_follow_is_a_read_only_replica_that_keeps_pulling(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    import urllib.error
    import urllib.request

    a, replica = shared
    port = _closed_port()
    log = replica.parent / "serve.log"  # a file: a pipe read only at the end could fill
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable, "-m", "drafttrack", "--store", str(replica), "serve",
                "--port", str(port), "--follow", "origin", "--every", "1s",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        add(a, "accord", "# Accord\n\n1. A later text.\n", label="Later from A")
        assert cli_run("--store", a, "push").code == 0
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline and "Later from A" not in page:
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/d/accord", timeout=5) as r:
                    page = r.read().decode()
            except (urllib.error.URLError, ConnectionError):
                continue
        assert "Later from A" in page, log.read_text("utf-8", "replace")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/add", data=b"doc=x&text=y", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
        refused.value.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert git(a, "rev-parse", "main") == git(replica, "rev-parse", "main")


def test_placing_next_to_versions_that_share_an_order_key_after_a_merge(
    shared: tuple[Path, Path], cli_run: CliRun
) -> None:
    a, b = shared
    ida = add(a, "accord", "Appended on A.\n", label="A")
    idb = add(b, "accord", "Appended on B.\n", label="B")  # same order key as A's
    assert cli_run("--store", a, "sync").code == 0
    assert cli_run("--store", b, "sync").code == 0
    with Store.open(b) as store:
        last = store.versions("accord")[-1].id
        before = store.add_version(
            "accord", "Placed before.\n", placement=Placement(before=last)
        ).version.id
        after = store.add_version(
            "accord", "Placed after.\n", placement=Placement(after=ida)
        ).version.id
        order = [v.id for v in store.versions("accord")]
    assert order.index(before) < order.index(last)
    assert order.index(ida) < order.index(after)
    assert {ida, idb} <= set(order)
