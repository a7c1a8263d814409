"""The viewer's watches pages over a real store with a real capture (Flask test client)."""

from __future__ import annotations

import random
from pathlib import Path

from drafttrack.service.watching import Watch, Watching
from drafttrack.watch.clock import FakeClock
from drafttrack.watch.fetch import Fetcher
from repo_store import Store
from tests.watch_server import Answer, Site, serving
from tests.web_support import make_app

PAGE = ("<html><body><h1>Agreement</h1>"
        + "".join(f"<p>Article {n}. The Parties shall act on item {n}.</p>" for n in range(1, 9))
        + "</body></html>").encode()  # fmt: skip


def test_watches_page_and_document_page_show_the_watch(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with serving(Site()) as site:
        site.set("/ok", PAGE)
        site.set("/down", Answer(500, b"down" * 40))
        store = Store.init(path)
        clock = FakeClock()
        with Fetcher(clock=clock, rng=random.Random(1), min_gap_s=0) as fetcher:
            watching = Watching(store, clock=clock, fetcher=fetcher)
            ok = watching.add(Watch("", "agreement", site.url("/ok"), select=("body",)))
            down = watching.add(Watch("", "other", site.url("/down")))
            for _ in range(3):
                for host in fetcher.hosts.values():
                    host.next_allowed = 0
                clock.advance(30_000)
                watching.run_due()
        store.close()
    client = make_app(path).test_client()
    page = client.get("/watches")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ok.id in text and down.id in text and "degraded" in text
    assert "<td>3</td>" in text  # the failing watch's failures
    doc = client.get("/d/agreement/watches").get_data(as_text=True)
    assert ok.id in doc and down.id not in doc and "Watches feeding" in doc
    assert "/d/agreement/watches" in client.get("/d/agreement").get_data(as_text=True)
    assert client.get("/d/nothing/watches").status_code == 404


def _aside(body: bytes) -> bytes:
    aside = b"<div id='related'>Related documents: the annual report and the guidelines.</div>"
    return body.replace(b"</body>", aside + b"</body>")


def test_technical_versions_hidden_and_feeds_carry_substantive_changes_only(
    tmp_path: Path,
) -> None:
    """After a re-extraction the document page lists the captured texts only (a box shows the
    technical ones), and the Atom feed has no entry for them; a capture's feed entry shows its
    substantive change, not the editorial one made at the same time."""
    path = tmp_path / "store"
    edited = PAGE.replace(b"Article 1. The Parties shall", b"Article 1. The Parties may")
    edited = edited.replace(b"The Parties shall act on item 2", b"THE PARTIES shall act on item 2")
    with serving(Site()) as site:
        site.set("/p", _aside(PAGE))
        store = Store.init(path)
        clock = FakeClock()
        with Fetcher(clock=clock, rng=random.Random(1), min_gap_s=0) as fetcher:
            watching = Watching(store, clock=clock, fetcher=fetcher)
            watch = watching.add(Watch("", "agreement", site.url("/p")))
            assert watching.check_now(watch.id).outcome == "new"
            site.set("/p", _aside(edited))
            for host in fetcher.hosts.values():
                host.next_allowed = 0
            assert watching.check_now(watch.id).outcome == "new"
            watching.add(Watch("", "agreement", site.url("/p"), remove=("#related",)))
            assert len(watching.reextract("agreement")) == 2
        store.close()
    client = make_app(path).test_client()
    page = client.get("/d/agreement").get_data(as_text=True)
    assert "show 2 technical re-extractions" in page and "2 of 4 versions" in page
    everything = client.get("/d/agreement?technical=1").get_data(as_text=True)
    assert "4 of 4 versions" in everything
    feed = client.get("/d/agreement/feed.atom").get_data(as_text=True)
    assert feed.count("<entry>") == 2 and "re-extracted" not in feed
    assert "may" in feed and "THE PARTIES" not in feed  # the case change is editorial
