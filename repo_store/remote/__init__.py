"""Sharing a store through git remotes: add, fetch, merge, push, clone (plumbing only, checked).

Every user string is validated before git sees it (remote names, URLs), every network call runs in
its own process group with a timeout (killed and reaped when a remote never answers), and
credentials in URLs never reach output or logs (:func:`redact`).

Pulling integrates the remote branch under the store's write lock and moves ``main`` by one
compare-and-swap: up to date, fast-forward, adoption (a store without versions takes the remote's
history) or a real merge commit built with ``git merge-tree --write-tree`` and ``commit-tree -p
OURS -p THEIRS``. Additions never conflict (new files only); provenance files edited on both sides
are merged field by field (lists that both sides appended to are united); the same field corrected
differently on both sides is a true conflict: nothing is merged and both variants stay readable.
"""

from repo_store.remote.base import (
    REMOTE_TIMEOUT,
    MergeConflict,
    RemoteError,
    RemoteTimeout,
    SyncResult,
)
from repo_store.remote.config import add_remote, remotes, remove_remote, resolve_remote
from repo_store.remote.merge import merge_values
from repo_store.remote.network import remote_timeout, run_network
from repo_store.remote.sync import clone, fetch, integrate, pull, push, sync
from repo_store.remote.urls import check_remote_name, check_remote_url, redact

__all__ = [
    "REMOTE_TIMEOUT", "MergeConflict", "RemoteError", "RemoteTimeout", "SyncResult", "add_remote",
    "check_remote_name", "check_remote_url", "clone", "fetch", "integrate", "merge_values", "pull",
    "push", "redact", "remote_timeout", "remotes", "remove_remote", "resolve_remote",
    "run_network", "sync",
]  # fmt: skip
