"""The source of a version is worded in one place (terminal, pages, feeds, trace, reports)."""

from __future__ import annotations

from drafttrack.wording import (
    also_reported,
    event_source,
    outlet_chain,
    report_source,
    source_line,
    timeline_source,
)

VERSION = {
    "source": {"outlet": "Українська правда", "via": ["RBK-Ukraine", "„Le Monde“"], "url": None},
    "reported_on": "2026-01-07",
    "drafted_on": "2025-12-20",
    "completeness": "partial",
}
BARE = {"source": {"outlet": None, "via": [], "url": "https://example.org/é"}}


def test_the_outlet_and_its_relays() -> None:
    assert outlet_chain(VERSION["source"]) == "Українська правда via RBK-Ukraine, „Le Monde“"
    assert outlet_chain(None) == "unknown source"
    assert outlet_chain({"outlet": ""}, unknown="?") == "?"


def test_each_place_words_the_same_chain() -> None:
    chain = "Українська правда via RBK-Ukraine, „Le Monde“"
    assert source_line(VERSION) == f"{chain}, reported 2026-01-07"
    assert timeline_source(VERSION) == f"{chain}, reported 2026-01-07 [partial text]"
    assert event_source(VERSION) == f"{chain}, reported 2026-01-07, drafted 2025-12-20"
    assert report_source(VERSION) == (
        f"{chain}; reported 2026-01-07; drafted 2025-12-20; partial text"
    )
    assert timeline_source({**VERSION, "reported_on": None}).endswith(
        ", drafted 2025-12-20 [partial text]"
    )
    assert report_source(BARE) == "unknown source; https://example.org/é"
    assert source_line(BARE) == event_source(BARE) == "unknown source"


def test_another_outlets_report() -> None:
    entry = {"outlet": "BBC", "via": ["AFP"], "reported_on": "2026-01-08"}
    assert also_reported(entry) == "BBC via AFP, reported 2026-01-08"
    assert also_reported({"outlet": "Spiegel", "via": []}) == "Spiegel"
