"""Remote names and URLs checked before git sees them, and credentials redacted from output."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from repo_store.errors import InvalidName
from repo_store.remote.base import (
    _HOST_RE,
    _LOOPBACK,
    _PROTOCOLS,
    _SCP_RE,
    _USERINFO_RE,
    NAME_RE,
)


# -- validation --------------------------------------------------------------------------------
def check_remote_name(name: str) -> str:
    """A remote name: letters, digits, '.', '_', '-'; safe as a config key and a ref component."""
    if not name or not NAME_RE.fullmatch(name) or ".." in name or name.endswith(".lock"):
        raise InvalidName(
            f"invalid remote name {name[:40]!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit"
        )
    return name


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text)


def check_remote_url(url: str) -> str:
    """An allowed remote: https/ssh URL, scp-like ``user@host:path``, or a local path.

    http:// and git:// are accepted for loopback hosts only; command-running transports
    (``ext::``, any ``helper::``), option injection (a leading ``-``), control characters and
    hosts beginning with ``-`` are refused. Local paths are returned absolute.
    """
    shown = redact(url)[:80]
    if not url or len(url) > 2048:
        raise InvalidName("remote URL is empty or longer than 2048 characters")
    if _control(url):
        raise InvalidName(f"remote URL {shown!r} contains control characters")
    if url.startswith("-"):
        raise InvalidName(f"remote URL {shown!r} begins with '-'")
    if "::" in url:
        raise InvalidName(f"remote URL {shown!r} uses a transport helper ('::'); not allowed")
    scheme, sep, rest = url.partition("://")
    if sep:
        scheme = scheme.lower()
        if scheme not in _PROTOCOLS:
            raise InvalidName(
                f"remote URL {shown!r}: protocol {scheme!r} is not allowed "
                "(use https, ssh or a local path)"
            )
        if scheme == "file":
            return url
        authority = rest.split("/", 1)[0]
        host = authority.rpartition("@")[2]
        if host.startswith("[") and "]" in host:
            host = host[: host.index("]") + 1]
        else:
            host = host.split(":", 1)[0]
        if not host or host.startswith("-") or not _HOST_RE.fullmatch(host) or " " in url:
            raise InvalidName(f"remote URL {shown!r} has an invalid host")
        if scheme in {"http", "git"} and host.lower() not in _LOOPBACK:
            raise InvalidName(f"remote URL {shown!r}: {scheme}:// is unencrypted; use https or ssh")
        return url
    scp = _SCP_RE.match(url)
    if scp and "/" not in url.split(":", 1)[0] and not Path(url).exists():
        host, path = scp.group("host"), scp.group("path")
        if host.startswith("-") or path.startswith("-") or not _HOST_RE.fullmatch(host):
            raise InvalidName(f"remote URL {shown!r} has an invalid host or path")
        return url
    return str(Path(url).expanduser().resolve())


def redact(text: str) -> str:
    """``https://user:secret@host`` → ``https://user:***@host`` (a bare token: ``***@``)."""

    def hide(match: re.Match[str]) -> str:
        scheme, info = match.group("scheme"), match.group("info")
        user, colon, _ = info.partition(":")
        if colon:
            return f"{scheme}{user}:***@"
        if scheme.lower().startswith(("http", "https")):
            return f"{scheme}***@"
        return match.group(0)

    return _USERINFO_RE.sub(hide, text)
