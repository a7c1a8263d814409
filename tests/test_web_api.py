"""The JSON API gives exactly what the CLI prints with ``--json`` (the same JSON value)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.conftest import CliRun
from tests.web_support import make_app

DOC = "paris-declaration"


@pytest.fixture
def demo_store(shared_demo_store: Path) -> Path:
    """These tests only read: one demo store for the module."""
    return shared_demo_store


@pytest.fixture
def client(demo_store: Path) -> FlaskClient:
    return make_app(demo_store).test_client()


def same(client: FlaskClient, url: str, cli_run: CliRun, *args: str | Path) -> None:
    result = cli_run(*args)
    assert result.code == 0, result.err
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data(as_text=True)) == json.loads(result.out)


@pytest.mark.parametrize(
    ("old", "new"), [("Earlier draft", "Summit text"), ("1", "3"), ("Summit text", "Outline")]
)
def test_diff_matches_cli(
    client: FlaskClient, demo_store: Path, cli_run: CliRun, old: str, new: str
) -> None:
    same(
        client, f"/api/d/{DOC}/diff/{quote(old)}/{quote(new)}",
        cli_run, "--store", demo_store, "diff", DOC, old, new, "--format", "json",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "phrase"),
    [(DOC, "United States"), (DOC, "support the force"), (DOC, "nowhere at all"),
     ("koordinierungsgruppe", "Koordinierungsgruppe")],
)  # fmt: skip
def test_trace_matches_cli(
    client: FlaskClient, demo_store: Path, cli_run: CliRun, doc: str, phrase: str
) -> None:
    same(
        client, f"/api/d/{doc}/trace?q={quote(phrase)}",
        cli_run, "--store", demo_store, "trace", doc, phrase, "--json",
    )  # fmt: skip


def test_docs_and_log_match_cli(client: FlaskClient, demo_store: Path, cli_run: CliRun) -> None:
    same(client, "/api/docs", cli_run, "--store", demo_store, "docs", "--json")
    same(client, f"/api/d/{DOC}/log", cli_run, "--store", demo_store, "log", DOC, "--json")


@pytest.mark.parametrize(
    ("text", "doc"),
    [("support the force in case of attack", None), ("gemeinsame Koordinierungsgruppe", None),
     ("joint coordination group", DOC)],
)  # fmt: skip
def test_quote_matches_cli(
    client: FlaskClient, demo_store: Path, cli_run: CliRun, text: str, doc: str | None
) -> None:
    url = f"/api/quote?q={quote(text)}" + (f"&doc={doc}" if doc else "")
    args = ["--store", demo_store, "quote", text, "--json"] + (["--doc", doc] if doc else [])
    same(client, url, cli_run, *args)


def test_api_errors_are_json(client: FlaskClient) -> None:
    for url, status in [
        (f"/api/d/{DOC}/diff/1/99", 404),
        ("/api/d/nope/trace?q=x", 404),
        (f"/api/d/{DOC}/trace?q=", 400),
        ("/api/quote", 400),
        ("/api/quote?q=x&top=0", 400),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.get_json()["status"] == status


@pytest.mark.parametrize(
    ("page", "api", "message"),
    [
        (f"/d/{DOC}/trace?q={'x' * 501}", f"/api/d/{DOC}/trace?q={'x' * 501}", "longer than 500"),
        ("/quote?q=shall&top=51", "/api/quote?q=shall&top=51", "between 1 and 50"),
        ("/quote?q=shall&top=0", "/api/quote?q=shall&top=0", "between 1 and 50"),
        ("/quote?q=shall&top=many", "/api/quote?q=shall&top=many", "must be a number"),
    ],
)
def test_pages_and_api_refuse_the_same_queries(
    client: FlaskClient, page: str, api: str, message: str
) -> None:
    """One limit for both: what the API refuses, the page refuses with the same message."""
    for url in (page, api):
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url
    assert client.get(f"/d/{DOC}/trace?q={'x' * 500}").status_code == 200
    assert client.get("/quote?q=shall&top=50").status_code == 200


def test_cli_refuses_what_the_api_refuses(cli_run: CliRun, demo_store: Path) -> None:
    result = cli_run("--store", demo_store, "quote", "shall", "--top", "51")
    assert result.code == 2 and result.err.startswith("error: ")
