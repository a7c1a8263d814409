"""Crash consistency: writers killed with SIGKILL, stale git locks, full disks, damaged stores.

The kill test repeats 50 times in CI (300 with DRAFTTRACK_FULL=1) with a fixed seed: after each
kill the store has the version whole or not at all, ``git fsck --strict`` is clean and the next
writer succeeds (clearing any lock the killed git left behind).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from repo_store import Provenance, Store, StoreError
from repo_store.recovery import CorruptStore, ReadOnlyStore, clear_stale_locks
from tests.conftest import CliRun, run_process, run_with_file_size_limit, snapshot

FULL = os.environ.get("DRAFTTRACK_FULL") == "1"
SEED = 20260107

WRITER = textwrap.dedent(
    """
    import sys
    from repo_store import Original, Provenance, Store
    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    text = sys.argv[2]
    store.add_version("accord", text, Provenance(label=sys.argv[3], outlet="Reuters"),
                      original=Original(text.encode() * 3, "leak.md"))
    print("done", flush=True)
    """
)


def fsck(store: Path) -> None:
    proc = subprocess.run(
        ["git", "--git-dir", str(store), "fsck", "--strict", "--no-dangling"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _spawn(store: Path, text: str, label: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store), text, label],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return proc


def _ready(proc: subprocess.Popen[str]) -> subprocess.Popen[str]:
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _text(i: int) -> str:
    return f"# Accord\n\n1. Clause {i}: the parties „agree“ — «d'accord».\n\n2. Пункт {i}.\n"


def _check_whole_or_absent(store: Path, label: str, text: str) -> bool:
    """True when the version is recorded (and then complete), False when absent."""
    with Store.open(store) as s:
        found = [v for v in s.versions("accord") if v.provenance.get("label") == label]
        if not found:
            return False
        assert len(found) == 1
        version = found[0]
        assert s.read_text("accord", version.id) == text
        prov = version.provenance
        assert prov["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
        original = s.read_original(version)
        assert original == text.encode() * 3
        assert prov["original"]["sha256"] == hashlib.sha256(original).hexdigest()
        return True


@pytest.mark.slow
def test_a_writer_killed_at_random_points_leaves_the_store_whole(store_path: Path) -> None:
    with Store.open(store_path) as s:
        s.add_version("accord", _text(0), Provenance(label="base"))
    # Calibrate: how long one addition takes after the "go" signal.
    durations = []
    for i in range(3):
        proc = _ready(_spawn(store_path, _text(1000 + i), f"calibrate-{i}"))
        start = time.perf_counter()
        out, _ = proc.communicate("go\n", timeout=60)
        durations.append(time.perf_counter() - start)
        assert "done" in out
    span = max(durations) * 1.3
    rng = random.Random(SEED)
    outcomes = {True: 0, False: 0}
    repetitions = 300 if FULL else 50
    upcoming = _spawn(store_path, _text(1), "crash-0")
    for i in range(repetitions):
        text, label = _text(i + 1), f"crash-{i}"
        proc = _ready(upcoming)
        if i + 1 < repetitions:  # the next writer starts up while this one is killed
            upcoming = _spawn(store_path, _text(i + 2), f"crash-{i + 1}")
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0, span))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate(timeout=30)
        outcomes[_check_whole_or_absent(store_path, label, text)] += 1
        fsck(store_path)
    # The next writer works whatever the killed one left behind.
    with Store.open(store_path) as s:
        s.add_version("accord", "After the crashes.\n", Provenance(label="after"))
        landed = {v.provenance["label"] for v in s.versions("accord")}
    assert "after" in landed
    assert sum(outcomes.values()) == repetitions
    assert outcomes[True] > 0 and outcomes[False] > 0, outcomes
    fsck(store_path)


@pytest.mark.parametrize("lock", ["refs/heads/main.lock", "index.lock", "packed-refs.lock"])
def test_a_stale_git_lock_is_cleared_with_a_message(
    store_path: Path, cli_run: CliRun, tmp_path: Path, lock: str
) -> None:
    (store_path / lock).write_text("0" * 40 + "\n")
    text = tmp_path / "t.md"
    text.write_text("Text.\n", encoding="utf-8")
    result = run_process("--store", store_path, "add", "doc", text)
    assert result.returncode == 0, result.stderr
    assert f"removed a stale git lock {lock}" in result.stderr.decode()
    assert not (store_path / lock).exists()
    fsck(store_path)


def test_a_lock_held_by_a_live_process_is_not_removed(store_path: Path) -> None:
    lock = store_path / "refs" / "heads" / "main.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; f=open(sys.argv[1],'w'); print('held',flush=True); time.sleep(60)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert clear_stale_locks(store_path) == []
        with Store.open(store_path) as s, pytest.raises(StoreError):
            s.add_version("doc", "Blocked.\n")
        assert lock.exists()
    finally:
        holder.kill()
        holder.communicate()
    lock.unlink()


def test_no_lock_is_touched_while_another_writer_holds_the_store_lock(
    store_path: Path, tmp_path: Path
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time\nfrom repo_store import Store\n"
            "s=Store.open(sys.argv[1])\n"
            "with s.write_lock():\n print('locked',flush=True); time.sleep(1.5)\n",
            str(store_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    stale = store_path / "refs" / "heads" / "main.lock"
    stale.write_text("x")
    text = tmp_path / "t.md"
    text.write_text("Waited.\n", encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-m", "drafttrack", "--store", str(store_path), "add", "doc", str(text)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.7)
    assert stale.exists(), "removed while a live writer held the store lock"
    holder.communicate(timeout=30)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert not stale.exists()


def test_disk_full_during_an_addition_is_a_clear_error(store_path: Path, tmp_path: Path) -> None:
    with Store.open(store_path) as s:
        s.add_version("accord", _text(0), Provenance(label="base"))
    head = subprocess.check_output(["git", "--git-dir", str(store_path), "rev-parse", "main"])
    big = tmp_path / "big.md"
    rng = random.Random(SEED)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyzäöüß") for _ in range(8)) for _ in range(9000)
    ]
    big.write_text("# Big\n\n" + " ".join(words) + "\n", encoding="utf-8")
    proc = run_with_file_size_limit(32 * 1024, "--store", store_path, "add", "accord", big)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "disk full or file size limit" in proc.stderr
    assert "nothing was recorded" in proc.stderr
    after = subprocess.check_output(["git", "--git-dir", str(store_path), "rev-parse", "main"])
    assert after == head
    fsck(store_path)
    with Store.open(store_path) as s:
        assert [v.label for v in s.versions("accord")] == ["base"]
        s.add_version("accord", big.read_text("utf-8"), Provenance(label="big"))


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


def _read_only_run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run drafttrack with the store on a read-only mount (or without write permission)."""
    cmd = [sys.executable, "-m", "drafttrack", "--store", str(store), *args]
    if os.geteuid() != 0:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", str(store), *cmd],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_read_only_store_serves_reads_and_refuses_writes(
    store_path: Path, tmp_path: Path
) -> None:
    if os.geteuid() == 0 and not _unshare_works():
        pytest.skip("running as root without `unshare -rm`: cannot make a read-only mount")
    with Store.open(store_path) as s:
        vid = s.add_version("accord", _text(0), Provenance(label="base")).version.id
    text = tmp_path / "t.md"
    text.write_text("New.\n", encoding="utf-8")
    modes = {p: p.stat().st_mode for p in [store_path, *store_path.rglob("*")] if p.is_dir()}
    if os.geteuid() != 0:
        for p in modes:
            p.chmod(0o555)
    try:
        before = snapshot(store_path)
        shown = _read_only_run(store_path, "show", "accord", "base")
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("# Accord")
        logged = _read_only_run(store_path, "log", "accord", "--json")
        assert json.loads(logged.stdout)["versions"][0]["id"] == vid
        added = _read_only_run(store_path, "add", "accord", str(text))
        assert added.returncode == 2
        assert added.stderr.startswith("error: ") and "the store is read-only" in added.stderr
        assert snapshot(store_path) == before
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_a_truncated_ref_refuses_writes_naming_git_fsck(store_path: Path, tmp_path: Path) -> None:
    ref = store_path / "refs" / "heads" / "main"
    ref.write_bytes(ref.read_bytes()[:17])
    text = tmp_path / "t.md"
    text.write_text("New.\n", encoding="utf-8")
    result = run_process("--store", store_path, "add", "accord", text)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.startswith("error: ") and "damaged" in err and "git fsck" in err


def test_a_corrupt_head_object_refuses_writes_naming_git_fsck(store_path: Path) -> None:
    with Store.open(store_path) as s:
        s.add_version("accord", _text(0), Provenance(label="base"))
        head = s.head()
    assert head is not None
    loose = store_path / "objects" / head[:2] / head[2:]
    loose.chmod(0o644)
    loose.write_bytes(loose.read_bytes()[:10])
    before = snapshot(store_path)
    with pytest.raises(StoreError, match="git fsck"):
        with Store.open(store_path) as s:
            s.add_version("accord", "Another.\n")
    assert snapshot(store_path) == before


def test_error_classes_are_store_errors() -> None:
    assert issubclass(ReadOnlyStore, StoreError) and issubclass(CorruptStore, StoreError)
