"""Watches as files: what a watch is (committed in ``_watches/<id>.json``), its derived schedule
state (``watch-state.json`` in the store's cache folder) and its failed checks (outside git)."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from drafttrack.errors import DrafttrackError
from drafttrack.service.events import document_events
from drafttrack.watch.clock import iso_utc
from drafttrack.watch.extract import Rules
from drafttrack.watch.fetch import Fetched
from repo_store import Store, Version

WATCH_DIR = "_watches"
DEFAULT_EVERY_S = 6 * 3600
DEFAULT_LABEL_FORMAT = "%Y-%m-%d %H:%M:%S UTC"
MIN_EVERY_S = 60
INTERVAL_JITTER = 0.1
DEGRADED_AFTER = 3
WITHDRAWN_AFTER = 3
QUIET = frozenset({"not-modified", "unchanged", "deferred"})
SAVE_EVERY_S = 2.0


class WatchError(DrafttrackError):
    """A watch command with bad input (unknown watch, bad URL, bad rule)."""


@dataclass(frozen=True, slots=True)
class Watch:
    """What the user asked to watch; the file committed in the store."""

    id: str
    document: str
    url: str
    every_s: int = DEFAULT_EVERY_S
    kind: str = "auto"
    select: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    outlet: str | None = None
    label_format: str | None = None
    notify: str | None = None
    paused: bool = False
    obey_robots: bool = True
    removed: bool = False
    feed_into: str = "entry"
    """For a feed: ``entry`` (a document per entry) or ``feed`` (its entries into DOC)."""
    feed_entry: str | None = None
    from_feed: str | None = None

    @property
    def rules(self) -> Rules:
        return Rules(self.kind, self.select, self.remove, self.ignore)

    @property
    def source_outlet(self) -> str:
        return self.outlet or (urlsplit(self.url).hostname or self.url)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("select", "remove", "ignore"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Watch:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        for key in ("select", "remove", "ignore"):
            known[key] = tuple(known.get(key, ()))
        return cls(**known)


@dataclass(slots=True)
class State:
    """A watch's schedule state (derived; never in git)."""

    next_check: float = 0.0
    last_check: float | None = None
    last_change: float | None = None
    failures: int = 0
    gone: int = 0
    withdrawn: bool = False
    etag: str | None = None
    last_modified: str | None = None
    raw_sha256: str | None = None
    current: str | None = None
    accept_next: bool = False
    last_error: str | None = None

    def status(self, watch: Watch) -> str:
        if watch.paused:
            return "paused"
        if self.withdrawn:
            return "withdrawn"
        return "degraded" if self.failures >= DEGRADED_AFTER else "ok"


@dataclass(slots=True)
class CheckReport:
    """What one check of one watch did."""

    watch: str
    outcome: str
    version: str | None = None
    reason: str = ""
    detail: str = ""
    notified: str | None = None
    """What the ``--notify`` webhook answered (None: not fired)."""


def captured(store: Store, watch: Watch) -> list[Version]:
    """The versions ``watch`` recorded, oldest first."""
    head = store.head()
    if not head or not store.has_document(head, watch.document):
        return []
    versions = store.versions(watch.document)
    mine = [v for v in versions if (v.provenance.get("capture") or {}).get("watch") == watch.id]
    return sorted(mine, key=lambda v: str(v.provenance.get("added_at", "")))


def state_path(store: Store) -> Path:
    return store.cache_dir / "watch-state.json"


def load_states(store: Store, watches: list[Watch]) -> dict[str, State]:
    """The saved schedule state, or one rebuilt from the store when it is missing or unreadable."""
    try:
        raw = json.loads(state_path(store).read_text("utf-8"))
        return {k: State(**v) for k, v in raw.items()}
    except (OSError, ValueError, TypeError):
        return rebuild_states(store, watches)


def rebuild_states(store: Store, watches: list[Watch]) -> dict[str, State]:
    """State from the store alone: validators and the current text from the last captured
    version of each watch; due now."""
    states = {}
    for watch in watches:
        state = State()
        found = captured(store, watch)
        last_capture = ""
        if found:
            capture = found[-1].provenance["capture"]
            state.etag, state.last_modified = capture.get("etag"), capture.get("last_modified")
            state.raw_sha256, state.current = capture.get("raw_sha256"), found[-1].id
            last_capture = str(capture.get("fetched_at", ""))
        # a withdrawal recorded after the last capture still stands (no second event)
        mine = [e for e in document_events(store, watch.document) if e.get("watch") == watch.id]
        if mine and mine[-1].get("type") == "withdrawn":
            state.withdrawn = str(mine[-1].get("committed_at", "")) >= last_capture
        states[watch.id] = state
    return states


def save_states(store: Store, states: dict[str, State]) -> None:
    """Write the schedule state atomically (a crash leaves the old file or the new one)."""
    path = state_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps({k: asdict(v) for k, v in states.items()}), "utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def record_failure(store: Store, watch: Watch, fetched: Fetched, reason: str, detail: str) -> None:
    """Append a refused check to the watch's failure log, its raw body kept beside it."""
    folder = store.cache_dir / "watch-failures" / watch.id
    folder.mkdir(parents=True, exist_ok=True)
    stamp = fetched.fetched_at.replace(":", "")
    raw = folder / f"{stamp}-{fetched.sha256[:12]}.body"
    raw.write_bytes(fetched.body)
    entry = {
        "fetched_at": fetched.fetched_at,
        "reason": reason,
        "detail": detail,
        "status": fetched.status,
        "final_url": fetched.final_url,
        "redirects": fetched.redirects,
        "headers": fetched.headers,
        "body": raw.name,
    }
    with open(folder / "checks.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_failures(store: Store, watch_id: str) -> list[dict[str, Any]]:
    """The failed checks recorded for a watch, oldest first."""
    path = store.cache_dir / "watch-failures" / watch_id / "checks.jsonl"
    if not path.exists():
        return []
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def iso_label(fmt: str, t: float) -> str:
    """A label from ``fmt`` (strftime codes) at time ``t`` (UTC)."""
    return datetime.fromtimestamp(t, UTC).strftime(fmt)


def iso_or_none(t: float | None) -> str | None:
    return None if t is None else iso_utc(t)
