"""Commands that share a store through git remotes: remote, push, pull, sync, clone."""

from __future__ import annotations

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from repo_store import remote as remotes_mod
from repo_store.remote import SyncResult, redact

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
