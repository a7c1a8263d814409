"""Commands that share a store through git remotes: remote, push, pull, sync, clone."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from repo_store import Store, StoreError
from repo_store import remote as remotes_mod
from repo_store.remote import SyncResult, redact

log = logging.getLogger("drafttrack")

timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.5),
    metavar="SECONDS",
    help="Give up on a remote that does not answer (default $DRAFTTRACK_REMOTE_TIMEOUT, else 120).",
)


def _describe(name: str, result: SyncResult) -> str:
    short = (result.head or "")[:10]
    if result.action == "up-to-date":
        return f"already up to date with {name} ({short})"
    if result.action == "empty-remote":
        return f"{name} holds no store yet; nothing to pull (push to fill it)"
    gained = f"{result.added} new version{'s' if result.added != 1 else ''}"
    if result.action == "fast-forward":
        return f"pulled {gained} from {name} (fast-forward to {short})"
    if result.action == "adopted":
        return f"adopted the history of {name} ({short}): this store had no versions"
    if result.action == "merged":
        merged = f"merged {gained} from {name} (merge commit {short})"
        if result.resolved:
            merged += "; combined edits to " + ", ".join(result.resolved)
        return merged
    return f"pushed {short} to {name}"


@cli.group()
def remote() -> None:
    """Manage the remotes a store is shared through (any git remote: a path, ssh, https)."""


@remote.command("add")
@click.argument("name")
@click.argument("url")
@pass_store
def remote_add(store_path: StorePath, name: str, url: str) -> None:
    """Add remote NAME at URL (https://…, ssh://…, user@host:path or a local path)."""
    with store_path.open() as store:
        stored = remotes_mod.add_remote(store, name, url)
    click.echo(f"added remote {name} → {redact(stored)}")
    if redact(stored) != stored:
        click.echo(
            "warning: the URL's credentials are kept in the store's git config; "
            "prefer ssh keys or a git credential helper",
            err=True,
        )


@remote.command("list")
@pass_store
def remote_list(store_path: StorePath) -> None:
    """List the remotes (credentials in URLs are hidden)."""
    with store_path.open() as store:
        for name, url in sorted(remotes_mod.remotes(store).items()):
            click.echo(f"{name}\t{redact(url)}")


@remote.command("remove")
@click.argument("name")
@pass_store
def remote_remove(store_path: StorePath, name: str) -> None:
    """Forget remote NAME (the remote itself is not touched)."""
    with store_path.open() as store:
        remotes_mod.remove_remote(store, name)
    click.echo(f"removed remote {name}")


@cli.command()
@click.argument("name", required=False)
@timeout_option
@pass_store
def pull(store_path: StorePath, name: str | None, timeout: float | None) -> None:
    """Fetch NAME (default: the only remote, or origin) and merge its versions into this store."""
    with store_path.open() as store:
        name, _ = remotes_mod.resolve_remote(store, name)
        result = remotes_mod.pull(store, name, timeout=timeout)
    click.echo(_describe(name, result))


@cli.command()
@click.argument("name", required=False)
@timeout_option
@pass_store
def push(store_path: StorePath, name: str | None, timeout: float | None) -> None:
    """Send this store's versions to NAME (refused when NAME has versions not pulled yet)."""
    with store_path.open() as store:
        name, _ = remotes_mod.resolve_remote(store, name)
        result = remotes_mod.push(store, name, timeout=timeout)
    click.echo(_describe(name, result))


@cli.command()
@click.argument("name", required=False)
@timeout_option
@pass_store
def sync(store_path: StorePath, name: str | None, timeout: float | None) -> None:
    """Pull from NAME, then push to it: afterwards both hold the same versions."""
    with store_path.open() as store:
        name, _ = remotes_mod.resolve_remote(store, name)
        pulled, pushed = remotes_mod.sync(store, name, timeout=timeout)
    click.echo(_describe(name, pulled))
    click.echo(_describe(name, pushed))


@cli.command()
@click.argument("url")
@click.argument("path", required=False)
@click.option("--name", default="origin", show_default=True, help="Name of the remote.")
@timeout_option
@pass_store
def clone(
    store_path: StorePath, url: str, path: str | None, name: str, timeout: float | None
) -> None:
    """Copy the store at URL into PATH (default: --store) as a bare store with remote NAME."""
    target = path or str(store_path.path)
    with remotes_mod.clone(url, target, name=name, timeout=timeout) as store:
        count = sum(len(store.versions(d.slug)) for d in store.documents())
    click.echo(f"cloned {redact(url)} into {target}: {count} versions (remote {name})")


# -- a read-only replica that follows a remote (used by `serve --follow`) -----------------------
def parse_every(text: str) -> float:
    """``60s``, ``5m``, ``1h`` or plain seconds → seconds (at least 1)."""
    units = {"s": 1, "m": 60, "h": 3600}
    raw = text.strip().lower()
    scale = units.get(raw[-1:], None)
    number = raw[:-1] if scale else raw
    try:
        seconds = float(number) * (scale or 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an interval like 60s, 5m or 1h") from None
    if not 1 <= seconds <= 7 * 86400:
        raise click.BadParameter(f"{text!r}: choose between 1 s and 7 days")
    return seconds


class Follower(threading.Thread):
    """Pulls ``name`` into the store every ``every`` seconds until stopped (errors are logged)."""

    def __init__(self, store_path: Path, name: str, every: float) -> None:
        super().__init__(name=f"drafttrack-follow-{name}", daemon=True)
        self.store_path, self.remote, self.every = store_path, name, every
        self.stopped = threading.Event()

    def pull_once(self) -> SyncResult:
        """One pull (its own short-lived Store: GitPython is not thread-safe)."""
        with Store.open(self.store_path) as store:
            return remotes_mod.pull(store, self.remote)

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                result = self.pull_once()
            except StoreError as exc:
                log.warning("drafttrack: following %s: %s", self.remote, exc)
                continue
            if result.action not in ("up-to-date", "empty-remote"):
                log.warning("drafttrack: %s", _describe(self.remote, result))

    def stop(self) -> None:
        """Ask the loop to end (it ends after the current pull)."""
        self.stopped.set()


def start_follower(store_path: Path, name: str, every: float) -> Follower:
    """Pull once now (failing loudly), then keep pulling in the background."""
    follower = Follower(store_path, name, every)
    click.echo(_describe(name, follower.pull_once()))
    follower.start()
    return follower
