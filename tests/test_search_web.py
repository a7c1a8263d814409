"""The viewer's search page, the paginated documents page and commit links (real Flask app)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from drafttrack.service.listing import PER_PAGE
from tests.conftest import CliRun
from web import create_app


def make_store(cli_run: CliRun, tmp_path: Path, docs: int) -> Path:
    """A store adopted from a repository of ``docs`` laws, two commits."""
    src = tmp_path / "src"
    src.mkdir()
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x.invalid", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@x.invalid", "PATH": "/usr/bin:/bin"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(src), *args], check=True, env=env, capture_output=True)

    git("init", "-q", "-b", "main")
    for i in range(docs):
        (src / f"law{i:03d}.md").write_text(f"# Gesetz Nr. {i}\n\n## § 1\n\nText {i}.\n", "utf-8")
    git("add", "-A")
    git("commit", "-qm", "Erste Fassung")
    (src / "law001.md").write_text("# Gesetz Nr. 1\n\n## § 1\n\nDie „Würde“ gilt.\n", "utf-8")
    git("commit", "-qam", "Änderung")
    store = tmp_path / "store"
    assert cli_run("--store", store, "init").code == 0
    adopted = cli_run("--store", store, "adopt", src, "--commit-url", "https://example.org/{sha}")
    assert adopted.code == 0, adopted.err
    return store


def test_documents_page_paginates_and_filters(cli_run: CliRun, tmp_path: Path) -> None:
    store = make_store(cli_run, tmp_path, PER_PAGE + 7)
    client = create_app(store, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    first = client.get("/").get_data(as_text=True)
    assert "law000" in first and f"law{PER_PAGE:03d}" not in first and "page 1 of 2" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert f"law{PER_PAGE + 6:03d}" in second and "law000<" not in second
    named = client.get("/?q=law01").get_data(as_text=True)
    assert "law010" in named and "law020" not in named and "10 documents" in named
    recent = client.get("/?sort=recent").get_data(as_text=True)
    last_added = f"law{PER_PAGE + 6:03d}"  # the first commit's versions are written in path order
    assert recent.index("law001") < recent.index(last_added) and "law000<" not in recent
    none = client.get("/?q=nichts")
    assert none.status_code == 200 and "No document" in none.get_data(as_text=True)


def test_search_page_and_commit_links(cli_run: CliRun, tmp_path: Path) -> None:
    store = make_store(cli_run, tmp_path, 3)
    client = create_app(store, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    page = client.get("/search?q=%22W%C3%BCrde%22+gilt").get_data(as_text=True)
    assert "1 clause hold" in page and "law001" in page and "since <strong>v2</strong>" in page
    assert "0 clauses" in client.get("/search?q=Text+2&until=2000-01-01").get_data(as_text=True)
    assert "1 clause hold" in client.get("/search?q=Text+2").get_data(as_text=True)
    assert client.get("/search?q=x&since=yesterday").status_code == 400
    assert client.get("/search").status_code == 200
    doc = client.get("/d/law001").get_data(as_text=True)
    log = cli_run("--store", store, "log", "law001", "--json").out
    sha = log.split('"commit": "')[2][:40]
    assert f'href="https://example.org/{sha}"' in doc and f"commit {sha[:10]}" in doc
