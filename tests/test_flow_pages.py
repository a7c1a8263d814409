"""The document page at scale (issue 22) through the real Flask app: history flow, change volume,
the filterable, paginated version table, the zoomable trace, bad input; the demo's "try this"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from drafttrack.trace_scale import collapsed, segments
from repo_store import Store
from tests.conftest import SHARED, CliRun
from tests.flow_history import OUTLETS, REMOVED, generate, record
from tests.web_support import make_app, text, version_ids

DOC = "paris-declaration"
CORPORA = SHARED / "corpora"


@pytest.fixture
def reader(shared_demo_store: Path) -> FlaskClient:
    return make_app(shared_demo_store).test_client()


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """250 generated versions: three pages of the version table."""
    if not CORPORA.is_dir():
        pytest.skip("shared corpora absent")
    path = tmp_path_factory.mktemp("flow-pages") / "store"
    history = generate(CORPORA, versions=250, paragraphs=60)
    with Store.init(path) as store:
        record(store, "gen", history)
    return path, history


def body_rows(page: str) -> list[str]:
    table = re.search(r'<table class="versions">.*?</table>', page, re.S)
    assert table
    return re.findall(r"<tr id=\"v-.*?</tr>", table.group(0), re.S)


def test_demo_document_page_has_flow_volume_and_table(reader: FlaskClient) -> None:
    page = text(reader.get(f"/d/{DOC}"))
    svg = re.search(r'<svg[^>]*class="flow-svg".*?</svg>', page, re.S)
    assert svg, "the history flow is on the document page"
    assert svg.group(0).count('class="flow-col"') == 3  # the Ukrainian rendering is no column
    bands = svg.group(0).count('<a class="band')
    assert bands == page.count('<tr id="band-') > 10  # the table alternative, one row a band
    assert '<details class="flow-table" id="flow-table" open>' in page  # short: shown open
    assert 'class="volume-svg"' in page and "words added" in page
    rows = body_rows(page)
    assert [re.search(r">([^<]+)</a></th>|>([^<]+)</a> <strong", r).group(0) for r in rows]
    assert "first" in rows[0] and "since Outline" in rows[1] and "since Earlier draft" in rows[2]
    flow = reader.get(f"/d/{DOC}/flow")
    assert flow.status_code == 200 and 'class="flow-svg"' in text(flow)


def test_try_this_points_at_quote_trace_and_compare(reader: FlaskClient) -> None:
    ids = version_ids(reader, DOC)
    page = text(reader.get("/"))
    line = re.search(r'<p class="try-this">.*?</p>', page, re.S)
    assert line
    tour = line.group(0)
    assert "die Truppe im Falle eines Angriffs zu unterstützen" in tour
    assert 'href="#quote-q"' in tour and 'id="quote-q"' in page
    assert "/quote?q=die+Truppe" in tour
    assert f"/d/{DOC}/trace?q=support+the+force+in+case+of+attack" in tour
    assert f"/d/{DOC}/compare/{ids['Earlier draft']}/{ids['Summit text']}" in tour
    answer = reader.get("/quote?q=die+Truppe+im+Falle+eines+Angriffs+zu+unterst%C3%BCtzen")
    assert answer.status_code == 200


def test_no_try_this_without_the_demo(store_path: Path, cli_run: CliRun, tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("Article 1\n\nThe parties agree.\n", "utf-8")
    assert cli_run("--store", store_path, "add", "other", draft).code == 0
    page = text(make_app(store_path).test_client().get("/"))
    assert "try-this" not in page


def test_version_table_paginates_and_filters(long_store) -> None:
    path, history = long_store
    client = make_app(path).test_client()
    page = text(client.get("/d/gen"))
    assert "page 1 of 3" in page and len(body_rows(page)) == 100
    assert 'rel="next" href="/d/gen?page=2#versions"' in page
    last = text(client.get("/d/gen?page=3"))
    assert len(body_rows(last)) == 50 and "v0250" in last and 'rel="prev"' in last
    outlet = OUTLETS[2]
    wanted = [i for i, o in enumerate(history.outlets) if o == outlet]
    only = text(client.get(f"/d/gen?outlet={outlet.replace(' ', '+')}"))
    rows = body_rows(only)
    assert len(rows) == min(len(wanted), 100) and all(outlet in r for r in rows)
    start, end = history.dates[100], history.dates[120]
    ranged = body_rows(text(client.get(f"/d/gen?from={start}&to={end}")))
    expected = [d for d in history.dates if start <= d <= end]
    assert len(ranged) == len(expected)
    substantive = text(client.get("/d/gen?substantive=1"))
    assert "of 250 versions" in substantive
    for row in body_rows(substantive):
        assert "vol-none" not in row  # the first version has nothing to compare against
        assert not ("+0<" in row and "−0<" in row and "vol-mod" not in row), row


def test_removal_shows_in_change_volume(long_store) -> None:
    path, history = long_store
    client = make_app(path).test_client()
    log = client.get("/api/d/gen/log").get_json()["versions"]
    assert log[history.removed_at]["changes"]["removed"] == len(REMOVED.split())
    assert sum(1 for v in log if v["changes"] is None) == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [("from=yesterday", 400), ("to=2026-13", 400), ("page=0", 400), ("page=x", 400),
     ("page=99", 404)],
)  # fmt: skip
def test_version_table_bad_input(reader: FlaskClient, query: str, status: int) -> None:
    response = reader.get(f"/d/{DOC}?{query}")
    assert response.status_code == status


@pytest.mark.parametrize("query", ["from=3&to=2", "from=abc", "from=0", "to=5"])
def test_trace_zoom_bad_input(reader: FlaskClient, query: str) -> None:
    assert reader.get(f"/d/{DOC}/trace?q=United+States&{query}").status_code == 400


def test_trace_zoom_and_collapsed_table(long_store) -> None:
    path, history = long_store
    client = make_app(path).test_client()
    q = "annual+review+of+every+transfer"
    page = text(client.get(f"/d/gen/trace?q={q}"))
    chart = re.search(r'<svg[^>]*class="trace-svg".*?</svg>', page, re.S).group(0)
    assert chart.count('<a class="seg') == 2 and "<circle" not in chart
    zoom = f"/d/gen/trace?q={q}&amp;from=1&amp;to={history.removed_at}"
    assert zoom in chart, "the present segment zooms in to its versions"
    rows = re.findall(r'<tr class="state-.*?</tr>', page, re.S)
    assert len(rows) == 2 and f"({history.removed_at} versions)" in rows[0]
    assert rows[0].count('<li><a href="/d/gen/v/') == history.removed_at  # expands on demand
    near = text(
        client.get(f"/d/gen/trace?q={q}&from={history.removed_at - 4}&to={history.removed_at + 5}")
    )  # noqa: E501
    chart = re.search(r'<svg[^>]*class="trace-svg".*?</svg>', near, re.S).group(0)
    assert chart.count('class="m-present"') == 5 and chart.count('class="m-absent"') >= 5
    assert f"all {len(history.texts)} versions" in near


def test_segments_and_collapsed() -> None:
    states = ["present"] * 3 + ["absent"] * 2 + ["present"]
    assert segments(states) == [("present", 0, 2), ("absent", 3, 4), ("present", 5, 5)]
    assert segments(states, 2, 3) == [("present", 2, 2), ("absent", 3, 3)]
    clause = {"key": "k", "number": "1", "path": [], "text": "Die Truppe „unterstützen“."}
    moved = dict(clause, path=["Neu"])
    timeline = [
        {"version": {"label": "a"}, "state": "present", "clauses": [clause]},
        {"version": {"label": "b"}, "state": "present", "clauses": [moved]},
        {"version": {"label": "c"}, "state": "present", "clauses": [dict(clause, text="x")]},
        {"version": {"label": "d"}, "state": "absent", "clauses": []},
    ]
    rows = collapsed(timeline)
    assert [(r["first"]["label"], r["last"]["label"], r["state"]) for r in rows] == [
        ("a", "b", "present"), ("c", "c", "present"), ("d", "d", "absent"),
    ]  # fmt: skip
