"""Shared fixtures: real stores in temporary folders, the CLI run in-process or as a process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafttrack.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
DEMO = REPO_ROOT / "drafttrack" / "demo_data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding a ``slow`` test run first, each module's tests in their order: the workers
    share out the long tests at the start and end together on short ones (the workers take
    their tests in order and an idle one takes from the end of a busy one's queue)."""
    slow = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow)


@pytest.fixture(autouse=True)
def _fixed_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits in tests have a fixed author (dates stay real unless a test fixes them)."""
    monkeypatch.setenv("DRAFTTRACK_AUTHOR_NAME", "drafttrack tests")
    monkeypatch.setenv("DRAFTTRACK_AUTHOR_EMAIL", "tests@drafttrack.invalid")
    monkeypatch.delenv("DRAFTTRACK_STORE", raising=False)


@dataclass
class Result:
    """What one CLI run produced."""

    code: int
    out: str
    err: str


CliRun = Callable[..., Result]


@pytest.fixture
def cli_run() -> CliRun:
    """Run ``drafttrack ARGS`` in this process (the real entry point, real store)."""
    return run_cli


def run_cli(*args: str | Path, input: bytes | str | None = None) -> Result:
    """``drafttrack ARGS`` in this process, for fixtures that cannot take ``cli_run``."""
    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        code = main([str(a) for a in args])
        out = streams[0].getvalue().decode("utf-8")
        err = streams[1].getvalue().decode("utf-8")
    return Result(code, out, err)


@pytest.fixture
def store_path(tmp_path: Path, cli_run: CliRun) -> Path:
    """An empty, initialised store."""
    path = tmp_path / "store"
    assert cli_run("--store", path, "init").code == 0
    return path


def run_process(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m drafttrack ARGS`` as a separate process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "drafttrack", *map(str, args)],
        input=input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def run_with_file_size_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m drafttrack ARGS`` in a process whose files may not grow past ``limit``
    bytes (RLIMIT_FSIZE): writes fail as on a full disk."""
    launcher = (
        "import os,resource,sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'drafttrack', *sys.argv[1:]])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", launcher, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def without_package(tmp_path: Path, package: str) -> dict[str, str]:
    """Environment for ``run_process`` in which importing ``package`` fails as if it were not
    installed (a stand-in that raises ImportError comes first on PYTHONPATH)."""
    blocker = tmp_path / f"without-{package}" / package
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(f"raise ImportError('{package} is not installed')\n")
    return {"PYTHONPATH": os.pathsep.join([str(blocker.parent), os.environ.get("PYTHONPATH", "")])}


def without_pango(tmp_path: Path) -> dict[str, str]:
    """Environment for ``run_process`` in which importing WeasyPrint fails as it does where the
    Pango system library is missing (WeasyPrint loads Pango through cffi when imported)."""
    blocker = tmp_path / "without-pango" / "weasyprint"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'pango-1.0-0': pango-1.0-0: cannot open shared "
        'object file: No such file or directory")\n'
    )
    return {"PYTHONPATH": os.pathsep.join([str(blocker.parent), os.environ.get("PYTHONPATH", "")])}


def snapshot(path: Path) -> dict[str, str]:
    """sha256 of every file of a store (the lock file and derived cache excluded)."""
    digests = {}
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path).as_posix()
        if file.is_file() and rel != "drafttrack.lock" and not rel.startswith("drafttrack-cache"):
            digests[rel] = hashlib.sha256(file.read_bytes()).hexdigest()
    return digests


def load_demo(cli_run: CliRun, store: Path) -> None:
    """Add the demo manifest's versions through the CLI, in arrival order, using --before."""
    import json

    manifest = json.loads((DEMO / "manifest.json").read_text("utf-8"))
    for doc in manifest["documents"]:
        placed: list[tuple[int, str]] = []
        for entry in doc["versions_in_order_added"]:
            args = [
                "--store",
                store,
                "add",
                doc["slug"],
                DEMO / entry["file"],
                "--title",
                doc["title"],
                "--label",
                entry["label"],
                "--completeness",
                entry["completeness"],
            ]
            if doc.get("language"):
                args += ["--language", doc["language"]]
            if entry.get("language"):
                args += ["--text-language", entry["language"]]
            source = entry["source"]
            if source.get("outlet"):
                args += ["--source", source["outlet"]]
            for via in source.get("via", []):
                args += ["--via", via]
            for key in ("reported_on", "drafted_on"):
                if entry.get(key):
                    args += [f"--{key.replace('_', '-')}", entry[key]]
            later = sorted(p for p in placed if p[0] > entry["position"])
            if later:
                args += ["--before", later[0][1]]
            result = cli_run(*args)
            assert result.code == 0, result.err
            placed.append((entry["position"], entry["label"]))


@pytest.fixture(scope="module")
def shared_demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store for a whole test module, for tests that only read it."""
    from drafttrack.service.demo import build_demo_store

    path = tmp_path_factory.mktemp("shared-demo") / "store"
    build_demo_store(path).close()
    return path


@pytest.fixture
def demo_store(store_path: Path, cli_run: CliRun) -> Iterator[Path]:
    """A store holding the demo documents, loaded through ``drafttrack add``."""
    load_demo(cli_run, store_path)
    yield store_path


def viewer_page(store: Path, path: str, **query: str) -> str:
    """A viewer page's HTML through the Flask test client (asserting a 200)."""
    from web import create_app

    client = create_app(store, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    response = client.get(path, query_string=query)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def lineage_key(store: Path, doc: str, phrase: str) -> str:
    """The lineage key of the one clause of DOC holding ``phrase`` (asserting there is one)."""
    from drafttrack.service.lineages import document_lineages
    from drafttrack.trace import trace_lineages
    from repo_store import Store

    with Store.open(store) as s, document_lineages(s, doc) as lin:
        keys = {c["key"] for t in trace_lineages(lin, phrase)["timeline"] for c in t["clauses"]}
    assert len(keys) == 1, (phrase, keys)
    return keys.pop()


def trace_and_history_pages(
    store: Path, cli_run: CliRun, doc: str, texts: dict[str, str], phrase: str
) -> list[str]:
    """Add ``texts`` (label: text) as versions of DOC, then the HTML of its trace page for
    ``phrase`` and of the history page of the one lineage holding it."""
    for label, text in texts.items():
        result = cli_run("--store", store, "add", doc, "-", "--label", label, input=text)
        assert result.code == 0, result.err
    key = lineage_key(store, doc, phrase)
    return [viewer_page(store, f"/d/{doc}/trace", q=phrase),
            viewer_page(store, f"/d/{doc}/history/{key}")]  # fmt: skip
