"""Many writers on one store: 8 processes and the viewer's form adding versions at the same time.

Runs 10 s in CI and 60 s with DRAFTTRACK_FULL=1. Every addition a writer was told succeeded is in
the store exactly once, with its text, and ``git fsck --strict`` is clean.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from repo_store import Store

FULL = os.environ.get("DRAFTTRACK_FULL") == "1"
SECONDS = 60.0 if FULL else 10.0
PROCESSES = 8

WRITER = textwrap.dedent(
    """
    import sys, time
    from repo_store import Placement, Provenance, Store
    path, me, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        doc = f"doc-{(me + n) % 3}"
        label = f"w{me}-{n}"
        text = f"# Text\\n\\n1. Writer {me}, addition {n}: „Einigung“ — угода.\\n"
        with Store.open(path) as store:
            placed = Placement(before="first") if n % 4 == 3 else Placement()
            result = store.add_version(
                doc, text, Provenance(label=label, outlet=f"Outlet {me}"), placement=placed
            )
        print(f"{doc}\\t{result.version.id}\\t{label}", flush=True)
        n += 1
    """
)


def _form_writer(store: Path, stop: threading.Event, landed: list[tuple[str, str, str]]) -> None:
    """The viewer's upload form, posting through the real Flask app with its CSRF token."""
    from web import create_app

    app = create_app(store, SECRET_KEY="concurrency-test", BIND_HOST="127.0.0.1")
    client = app.test_client()
    page = client.get("/add").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the form carries a CSRF token"
    n = 0
    while not stop.is_set():
        doc, label = "doc-web", f"web-{n}"
        response = client.post(
            "/add",
            data={
                "csrf_token": token.group(1),
                "doc": doc,
                "label": label,
                "outlet": "Viewer form",
                "text": f"Web addition {n}: «accord».\n",
                "placement": "end",
            },
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        landed.append((doc, response.headers["Location"].rstrip("/").split("/")[-1], label))
        n += 1


def _web_available() -> bool:
    try:
        import web  # noqa: F401
        import web.views.upload  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_eight_processes_and_the_form_add_concurrently(store_path: Path, tmp_path: Path) -> None:
    # Output to files: pipes read one process after another could fill while others wait.
    logs = [(tmp_path / f"writer-{i}.out", tmp_path / f"writer-{i}.err") for i in range(PROCESSES)]
    procs = []
    for i, (out_path, err_path) in enumerate(logs):
        with out_path.open("wb") as out, err_path.open("wb") as err:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRITER, str(store_path), str(i), str(SECONDS)],
                    stdout=out,
                    stderr=err,
                )
            )
    web_landed: list[tuple[str, str, str]] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def form() -> None:
        try:
            _form_writer(store_path, stop, web_landed)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test below
            errors.append(exc)

    thread = threading.Thread(target=form) if _web_available() else None
    if thread:
        thread.start()
    reported: list[tuple[str, str, str]] = []
    for proc, (out_path, err_path) in zip(procs, logs, strict=True):
        proc.wait(timeout=SECONDS + 120)
        assert proc.returncode == 0, err_path.read_text("utf-8", "replace")
        out = out_path.read_text("utf-8")
        reported += [tuple(line.split("\t")) for line in out.splitlines()]  # type: ignore[misc]
    stop.set()
    if thread:
        thread.join(timeout=60)
    assert not errors, errors
    reported += web_landed
    assert len(reported) >= PROCESSES, "every writer added at least one version"

    with Store.open(store_path) as store:
        stored = []
        for doc in store.documents():
            for v in store.versions(doc.slug):
                label = v.provenance["label"]
                stored.append((doc.slug, v.id, label))
                text = store.read_text(doc.slug, v.id)
                who, _, n = label.partition("-")
                if who == "web":
                    assert f"Web addition {n}: «accord»." in text
                else:
                    assert f"Writer {who[1:]}, addition {n}: „Einigung“ — угода." in text
    assert sorted(stored) == sorted(reported)
    assert len(set(stored)) == len(stored)
    fsck = subprocess.run(
        ["git", "--git-dir", str(store_path), "fsck", "--strict"], capture_output=True, text=True
    )
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    commits = subprocess.check_output(
        ["git", "--git-dir", str(store_path), "rev-list", "--count", "main"], text=True
    )
    assert int(commits) == len(reported) + 1
