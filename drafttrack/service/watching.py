"""Watches: a URL polled on a schedule, each real change of its text recorded as a version.

A watch is a plain JSON file committed in the store (``_watches/<id>.json``), so a clone carries
it. Its schedule state (next due, validators, failures) is derived data in the store's cache
folder, rebuilt from the captured versions' provenance when lost. A capture becomes a version
only through :func:`drafttrack.service.versions.add_received`; refused captures are recorded as
failed checks (outside git) with the raw response kept aside for inspection.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from drafttrack.service.events import record_event
from drafttrack.service.watch_files import (
    DEFAULT_EVERY_S,
    INTERVAL_JITTER,
    MIN_EVERY_S,
    QUIET,
    SAVE_EVERY_S,
    WATCH_DIR,
    WITHDRAWN_AFTER,
    CheckReport,
    State,
    Watch,
    WatchError,
    captured,
    iso_label,
    iso_or_none,
    load_states,
    read_failures,
    record_failure,
    save_states,
)
from drafttrack.service.watch_record import change_summary, record_capture, reextract_captures
from drafttrack.watch.capture import judge
from drafttrack.watch.clock import Clock, RealClock, iso_utc
from drafttrack.watch.extract import KINDS, check_rules, kind_of
from drafttrack.watch.feeds import entries as feed_entries
from drafttrack.watch.fetch import MIN_HOST_GAP_S, Fetched, Fetcher, Validators, check_url
from drafttrack.watch.notify import post_json
from repo_store import Store, StoreError, Version, names

__all__ = [
    "DEFAULT_EVERY_S",
    "KINDS",
    "MIN_HOST_GAP_S",
    "CheckReport",
    "State",
    "Watch",
    "WatchError",
    "Watching",
]


@dataclass(slots=True)
class Watching:
    """A store's watches with their state, and the clock and fetcher to check them."""

    store: Store
    clock: Clock = field(default_factory=RealClock)
    rng: random.Random = field(default_factory=random.Random)
    fetcher: Fetcher | None = None
    min_gap_s: float = MIN_HOST_GAP_S

    # -- the watch files (in git) --------------------------------------------------------
    def watches(self) -> list[Watch]:
        """The watches in force (not removed), by id."""
        return [w for w in self._all_watches() if not w.removed]

    def _all_watches(self) -> list[Watch]:
        head = self.store.head()
        if not head:
            return []
        found = []
        for name in sorted(self.store.io.list_tree(f"{head}:{WATCH_DIR}")):
            raw = self.store.io.read_blob(head, f"{WATCH_DIR}/{name}")
            if raw is not None and name.endswith(".json"):
                found.append(Watch.from_json(json.loads(raw)))
        return found

    def get(self, watch_id: str) -> Watch:
        for watch in self.watches():
            if watch.id == watch_id:
                return watch
        raise WatchError(f"no watch {watch_id!r} (see `drafttrack watch list`)")

    def _write(self, watch: Watch, message: str) -> None:
        blob = json.dumps(watch.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        self.store.commit_files({f"{WATCH_DIR}/{watch.id}.json": blob.encode()}, message)

    def add(self, watch: Watch) -> Watch:
        """Check and commit a new watch; returns it with its id."""
        names.check_slug(watch.document)
        why = check_url(watch.url) or check_rules(watch.rules)
        if why:
            raise WatchError(why)
        if watch.feed_into not in ("entry", "feed"):
            raise WatchError(f"--feed-into {watch.feed_into!r}: entry or feed")
        if watch.every_s < MIN_EVERY_S:
            raise WatchError(f"--every must be at least {MIN_EVERY_S} s")
        for hook in [watch.notify] if watch.notify else []:
            if check_url(hook):
                raise WatchError(f"--notify: {check_url(hook)}")
        if watch.label_format:
            try:
                names.check_label(iso_label(watch.label_format, 0.0))
            except (ValueError, StoreError) as exc:
                raise WatchError(f"--label-format: {exc}") from None
        digest = hashlib.sha256(f"{watch.document}\n{watch.url}".encode()).hexdigest()[:8]
        new = Watch.from_json({**watch.to_json(), "id": f"{watch.document}-{digest}"})
        if any(w.id == new.id for w in self.watches()):
            self._write(new, f"watch {new.id}: settings changed")
        else:
            self._write(new, f"watch {new.id}: {new.document} from {new.url}")
        return new

    def set_paused(self, watch_id: str, paused: bool) -> Watch:
        watch = Watch.from_json({**self.get(watch_id).to_json(), "paused": paused})
        self._write(watch, f"watch {watch_id}: {'paused' if paused else 'resumed'}")
        return watch

    def remove(self, watch_id: str) -> None:
        watch = Watch.from_json({**self.get(watch_id).to_json(), "removed": True})
        self._write(watch, f"watch {watch_id}: removed (its versions stay)")
        states = self._states()
        states.pop(watch_id, None)
        self._save_states(states)

    def accept(self, watch_id: str) -> None:
        """Let the next capture through the too-short and shrunk checks (the user confirms)."""
        self.get(watch_id)
        states = self._states()
        state = states.setdefault(watch_id, State())
        state.accept_next, state.next_check = True, 0.0
        self._save_states(states)

    # -- schedule state (derived) ---------------------------------------------------------
    def _states(self) -> dict[str, State]:
        return load_states(self.store, self.watches())

    def _save_states(self, states: dict[str, State]) -> None:
        save_states(self.store, states)

    def captured(self, watch: Watch) -> list[Version]:
        """The versions this watch recorded, oldest first."""
        return captured(self.store, watch)

    def listing(self) -> list[dict[str, Any]]:
        """The ``watch list --json`` entries."""
        states = self._states()
        out = []
        for watch in self.watches():
            state = states.get(watch.id, State())
            out.append(
                {
                    "id": watch.id,
                    "document": watch.document,
                    "url": watch.url,
                    "every_s": watch.every_s,
                    "kind": watch.kind,
                    "select": list(watch.select),
                    "status": state.status(watch),
                    "last_check": iso_or_none(state.last_check),
                    "next_check": iso_or_none(state.next_check) if state.next_check else None,
                    "last_change": iso_or_none(state.last_change),
                    "failures": state.failures,
                }
            )
        return out

    # -- checking ------------------------------------------------------------------------
    def run_due(self, stop: threading.Event | None = None) -> list[CheckReport]:
        """Check every watch that is due (not paused), one after another; stops between two
        checks when ``stop`` is set."""
        reports = []
        fetcher = self.fetcher or Fetcher(clock=self.clock, rng=self.rng, min_gap_s=self.min_gap_s)
        states = self._states()
        unsaved, saved_at = False, time.monotonic()
        try:
            for watch in self.watches():
                if stop is not None and stop.is_set():
                    break
                state = states.setdefault(watch.id, State())
                if watch.paused or state.next_check > self.clock.now():
                    continue
                report = self.check(watch, state, fetcher)
                reports.append(report)
                unsaved = True
                # a check that wrote something is saved at once; 304s and unchanged pages are
                # saved in batches (losing them to a crash only means checking them again)
                if report.outcome not in QUIET or time.monotonic() - saved_at > SAVE_EVERY_S:
                    self._save_states(states)
                    unsaved, saved_at = False, time.monotonic()
        finally:
            if unsaved:
                self._save_states(states)
            if self.fetcher is None:
                fetcher.close()
        return reports

    def check_now(self, watch_id: str) -> CheckReport:
        """Check one watch now, due or not, and save its state."""
        watch = self.get(watch_id)
        fetcher = self.fetcher or Fetcher(clock=self.clock, rng=self.rng, min_gap_s=self.min_gap_s)
        try:
            state = self._states().get(watch.id) or State()
            report = self.check(watch, state, fetcher)
            states = self._states()
            states[watch.id] = state
            self._save_states(states)
            return report
        finally:
            if self.fetcher is None:
                fetcher.close()

    def next_due(self) -> float | None:
        states = self._states()
        due = [states.get(w.id, State()).next_check for w in self.watches() if not w.paused]
        return min(due) if due else None

    def check(self, watch: Watch, state: State, fetcher: Fetcher) -> CheckReport:
        """Fetch ``watch`` once and record what the capture means (updates ``state``)."""
        validators = Validators(state.etag, state.last_modified)
        fetched = fetcher.fetch(watch.url, validators, obey_robots=watch.obey_robots)
        now = self.clock.now()
        state.last_check = now
        interval = watch.every_s * (1 + self.rng.uniform(-INTERVAL_JITTER, INTERVAL_JITTER))
        state.next_check = now + interval
        if fetched.error == "deferred" and fetched.retry_at is not None:
            state.next_check = fetched.retry_at
            return CheckReport(watch.id, "deferred", detail=fetched.detail)
        if fetched.ok and kind_of(fetched.body, fetched.content_type, watch.rules) == "feed":
            return self._feed(watch, state, fetched, now)
        if fetched.error is None and fetched.status == 304:
            self._answered(watch, state, fetched)
            return CheckReport(watch.id, "not-modified")
        if fetched.ok and state.current and fetched.sha256 == state.raw_sha256:
            self._answered(watch, state, fetched)
            return CheckReport(watch.id, "unchanged", state.current)  # the same bytes again
        captured = self.captured(watch)
        history = [(v.id, self.store.read_text(watch.document, v.id)) for v in captured]
        if state.current:
            history.sort(key=lambda h: h[0] == state.current)
        decision = judge(
            fetched,
            watch.rules,
            history,
            last_raw_sha256=state.raw_sha256,
            accepted=state.accept_next,
        )
        report = CheckReport(watch.id, decision.outcome, decision.version, decision.reason)
        report.detail = decision.detail
        if decision.outcome == "refused":
            state.failures += 1
            state.last_error = f"{decision.reason}: {decision.detail}"
            if fetched.retry_at is not None:
                state.next_check = max(state.next_check, fetched.retry_at)
            state.gone = state.gone + 1 if decision.reason == "gone" else 0
            if state.gone >= WITHDRAWN_AFTER and not state.withdrawn:
                state.withdrawn = True
                report.outcome = "withdrawn"
                self._event(watch, fetched, "withdrawn")
            record_failure(self.store, watch, fetched, decision.reason, decision.detail)
            return report
        self._answered(watch, state, fetched)
        if fetched.status == 304:
            return report
        state.etag, state.last_modified = fetched.validators.etag, fetched.validators.last_modified
        state.raw_sha256 = fetched.sha256
        if decision.outcome == "reverted" and decision.version:
            state.current = decision.version
            self.store.add_source(
                watch.document,
                decision.version,
                outlet=watch.source_outlet,
                url=fetched.final_url,
                reported_on=iso_utc(now)[:10],
            )
            state.last_change = now
        elif decision.outcome == "new" and decision.extracted is not None:
            previous = state.current
            version = record_capture(self.store, watch, fetched, decision.extracted, now)
            state.current, state.last_change, state.accept_next = version.id, now, False
            report.version = version.id
            if watch.notify and previous:
                report.notified = self._notify(watch, previous, version)
        return report

    def _feed(self, watch: Watch, state: State, fetched: Fetched, now: float) -> CheckReport:
        """Add a watch for each entry not seen before (by entry id and by URL)."""
        try:
            found = feed_entries(fetched.body, fetched.final_url)
        except ValueError as exc:
            state.failures += 1
            record_failure(self.store, watch, fetched, "feed", str(exc))
            return CheckReport(watch.id, "refused", reason="feed", detail=str(exc))
        state.failures = 0
        state.etag, state.last_modified = fetched.validators.etag, fetched.validators.last_modified
        all_watches = self._all_watches()
        seen_ids = {w.feed_entry for w in all_watches if w.from_feed == watch.id}
        seen_urls = {w.url for w in all_watches}
        added = 0
        for entry in found:
            if entry.id in seen_ids or entry.link in seen_urls:
                continue
            seen_ids.add(entry.id)
            seen_urls.add(entry.link)
            digest = hashlib.sha256(entry.id.encode()).hexdigest()[:8]
            doc = watch.document if watch.feed_into == "feed" else f"{watch.document[:50]}-{digest}"
            self.add(
                Watch(
                    id="",
                    document=doc,
                    url=entry.link,
                    every_s=watch.every_s,
                    select=watch.select,
                    remove=watch.remove,
                    ignore=watch.ignore,
                    outlet=watch.outlet,
                    label_format=watch.label_format,
                    notify=watch.notify,
                    obey_robots=watch.obey_robots,
                    feed_entry=entry.id,
                    from_feed=watch.id,
                )
            )
            added += 1
        if added:
            state.last_change = now
        return CheckReport(watch.id, "feed", detail=f"{added} new entries")

    def reextract(self, doc: str) -> list[Version]:
        """Re-run extraction over DOC's archived captures with each watch's current rules; a
        different text becomes a ``technical`` version right after the capture it re-reads."""
        watches = [w for w in self.watches() if w.document == doc]
        if not watches:
            raise WatchError(f"no watch feeds {doc!r}")
        states = self._states()
        made = reextract_captures(self.store, doc, watches, states)
        self._save_states(states)
        return made

    def _answered(self, watch: Watch, state: State, fetched: Fetched) -> None:
        """A check that got the text: failures cleared; a withdrawn page is ``restored``."""
        if state.withdrawn:
            self._event(watch, fetched, "restored")
        state.failures, state.gone, state.withdrawn, state.last_error = 0, 0, False, None

    def _event(self, watch: Watch, fetched: Fetched, kind: str) -> None:
        """Commit a ``withdrawn``/``restored`` event on the watched document (when it has one)."""
        head = self.store.head()
        if head is None or not self.store.has_document(head, watch.document):
            return
        stamp = fetched.fetched_at.replace(":", "").replace("-", "")
        why = {
            "withdrawn": f"HTTP {fetched.status} {WITHDRAWN_AFTER} checks in a row",
            "restored": f"HTTP {fetched.status} after the page was withdrawn",
        }[kind]
        record_event(
            self.store,
            watch.document,
            kind,
            f"{stamp}-{watch.id[-8:]}",
            {
                "on": fetched.fetched_at[:10],
                "committed_at": fetched.fetched_at,
                "outlet": watch.source_outlet,
                "url": fetched.final_url,
                "status": fetched.status,
                "watch": watch.id,
                "note": why,
            },
            {"Watch": watch.id, "Url": fetched.final_url},
        )

    def change_summary(self, watch: Watch, old_id: str, new: Version) -> dict[str, Any] | None:
        """The webhook's JSON for a new version, or None when nothing substantive changed."""
        return change_summary(self.store, watch, old_id, new)

    def _notify(self, watch: Watch, old_id: str, new: Version) -> str | None:
        payload = self.change_summary(watch, old_id, new)
        if payload is None or not watch.notify:
            return None  # editorial-only: no alert
        client = self.fetcher.client if self.fetcher is not None else None
        delivered, what = post_json(watch.notify, payload, self.clock, client=client)
        return what if delivered else f"failed: {what}"

    def failures(self, watch_id: str) -> list[dict[str, Any]]:
        """The failed checks recorded for a watch, oldest first."""
        return read_failures(self.store, watch_id)
