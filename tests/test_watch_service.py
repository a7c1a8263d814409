"""Watches against a real loopback server and a real store, on a fake clock: edits become
versions whose diff shows them, stealth edits give exactly one version with the right clause
change, failures give none and leave the store intact, health and state survive."""

from __future__ import annotations

import io
import json
import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drafttrack.service.compare import compare_versions
from drafttrack.service.events import document_events
from drafttrack.service.watching import Watch, WatchError, Watching
from drafttrack.watch.clock import FakeClock
from drafttrack.watch.fetch import Fetcher
from repo_store import Store
from tests.test_watch_quality import FAILURES, Failure
from tests.watch_server import Answer, Site, conditional, serving

CLAUSES = [
    "The Parties shall notify the Secretariat of every measure taken within 30 days.",
    "Each Party shall report annually on the implementation of this Agreement.",
    "The Committee shall adopt guidelines by a two-thirds majority of its 12 members.",
    "Contributions shall not exceed EUR 10 million per Party and year.",
    "The Secretariat shall publish the reports and the guidelines.",
    "Parties shall cooperate in good faith and exchange information.",
    "A review conference shall be convened in 2028.",
    "This Agreement shall enter into force on 1 January 2027.",
]


def html_of(clauses: list[str], numbers: list[int] | None = None) -> bytes:
    numbers = numbers or list(range(1, len(clauses) + 1))
    items = "".join(f"<p>Article {n}. {c}</p>" for n, c in zip(numbers, clauses, strict=True))
    return (
        "<!doctype html><html><head><meta charset='utf-8'></head><body>"
        f"<main><h1>Agreement on Reporting</h1>{items}</main>"
        "<footer>Updated 3 minutes ago</footer></body></html>"
    ).encode()


def pdf_of(clauses: list[str], footnote: str) -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    items = "".join(f"<p>Article {n}. {c}</p>" for n, c in enumerate(clauses, 1))
    page = f"<html><body><h1>Agreement</h1>{items}<p>Note 1. {footnote}</p></body></html>"
    return weasyprint.HTML(string=page).write_pdf()


def docx_of(clauses: list[str]) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Agreement on Reporting", 1)
    for n, c in enumerate(clauses, 1):
        document.add_paragraph(f"Article {n}. {c}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def edit(i: int, old: str, new: str) -> list[str]:
    changed = list(CLAUSES)
    assert old in changed[i]
    changed[i] = changed[i].replace(old, new, 1)
    return changed


def without(i: int) -> list[str]:
    return CLAUSES[:i] + CLAUSES[i + 1 :]


@dataclass(frozen=True)
class Stealth:
    name: str
    before: bytes
    after: bytes
    kind: str
    """modified | removed | added"""
    words: tuple[str, str] | None = None
    """(deleted, inserted) words the modification must show."""
    clause: str = ""
    ctype: str = "text/html; charset=utf-8"


BASE = html_of(CLAUSES)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STEALTH = [
    *[
        Stealth(f"shall-to-may-{i + 1}", BASE, html_of(edit(i, "shall", "may")), "modified",
                ("shall", "may"))
        for i in (0, 1, 2, 4, 5, 6, 7)
    ],
    Stealth("days-30-60", BASE, html_of(edit(0, "30", "60")), "modified", ("30", "60")),
    Stealth("two-thirds", BASE, html_of(edit(2, "two-thirds", "three-quarters")), "modified",
            ("two-thirds", "three-quarters")),
    Stealth("members-12-15", BASE, html_of(edit(2, "12", "15")), "modified", ("12", "15")),
    Stealth("eur-10-12", BASE, html_of(edit(3, "10", "12")), "modified", ("10", "12")),
    Stealth("year-2028-2030", BASE, html_of(edit(6, "2028", "2030")), "modified", ("2028", "2030")),
    Stealth("january-july", BASE, html_of(edit(7, "January", "July")), "modified",
            ("January", "July")),
    Stealth("shall-not-removed", BASE, html_of(edit(3, "shall not", "may")), "modified",
            ("shall not", "may")),
    Stealth("not-inserted", BASE, html_of(edit(4, "shall publish", "shall not publish")),
            "modified", ("", "not")),
    Stealth("and-to-or", BASE, html_of(edit(5, "and exchange", "or exchange")), "modified",
            ("and", "or")),
    Stealth("word-inserted", BASE,
            html_of(edit(1, "report annually", "report promptly and annually")),
            "modified", ("", "promptly")),
    Stealth("phrase-deleted", BASE, html_of(edit(0, " within 30 days", "")), "modified",
            ("within 30 days", "")),
    Stealth("every-to-any", BASE, html_of(edit(0, "every", "any")), "modified", ("every", "any")),
    *[
        Stealth(f"clause-deleted-{i + 1}", BASE, html_of(without(i)), "removed",
                clause=CLAUSES[i][:30])
        for i in (1, 4, 7)
    ],
    Stealth("clause-added", BASE, html_of([*CLAUSES, "Reservations shall not be permitted."]),
            "added", clause="Reservations"),
    Stealth("clause-inserted-middle", BASE,
            html_of(CLAUSES[:3] + ["Observers may attend the meetings."] + CLAUSES[3:]),
            "added", clause="Observers"),
    Stealth("renumbered-and-reworded", BASE,
            html_of(edit(7, "1 January", "1 March"), [1, 2, 3, 4, 5, 6, 7, 9]), "modified",
            ("January", "March")),
    Stealth("pdf-footnote-changed",
            pdf_of(CLAUSES, "Figures are in euros."), pdf_of(CLAUSES, "Figures are in dollars."),
            "modified", ("euros", "dollars"), ctype=PDF),
    Stealth("pdf-footnote-number",
            pdf_of(CLAUSES, "The threshold is 5 per cent."),
            pdf_of(CLAUSES, "The threshold is 7 per cent."), "modified", ("5", "7"), ctype=PDF),
    Stealth("pdf-clause-shall-may", pdf_of(CLAUSES, "See annex."),
            pdf_of(edit(1, "shall", "may"), "See annex."), "modified", ("shall", "may"), ctype=PDF),
    Stealth("docx-paragraph-changed", docx_of(CLAUSES), docx_of(edit(4, "reports", "summaries")),
            "modified", ("reports", "summaries"), ctype=DOCX),
    Stealth("docx-number-changed", docx_of(CLAUSES), docx_of(edit(0, "30", "45")), "modified",
            ("30", "45"), ctype=DOCX),
    Stealth("docx-paragraph-deleted", docx_of(CLAUSES), docx_of(without(5)), "removed",
            clause="Parties shall cooperate", ctype=DOCX),
]  # fmt: skip


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serving(Site()) as s:
        s.set("/robots.txt", b"User-agent: *\nDisallow:\n", content_type="text/plain")
        yield s


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store.init(tmp_path / "store")
    yield made
    made.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def watching(store: Store, clock: FakeClock) -> Iterator[Watching]:
    fetcher = Fetcher(clock=clock, rng=random.Random(3), min_gap_s=0)
    yield Watching(store, clock=clock, rng=random.Random(5), fetcher=fetcher)
    fetcher.close()


def poll(watching: Watching, clock: FakeClock, watch: Watch) -> str:
    clock.advance(watch.every_s * 1.2)
    (report,) = watching.run_due()
    return report.outcome


def test_stealth_table_is_large_enough() -> None:
    assert len(STEALTH) >= 30 and len({s.name for s in STEALTH}) == len(STEALTH)


@pytest.mark.parametrize("case", STEALTH, ids=lambda s: s.name)
def test_stealth_edit_gives_one_version_with_the_change(
    site: Site, store: Store, watching: Watching, clock: FakeClock, case: Stealth
) -> None:
    path = f"/stealth/{case.name}"
    site.set(path, Answer(200, case.before, {"Content-Type": case.ctype}))
    watch = watching.add(Watch("", "agreement", site.url(path), every_s=3600))
    assert poll(watching, clock, watch) == "new"
    assert poll(watching, clock, watch) == "unchanged"
    site.set(path, Answer(200, case.after, {"Content-Type": case.ctype}))
    assert poll(watching, clock, watch) == "new"
    assert poll(watching, clock, watch) == "unchanged"
    old, new = store.versions("agreement")
    assert new.provenance["capture"]["final_url"] == site.url(path)
    assert new.provenance["technical"] is False
    changes = compare_versions(store, old, new).substantive()
    assert len(changes) == 1, [c.to_json() for c in changes]
    (change,) = changes
    assert change.kind == case.kind
    if case.words:
        deleted = " ".join(w.text for w in change.words if w.op == "delete")
        inserted = " ".join(w.text for w in change.words if w.op == "insert")
        assert case.words[0] in deleted and case.words[1] in inserted, change.words
    if case.clause:
        clauses = change.new if case.kind == "added" else change.old
        assert any(case.clause in c.text for c in clauses)


def test_three_edits_give_three_versions_whose_diff_shows_them(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    site.set("/edited", BASE)
    watch = watching.add(Watch("", "edited", site.url("/edited"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    edits = [(0, "30", "90"), (2, "shall adopt", "may adopt"), (6, "2028", "2029")]
    clauses = list(CLAUSES)
    for i, old, new in edits:
        clauses[i] = clauses[i].replace(old, new)
        site.set("/edited", html_of(clauses))
        assert poll(watching, clock, watch) == "new"
        assert poll(watching, clock, watch) == "unchanged"
    versions = store.versions("edited")
    assert len(versions) == 4
    for (_, _, new), a, b in zip(edits, versions, versions[1:], strict=False):
        (change,) = compare_versions(store, a, b).substantive()
        assert change.kind == "modified" and new.split()[0] in change.new[0].text


def test_conditional_polls_record_nothing(site: Site, store: Store, watching: Watching,
                                          clock: FakeClock) -> None:  # fmt: skip
    site.set("/cond", conditional(BASE, '"e1"'))
    watch = watching.add(Watch("", "cond", site.url("/cond"), every_s=600))
    head_before = None
    outcomes = []
    for n in range(100):
        outcomes.append(poll(watching, clock, watch))
        if n == 0:
            head_before = store.head()
    assert outcomes[0] == "new" and outcomes[1:] == ["not-modified"] * 99
    assert store.head() == head_before and len(store.versions("cond")) == 1
    assert sum("if-none-match" in s.headers for s in site.requests_to("/cond")) == 99


def test_without_validators_an_unchanged_page_makes_no_version(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    site.set("/plain", BASE)
    watch = watching.add(Watch("", "plain", site.url("/plain"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    head = store.head()
    assert {poll(watching, clock, watch) for _ in range(100)} == {"unchanged"}
    assert store.head() == head


@pytest.mark.parametrize("case", FAILURES, ids=lambda f: f.name)
def test_failures_record_a_failed_check_and_no_version(
    site: Site, store: Store, watching: Watching, clock: FakeClock, case: Failure
) -> None:
    if case.name in ("shrunk-by-half", "robots-disallowed"):
        pytest.skip("needs a previous text / a robots rule; covered in test_watch_quality")
    path = "/svc-fail/" + case.name
    if case.setup:
        case.setup(site, path)
    else:
        assert case.answer is not None
        site.set(path, case.answer)
    watch = watching.add(
        Watch("", "failing", site.url(path), every_s=600, select=case.rules.select,
              remove=case.rules.remove)
    )  # fmt: skip
    head = store.head()
    fetcher = watching.fetcher
    assert fetcher is not None
    fetcher.max_body = 200_000
    fetcher.host(site.url(path)).next_allowed = 0
    assert poll(watching, clock, watch) in ("refused", "deferred")
    assert store.head() == head and not store.documents()
    (failed,) = watching.failures(watch.id)
    assert failed["reason"] == case.reason
    body = store.cache_dir / "watch-failures" / watch.id / failed["body"]
    assert body.exists()
    fsck = subprocess.run(["git", "--git-dir", str(store.git_dir), "fsck", "--strict"],
                          capture_output=True, text=True)  # fmt: skip
    assert fsck.returncode == 0, fsck.stderr


def test_health_degrades_after_three_failures_and_one_success_clears(
    site: Site, watching: Watching, clock: FakeClock
) -> None:
    site.set("/health", Answer(500, b"down" * 50))
    watch = watching.add(Watch("", "health", site.url("/health"), every_s=600))
    fetcher = watching.fetcher
    assert fetcher is not None
    statuses = []
    for _ in range(3):
        fetcher.host(site.url("/health")).next_allowed = 0
        poll(watching, clock, watch)
        statuses.append(watching.listing()[0]["status"])
    assert statuses == ["ok", "ok", "degraded"] and watching.listing()[0]["failures"] == 3
    site.set("/health", BASE)
    fetcher.host(site.url("/health")).next_allowed = 0
    assert poll(watching, clock, watch) == "new"
    assert watching.listing()[0]["status"] == "ok"


def test_three_404s_mark_the_text_withdrawn_never_an_empty_version(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    site.set("/gone", BASE)
    watch = watching.add(Watch("", "gone", site.url("/gone"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    site.set("/gone", Answer(410, b"gone" * 40))
    outcomes = [poll(watching, clock, watch) for _ in range(3)]
    assert outcomes == ["refused", "refused", "withdrawn"]
    assert watching.listing()[0]["status"] == "withdrawn"
    assert len(store.versions("gone")) == 1
    (event,) = document_events(store, "gone")
    assert event["type"] == "withdrawn" and event["status"] == 410 and event["watch"] == watch.id
    assert event["url"] == site.url("/gone") and event["outlet"] == "127.0.0.1"
    message = store.io.run("log", "-1", "--format=%B").strip()
    assert (
        message.startswith("gone: withdrawn (127.0.0.1)")
        and "Drafttrack-Action: withdraw" in message
    )
    # the schedule state lost: rebuilt from the store, the withdrawal still stands (no second one)
    (store.cache_dir / "watch-state.json").unlink()
    assert [poll(watching, clock, watch) for _ in range(3)] == ["refused"] * 3
    assert (
        watching.listing()[0]["status"] == "withdrawn" and len(document_events(store, "gone")) == 1
    )
    # the page comes back with the same text: a restored event, still no new version
    site.set("/gone", BASE)
    assert poll(watching, clock, watch) in ("unchanged", "reverted")
    assert [e["type"] for e in document_events(store, "gone")] == ["withdrawn", "restored"]
    assert watching.listing()[0]["status"] == "ok" and len(store.versions("gone")) == 1


def test_flipping_page_reverts_instead_of_adding(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    a, b = BASE, html_of(edit(1, "shall", "may"))
    watch = watching.add(Watch("", "flip", site.url("/flip2"), every_s=600))
    outcomes = []
    for body in [a, b, a, b, a, b]:
        site.set("/flip2", body)
        outcomes.append(poll(watching, clock, watch))
    assert outcomes == ["new", "new", "reverted", "reverted", "reverted", "reverted"]
    v1, v2 = store.versions("flip")
    assert len(v1.provenance["also_reported_by"]) == 2
    assert len(v2.provenance["also_reported_by"]) == 2


def test_lost_state_is_rebuilt_from_the_store(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    site.set("/state", conditional(BASE, '"s1"'))
    watch = watching.add(Watch("", "state", site.url("/state"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    (store.cache_dir / "watch-state.json").unlink()
    assert poll(watching, clock, watch) == "not-modified"  # validators from the provenance
    (store.cache_dir / "watch-state.json").write_text("{broken")
    site.set("/state", BASE)
    assert poll(watching, clock, watch) == "unchanged"
    assert len(store.versions("state")) == 1


def test_paused_watches_are_not_checked(site: Site, watching: Watching, clock: FakeClock) -> None:
    site.set("/paused", BASE)
    watch = watching.add(Watch("", "paused", site.url("/paused"), every_s=600))
    watching.set_paused(watch.id, True)
    clock.advance(10_000)
    assert watching.run_due() == [] and watching.listing()[0]["status"] == "paused"
    watching.set_paused(watch.id, False)
    assert [r.outcome for r in watching.run_due()] == ["new"]


def test_accept_lets_a_much_shorter_text_through(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    site.set("/short", BASE)
    watch = watching.add(Watch("", "short", site.url("/short"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    site.set("/short", html_of(CLAUSES[:2]))
    assert poll(watching, clock, watch) == "refused"
    watching.accept(watch.id)
    (report,) = watching.run_due()
    assert report.outcome == "new" and len(store.versions("short")) == 2


@pytest.mark.parametrize(
    ("url", "kw", "message"),
    [
        ("ftp://example.org/x", {}, "only http and https"),
        ("http://127.0.0.1/x", {"every_s": 5}, "--every"),
        ("http://127.0.0.1/x", {"select": ("p[",)}, "bad CSS selector"),
        ("http://127.0.0.1/x", {"ignore": ("(",)}, "bad --ignore"),
        ("http://127.0.0.1/x", {"kind": "gif"}, "unknown kind"),
        ("http://127.0.0.1/x", {"notify": "file:///tmp/x"}, "--notify"),
    ],
)
def test_bad_watch_settings_are_refused_store_untouched(
    store: Store, watching: Watching, url: str, kw: dict[str, object], message: str
) -> None:
    head = store.head()
    with pytest.raises(WatchError, match=message):
        watching.add(Watch("", "doc", url, **kw))  # type: ignore[arg-type]
    assert store.head() == head


def test_reextract_after_a_select_change_gives_technical_versions_only(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    aside = "<div id='related'>Related documents: the annual report and the guidelines.</div>"
    site.set("/re", html_of(CLAUSES).replace(b"</main>", aside.encode() + b"</main>"))
    watch = watching.add(Watch("", "re", site.url("/re"), every_s=600))
    assert poll(watching, clock, watch) == "new"
    site.set(
        "/re", html_of(edit(1, "shall", "may")).replace(b"</main>", aside.encode() + b"</main>")
    )
    assert poll(watching, clock, watch) == "new"
    substantive = [(v.id, store.read_text("re", v.id)) for v in store.versions("re")]
    assert all("Related documents" in text for _, text in substantive)
    changed = watching.add(Watch("", "re", site.url("/re"), every_s=600, remove=("#related",)))
    assert changed.id == watch.id
    made = watching.reextract("re")
    assert len(made) == 2 and all(v.provenance["technical"] for v in made)
    versions = store.versions("re")
    kept = [(v.id, store.read_text("re", v.id)) for v in versions if not v.provenance["technical"]]
    assert kept == substantive  # the substantive history is unchanged
    assert [v.provenance.get("reextracted_from") for v in versions] == [
        None,
        substantive[0][0],
        None,
        substantive[1][0],
    ]
    assert all("Related documents" not in store.read_text("re", v.id) for v in made)
    assert watching.reextract("re") == []  # nothing left to re-read
    assert poll(watching, clock, watch) == "unchanged"  # the next capture matches the new text


def test_webhook_fires_for_substantive_changes_only_and_retries(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    calls = {"n": 0}

    def hook(seen: object) -> Answer:
        calls["n"] += 1
        return Answer(503 if calls["n"] == 1 else 204, b"")

    site.set("/hook", hook)
    site.set("/hooked", BASE)
    watch = watching.add(
        Watch("", "hooked", site.url("/hooked"), every_s=600, notify=site.url("/hook"))
    )
    assert poll(watching, clock, watch) == "new"  # the first text: nothing to compare with
    assert calls["n"] == 0
    site.set("/hooked", html_of(edit(2, "shall adopt", "may adopt")))
    sleeps = len(clock.sleeps)
    clock.advance(720)
    (report,) = watching.run_due()
    assert report.outcome == "new" and report.notified == "HTTP 204" and calls["n"] == 2
    assert clock.sleeps[sleeps:] == [2.0]  # one retry after the 503, on the fake clock
    posts = [s for s in site.requests_to("/hook") if s.method == "POST"]
    payload = json.loads(posts[-1].body)
    (changed,) = payload["changed"]
    assert "may adopt" in changed["new"][0]["text"] and payload["added"] == []
    old, new = store.versions("hooked")
    assert payload["compare"] == f"/d/hooked/compare/{old.id}/{new.id}"
    site.set(
        "/hooked",
        html_of(edit(2, "shall adopt", "may adopt")).replace(b"Article 3.", b"Article 3 ."),
    )
    clock.advance(720)
    (editorial,) = watching.run_due()
    assert editorial.outcome == "new" and editorial.notified is None and calls["n"] == 2
    watching.add(Watch("", "hooked", site.url("/hooked"), every_s=600, notify=site.url("/hook"),
                       remove=("h1",)))  # fmt: skip
    assert len(watching.reextract("hooked")) == 3 and calls["n"] == 2  # technical: no webhook


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>Entry {i}</title><guid>{i}</guid><link>{link}</link></item>"
        for i, link in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>News</title>"
        f"{body}</channel></rss>"
    ).encode()


def test_feed_entries_become_watched_documents_once(
    site: Site, store: Store, watching: Watching, clock: FakeClock
) -> None:
    for n in range(50):
        site.set(f"/news/{n}", html_of(edit(0, "every measure", f"measure {n}")))
    feed = watching.add(Watch("", "news", site.url("/feed.xml"), every_s=600))
    published: list[tuple[str, str]] = []
    for poll_no in range(10):
        for n in range(poll_no * 5, poll_no * 5 + 5):
            published.insert(0, (f"urn:entry:{n}", site.url(f"/news/{n}")))
        window = published[:20]
        if poll_no == 3:  # the same entry again under a new id: de-duplicated by URL
            window = [("urn:entry:dup", site.url("/news/2")), *window]
        site.set("/feed.xml", rss(window), content_type="application/rss+xml")
        feed_report = watching.check_now(feed.id)
        assert feed_report.outcome == "feed" and feed_report.detail == "5 new entries"
    entry_watches = [w for w in watching.watches() if w.from_feed == feed.id]
    assert len(entry_watches) == 50
    assert len({w.feed_entry for w in entry_watches}) == 50
    assert len({w.document for w in entry_watches}) == 50
    clock.advance(720)
    watching.run_due()
    docs = {d.slug for d in store.documents()}
    assert {w.document for w in entry_watches} <= docs
    assert all(len(store.versions(w.document)) == 1 for w in entry_watches)
