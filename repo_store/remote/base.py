"""Shared by the remote modules: the timeout default, the errors, what a sync did."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from repo_store.errors import StoreError

REMOTE_TIMEOUT = 120.0
"""Default seconds a network git call may take (``$DRAFTTRACK_REMOTE_TIMEOUT`` overrides)."""

NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$")
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")
_SCP_RE = re.compile(r"^(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>.*)$")
_LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>[^/@\s]+)@")
_PROTOCOLS = ("https", "http", "ssh", "git", "file")
_EMPTY_STORE_FILES = {"drafttrack.json", "README.md"}


class RemoteError(StoreError):
    """A remote is unknown, unreachable, refused the request or is not a drafttrack store."""


class RemoteTimeout(RemoteError):
    """A remote did not answer in time; the git processes were stopped."""


class MergeConflict(StoreError):
    """The same provenance was corrected differently here and on the remote."""


@dataclass(slots=True)
class SyncResult:
    """What one pull or push did."""

    action: str
    """up-to-date | fast-forward | adopted | merged | pushed | empty-remote"""
    head: str | None
    added: int = 0
    """Versions the local store gained."""
    resolved: list[str] = field(default_factory=list)
    """Files edited on both sides and merged automatically."""
