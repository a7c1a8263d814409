"""Running git against a remote: its own process group, a timeout, protocols allow-listed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from repo_store.gitio import git_env
from repo_store.remote.base import _PROTOCOLS, REMOTE_TIMEOUT, RemoteTimeout
from repo_store.remote.urls import redact
from repo_store.store import Store


# -- running git -------------------------------------------------------------------------------
def remote_timeout() -> float:
    """Seconds allowed for one network call ($DRAFTTRACK_REMOTE_TIMEOUT, default 120)."""
    try:
        return max(0.5, float(os.environ.get("DRAFTTRACK_REMOTE_TIMEOUT", REMOTE_TIMEOUT)))
    except ValueError:
        return REMOTE_TIMEOUT


def _protocol_config() -> list[str]:
    args = ["-c", "protocol.allow=never"]
    for proto in _PROTOCOLS:
        args += ["-c", f"protocol.{proto}.allow=always"]
    return args + [
        "-c",
        "protocol.ext.allow=never",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "transfer.fsckObjects=true",
        "-c",
        "credential.interactive=false",
        "-c",
        "http.lowSpeedLimit=1",
        "-c",
        "http.lowSpeedTime=60",
    ]


def run_network(
    args: Sequence[str], *, git_dir: Path | None, timeout: float | None = None
) -> tuple[int, str, str]:
    """Run one git command that may talk to a remote: own process group, timeout, reaped.

    Returns (status, stdout, stderr) with credentials redacted. On timeout the whole process
    group (git and its transport helpers) is killed and waited for, then :class:`RemoteTimeout`.
    """
    limit = remote_timeout() if timeout is None else timeout
    env = {**os.environ, **git_env()}
    env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
    env.pop("GIT_DIR", None)
    cmd = ["git", *_protocol_config()]
    if git_dir is not None:
        cmd += ["--git-dir", str(git_dir)]
    cmd += list(args)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise RemoteTimeout(
            f"git {args[0]}: the remote did not answer within {limit:g} s; stopped"
        ) from None
    except BaseException:
        _kill_group(proc)
        raise
    return (
        proc.returncode,
        redact(out.decode("utf-8", "replace")),
        redact(err.decode("utf-8", "replace")),
    )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL git and every helper it started, then reap them (no zombies left behind)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
    # Helpers re-parented away from git were in the same group: wait until they are gone.
    for _ in range(100):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:", "remote: fatal", "!")):
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return lines[-1] if lines else "no details"


def _status(store: Store, *args: str) -> tuple[int, str, str]:
    """A local git call whose exit status matters (not an error in itself)."""
    return store.io.status(*args)
