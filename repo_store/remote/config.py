"""The remotes configured in a store: list, add, remove, resolve (the default one)."""

from __future__ import annotations

from repo_store.remote.base import RemoteError
from repo_store.remote.network import _status
from repo_store.remote.urls import check_remote_name, check_remote_url
from repo_store.store import Store


# -- remotes in the store's config ---------------------------------------------------------------
def remotes(store: Store) -> dict[str, str]:
    """Configured remotes: name → URL (as stored; use :func:`redact` before showing)."""
    status, out, _ = _status(store, "config", "--null", "--get-regexp", r"^remote\..*\.url$")
    found: dict[str, str] = {}
    if status != 0:
        return found
    for record in out.split("\0"):
        key, _, value = record.partition("\n")
        if key.startswith("remote.") and key.endswith(".url"):
            found[key[len("remote.") : -len(".url")]] = value
    return found


def add_remote(store: Store, name: str, url: str) -> str:
    """Record a remote; returns the URL as stored (local paths made absolute)."""
    check_remote_name(name)
    url = check_remote_url(url)
    if name in remotes(store):
        raise RemoteError(f"a remote named {name!r} already exists")
    with store.write_lock():
        store.io.run("config", f"remote.{name}.url", url)
    return url


def remove_remote(store: Store, name: str) -> None:
    """Forget a remote and its remote-tracking branch."""
    resolve_remote(store, name)
    with store.write_lock():
        store.io.run("config", "--remove-section", f"remote.{name}")
        _status(store, "update-ref", "-d", f"refs/remotes/{name}/main")


def resolve_remote(store: Store, name: str | None) -> tuple[str, str]:
    """The remote to use (NAME, the only one, or origin) and its checked URL."""
    known = remotes(store)
    if name is None:
        if len(known) == 1:
            name = next(iter(known))
        elif "origin" in known:
            name = "origin"
        elif not known:
            raise RemoteError(
                "no remote configured (add one with `drafttrack remote add NAME URL`)"
            )
        else:
            raise RemoteError(f"several remotes ({', '.join(sorted(known))}): name one")
    check_remote_name(name)
    if name not in known:
        raise RemoteError(f"no remote named {name!r}")
    return name, check_remote_url(known[name])
