"""The history flow and change volume (issue 22): from the lineage index, on the demo and on a
generated 1,000-version history of real corpus prose."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafttrack.history_flow import Flow, change_volume, columns_of, history_flow
from drafttrack.service.lineages import document_lineages
from repo_store import Store
from tests.conftest import SHARED, CliRun
from tests.flow_history import MOVED, REMOVED, History, generate, record

CORPORA = SHARED / "corpora"
DOC = "gen"

needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora absent")


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, History]]:
    """A store holding 1,000 generated versions (one bulk import), its index built."""
    if not CORPORA.is_dir():
        pytest.skip("shared corpora absent")
    path = tmp_path_factory.mktemp("flow") / "store"
    history = generate(CORPORA)
    with Store.init(path) as store:
        record(store, DOC, history)
    yield path, history


def flow_of(path: Path, doc: str) -> tuple[Flow, dict[int, str]]:
    with Store.open(path) as store, document_lineages(store, doc) as lin:
        flow = history_flow(lin)
        texts = {b.clause: lin.clause(b.clause).text for b in flow.bands}
    return flow, texts


def band_index(flow: Flow, texts: dict[int, str], text: str) -> list[int]:
    return [i for i, b in enumerate(flow.bands) if texts[b.clause] == text]


@needs_corpora
def test_removed_band_ends_where_the_clause_was_removed(long_history) -> None:
    path, history = long_history
    flow, texts = flow_of(path, DOC)
    (i,) = band_index(flow, texts, REMOVED)
    assert flow.bands[i].spans == [(0, history.removed_at - 1)]
    assert len(flow.versions) == 1000
    # rows: the latest version's lineages in its reading order, gone ones where they were
    with Store.open(path) as store, document_lineages(store, DOC) as lin:
        latest = lin.version_keys(999)
    assert [b.key for b in flow.bands if b.spans[-1][1] == 999] == latest
    assert flow.bands[i - 1].spans[-1][1] >= history.removed_at - 1  # its neighbour then


@needs_corpora
def test_moved_band_continues_elsewhere(long_history) -> None:
    path, history = long_history
    flow, texts = flow_of(path, DOC)
    before, after = band_index(flow, texts, MOVED)
    first, second = flow.bands[before], flow.bands[after]
    assert first.key == second.key
    assert first.spans[-1][1] == history.moved_at - 1 and second.spans[0][0] == history.moved_at
    assert first.moved_to == after and second.moved_from == before
    assert after > before  # moved from the top fifth to the bottom fifth


@needs_corpora
def test_aggregated_for_scale(long_history) -> None:
    path, _ = long_history
    flow, _ = flow_of(path, DOC)
    assert len(flow.columns) == 100 and flow.columns[0] == (0, 9) and flow.columns[-1] == (990, 999)
    assert len(flow.bundles) <= len(flow.bands)
    covered = sum(b.count for b in flow.bundles)
    assert covered == len(flow.bands)
    for bundle in flow.bundles:  # a bundle of several bands: unchanged and sharing its life
        if bundle.count > 1:
            members = flow.bands[bundle.first : bundle.first + bundle.count]
            assert all(m.spans == bundle.spans and not m.reworded for m in members)


@needs_corpora
def test_change_volume_counts_the_planted_edits(long_history) -> None:
    path, history = long_history
    with Store.open(path) as store, document_lineages(store, DOC) as lin:
        changes = change_volume(lin)
    assert changes[0] is None
    removal = changes[history.removed_at]
    assert removal is not None and removal.removed == len(REMOVED.split()) and not removal.added
    move = changes[history.moved_at]
    assert move is not None and move.modified == 1 and not move.added and not move.removed
    assert all(c is not None and c.substantive for c in changes[1:])


def test_columns_bin_versions() -> None:
    assert columns_of(3) == [(0, 0), (1, 1), (2, 2)]
    bins = columns_of(250, 100)
    assert len(bins) == 84 and bins[0] == (0, 2) and bins[-1] == (249, 249)
    assert all(b[0] == a[1] + 1 for a, b in zip(bins, bins[1:], strict=False))
    assert columns_of(0) == []


def test_demo_united_states_bands_end_at_the_summit_text(demo_store: Path) -> None:
    flow, texts = flow_of(demo_store, "paris-declaration")
    labels = [v["label"] for v in flow.versions]
    # the late draft in its place; the Ukrainian rendering (a translation) is no column
    assert labels == ["Outline", "Earlier draft", "Summit text"]
    us = [b for b in flow.bands if "United States" in texts[b.clause]]
    assert len(us) == 3
    assert all(b.spans[-1][1] == labels.index("Summit text") - 1 for b in us)


def test_log_json_has_changes(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo_store, "log", "paris-declaration", "--json")
    assert result.code == 0
    versions = json.loads(result.out)["versions"]
    assert versions[0]["changes"] is None
    summit = versions[2]["changes"]
    assert set(summit) == {"added", "removed", "modified", "editorial"}
    assert summit["removed"] >= len("The United States commits to support the force".split())


def test_log_json_of_unknown_document(store_path: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", store_path, "log", "nope", "--json")
    assert result.code == 2 and result.err.startswith("error: ")
