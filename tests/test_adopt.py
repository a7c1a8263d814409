"""``drafttrack adopt``: a git repository built in the test becomes versions of documents."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SHARED, CliRun, snapshot

AUTHOR = {
    "GIT_AUTHOR_NAME": "Source Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Source Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
}


class SourceRepo:
    """A real git repository with a work tree, committed with fixed dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.day = 0
        path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **AUTHOR}
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"2021-03-{self.day + 1:02d}T12:00:00Z"
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, env=env, check=True
        )
        return done.stdout.decode().strip()

    def write(self, name: str, data: str | bytes) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, "utf-8")
        else:
            target.write_bytes(data)

    def commit(self, message: str) -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


LAW_1 = "# Gesetz über „Würde“\n\n## § 1\n\nDie Würde des Menschen ist unantastbar.\n"
LAW_2 = LAW_1 + "\n## § 2\n\nJeder hat das Recht auf Leben.\n"
LAW_3 = LAW_2.replace("Leben", "Leben und körperliche Unversehrtheit")
TERMS = "# Умови\n\n1. Перший пункт умов.\n\n2. Другий пункт «лапки».\n"
NOTE = "Note de la rédaction : « première » version.\n\nDeuxième paragraphe.\n"


@pytest.fixture
def source(tmp_path: Path) -> tuple[SourceRepo, dict[str, str]]:
    """Several documents, a rename, a deletion and restoration, a merge, a non-UTF-8 file, a
    huge file and a binary file; returns the repository and its commits by name."""
    repo = SourceRepo(tmp_path / "source")
    c: dict[str, str] = {}
    repo.write("gesetz.md", LAW_1)
    repo.write("uk/terms.md", TERMS)
    repo.write("notes/note.txt", NOTE)
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    c["first"] = repo.commit("Erste Fassung")
    (repo.path / "laws").mkdir()
    repo.git("mv", "gesetz.md", "laws/gesetz.md")
    repo.write("laws/gesetz.md", LAW_2)
    c["rename"] = repo.commit("Rename and add § 2")
    repo.git("rm", "-q", "notes/note.txt")
    c["delete"] = repo.commit("Remove the note")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("uk/terms.md", TERMS + "\n3. Третій пункт.\n")
    repo.commit("Side branch edit")
    repo.git("checkout", "-q", "main")
    repo.write("latin.txt", "Grüße aus Köln\n".encode("latin-1"))
    repo.write("data.txt", b"\x00\x01binary\x00" * 100)
    repo.write("huge.md", b"# Huge\n\n" + b"word " * (11 * 1024 * 1024))
    c["odd"] = repo.commit("Odd files")
    repo.day += 1
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the side branch", "side")
    c["merge"] = repo.git("rev-parse", "HEAD")
    repo.write("notes/note.txt", NOTE + "\nTroisième paragraphe.\n")
    c["restore"] = repo.commit("Bring the note back")
    return repo, c


def adopt(cli_run: CliRun, store: Path, *args: str | Path) -> dict:
    result = cli_run("--store", store, "adopt", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def log(cli_run: CliRun, store: Path, doc: str) -> list[dict]:
    result = cli_run("--store", store, "log", doc, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)["versions"]


def store_git(store: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(store), *args], capture_output=True, check=True, text=True
    ).stdout


def test_adopt_a_history(cli_run: CliRun, store_path: Path, source) -> None:
    repo, c = source
    summary = adopt(
        cli_run, store_path, repo.path, "--commit-url", "https://github.com/{repo}/commit/{sha}",
        "--outlet", "Bundesanzeiger",
    )  # fmt: skip
    assert summary["from_commit"] is None and summary["to_commit"] == c["restore"]
    assert summary["versions"] == 6 and summary["withdrawn"] == 1
    assert summary["documents"] == 3
    skipped = {s["path"]: s["reason"] for s in summary["skipped"]}
    assert set(skipped) == {"latin.txt", "data.txt", "huge.md"}
    assert "UTF-8" in skipped["latin.txt"] and "larger than" in skipped["huge.md"]

    docs = json.loads(cli_run("--store", store_path, "docs", "--json").out)["documents"]
    assert {d["slug"]: d["versions"] for d in docs} == {
        "gesetz": 2, "uk-terms": 2, "notes-note": 2,
    }  # fmt: skip
    assert {d["slug"]: d["title"] for d in docs}["gesetz"] == "Gesetz über „Würde“"

    law = log(cli_run, store_path, "gesetz")  # the rename continued the document
    assert [v["adopted"]["path"] for v in law] == ["gesetz.md", "laws/gesetz.md"]
    first = law[0]
    assert first["source"] == {
        "outlet": "Bundesanzeiger", "via": [],
        "url": f"https://github.com/source/commit/{c['first']}",
    }  # fmt: skip
    assert first["reported_on"] == "2021-03-02" and first["note"] == "Erste Fassung"
    assert cli_run("--store", store_path, "show", "gesetz", "latest").out.rstrip() == LAW_2.rstrip()

    terms = log(cli_run, store_path, "uk-terms")  # the merge is one version, against its parent
    assert [v["adopted"]["commit"] for v in terms] == [c["first"], c["merge"]]
    assert terms[1]["note"] == "Merge the side branch"

    note = log(cli_run, store_path, "notes-note")  # deleted, then restored: one document
    assert [v["adopted"]["commit"] for v in note] == [c["first"], c["restore"]]
    events = store_git(store_path, "ls-tree", "--name-only", "HEAD", "notes-note/events/")
    (event_path,) = events.split()
    event = json.loads(store_git(store_path, "show", f"HEAD:{event_path}"))
    assert event["type"] == "withdrawn" and event["commit"] == c["delete"]
    assert event["on"] == "2021-03-04"

    messages = store_git(store_path, "log", "--format=%B%x00").split("\0")
    assert any(f"Drafttrack-Source-Commit: {c['rename']}" in m for m in messages)
    assert sum("Drafttrack-Action: withdraw" in m for m in messages) == 1


def test_withdrawal_shows_in_log_api_and_document_page(
    cli_run: CliRun, store_path: Path, source
) -> None:
    """A deleted file is "withdrawn" wherever the document's history is read, not only in git."""
    from web import create_app

    repo, c = source
    adopt(cli_run, store_path, repo.path, "--outlet", "Bundesanzeiger")
    logged = json.loads(cli_run("--store", store_path, "log", "notes-note", "--json").out)
    (event,) = logged["events"]
    assert (event["type"], event["commit"], event["on"]) == ("withdrawn", c["delete"], "2021-03-04")
    text = cli_run("--store", store_path, "log", "notes-note").out
    assert "  withdrawn on 2021-03-04 (Bundesanzeiger)" in text
    assert json.loads(cli_run("--store", store_path, "log", "gesetz", "--json").out)["events"] == []

    client = create_app(store_path, {"TESTING": True, "SECRET_KEY": "t"}).test_client()
    assert client.get("/api/d/notes-note/log").get_json()["events"] == logged["events"]
    page = client.get("/d/notes-note").get_data(as_text=True)
    assert "Text withdrawn" in page and '<time datetime="' in page and "Bundesanzeiger" in page
    assert "Text withdrawn" not in client.get("/d/gesetz").get_data(as_text=True)


def test_rerun_adds_nothing_then_exactly_the_new_commits(
    cli_run: CliRun, store_path: Path, source
) -> None:
    repo, _c = source
    first = cli_run("--store", store_path, "adopt", repo.path)  # not a terminal: one line
    assert first.code == 0 and first.out.count("\n") == 1
    assert first.out.startswith("adopted 6 versions of 3 documents (1 withdrawn, 3 files skipped)")
    assert "; indexed 3 documents in " in first.out
    before = store_git(store_path, "rev-parse", "HEAD")
    again = cli_run("--store", store_path, "adopt", repo.path)
    assert again.code == 0 and "nothing to adopt" in again.out
    assert store_git(store_path, "rev-parse", "HEAD") == before

    repo.write("laws/gesetz.md", LAW_3)
    one = repo.commit("Amend § 2")
    repo.write("new.md", "# Neu\n\nEin neues Gesetz.\n")
    two = repo.commit("New law")
    summary = adopt(cli_run, store_path, repo.path)
    assert summary["from_commit"] != summary["to_commit"] == two
    assert (summary["versions"], summary["documents"], summary["withdrawn"]) == (2, 2, 0)
    assert log(cli_run, store_path, "gesetz")[-1]["adopted"]["commit"] == one
    assert [v["adopted"]["commit"] for v in log(cli_run, store_path, "new")] == [two]
    assert adopt(cli_run, store_path, repo.path)["versions"] == 0


def test_adopt_leaves_the_search_index_current_unless_told_not_to(
    cli_run: CliRun, store_path: Path, source, tmp_path: Path
) -> None:
    """The first search after an adopt reads the index as the adopt left it: nothing to
    refresh. With ``--no-index`` the index is untouched and the first search builds it."""
    from drafttrack.search_index import SearchIndex
    from drafttrack.service.search import index_path, refresh_index
    from repo_store import Store

    repo, _c = source
    summary = adopt(cli_run, store_path, repo.path)
    assert summary["indexed"]["documents"] == 3
    with Store.open(store_path) as store, SearchIndex(index_path(store)) as index:
        assert index.head() == store.head() and refresh_index(store, index) == 0
        slugs = {d.slug for d in store.documents()}
    listing = json.loads((store_path / "drafttrack-cache" / "listing.json").read_text("utf-8"))
    assert slugs and slugs == set(listing["documents"])  # the documents page reads no document
    found = json.loads(cli_run("--store", store_path, "search", "Würde", "--json").out)
    assert found["total"] >= 1

    other = tmp_path / "other"
    assert cli_run("--store", other, "init").code == 0
    skipped = adopt(cli_run, other, repo.path, "--no-index")
    assert skipped["indexed"] == {"documents": 0, "seconds": 0.0}
    with Store.open(other) as store:
        assert not index_path(store).exists()


def test_rewritten_source_is_refused(cli_run: CliRun, store_path: Path, source) -> None:
    repo, _c = source
    adopt(cli_run, store_path, repo.path)
    repo.write("laws/gesetz.md", LAW_3)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "-m", "Bring the note back, rewritten")
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "adopt", repo.path)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert "rewritten" in result.err and "--rebase-history" in result.err
    assert snapshot(store_path) == before

    summary = adopt(cli_run, store_path, repo.path, "--rebase-history", "continue")
    assert summary["versions"] == 1  # only the text the store did not have as latest
    assert cli_run("--store", store_path, "show", "gesetz", "latest").out.rstrip() == LAW_3.rstrip()


@pytest.mark.parametrize(
    "args, message",
    [
        (["{tmp}/nowhere"], "no such directory"),
        (["{tmp}/plain"], "not a git repository"),
        (["{src}", "../outside"], "bad pathspec"),
        (["{src}", ":(exclude)x"], "bad pathspec"),
        (["{src}", "no-such-folder/"], "no file in its history matches"),
        (["{src}", "--commit-url", "https://x.example/{commit}"], "bad --commit-url"),
        (["{src}", "--commit-url", "ftp://x.example/{sha}"], "not an http(s) URL"),
        (["{src}", "--slug-from", "nothing"], "nothing"),
        (["ext::sh -c touch% /tmp/pwned"], "not allowed"),
    ],
)
def test_bad_input_is_one_error_line(
    cli_run: CliRun, store_path: Path, source, tmp_path: Path, args: list[str], message: str
) -> None:
    repo, _c = source
    (tmp_path / "plain").mkdir()
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{src}", str(repo.path)) for a in args]
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "adopt", *argv)
    assert result.code == 2, result.out
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert message in result.err
    assert snapshot(store_path) == before


def test_pathspec_and_slug_from(cli_run: CliRun, store_path: Path, source) -> None:
    repo, _c = source
    summary = adopt(cli_run, store_path, repo.path, "uk/*", "--slug-from", "dir")
    assert summary["versions"] == 2 and summary["skipped"] == []
    docs = json.loads(cli_run("--store", store_path, "docs", "--json").out)["documents"]
    assert [d["slug"] for d in docs] == ["uk"]


# -- real corpora ------------------------------------------------------------------------------
CORPUS = SHARED / "corpora" / "bundestag-gesetze"
LAWS = {"gg": "Würde des Menschen", "tkg_2004": "Telekommunikation"}


def corpus_repo(path: Path) -> tuple[SourceRepo, dict[str, list[dict]]]:
    """A repository replaying the laws' real commits (their meta files give commit, date,
    message and path), the laws sharing commits as they do upstream; tkg_2004 is deleted after
    its last version, as it was."""
    metas = {law: json.loads((CORPUS / law / "meta.json").read_text("utf-8")) for law in LAWS}
    by_commit: dict[str, dict] = {}
    for law, meta in metas.items():
        for v in meta["versions"]:
            entry = by_commit.setdefault(v["commit"], {"date": v["commit_date"], "files": []})
            entry["message"] = v["commit_message"].splitlines()[0]
            entry["files"].append((v["original_path"], CORPUS / law / v["file"]))
    repo = SourceRepo(path)
    for sha in sorted(by_commit, key=lambda s: by_commit[s]["date"]):
        entry = by_commit[sha]
        for name, file in entry["files"]:
            repo.write(name, file.read_bytes())
        repo.commit(entry["message"])
    repo.git("rm", "-q", "-r", "t")
    repo.commit("Telekommunikationsgesetz 2004 aufgehoben")
    return repo, {law: meta["versions"] for law, meta in metas.items()}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpora are not present")
def test_real_laws_trace_as_if_added_one_by_one(
    cli_run: CliRun, tmp_path: Path, store_path: Path
) -> None:
    repo, versions = corpus_repo(tmp_path / "gesetze")
    summary = adopt(cli_run, store_path, repo.path, "--slug-from", "dir")
    assert summary["versions"] == sum(len(v) for v in versions.values())
    assert summary["withdrawn"] == 1 and summary["skipped"] == []

    by_hand = tmp_path / "by-hand"
    assert cli_run("--store", by_hand, "init").code == 0
    for law, entries in versions.items():
        for v in entries:
            added = cli_run(
                "--store", by_hand, "add", law, CORPUS / law / v["file"],
                "--source", "gesetze", "--note", v["commit_message"].splitlines()[0],
            )  # fmt: skip
            assert added.code == 0, added.err

    for law, phrase in LAWS.items():
        adopted = json.loads(cli_run("--store", store_path, "trace", law, phrase, "--json").out)
        manual = json.loads(cli_run("--store", by_hand, "trace", law, phrase, "--json").out)
        assert _shape(adopted) == _shape(manual)
        assert any(t["state"] == "present" for t in adopted["timeline"])


def _shape(trace: dict) -> dict:
    """A trace answer without version ids and provenance (which differ between the stores)."""
    return {
        "timeline": [
            (t["version"]["label"], t["state"], [c["text"] for c in t["clauses"]])
            for t in trace["timeline"]
        ],
        "events": [(e["type"], e["version"]["label"]) for e in trace["events"]],
        **{k: trace[k] for k in ("first_seen", "last_seen", "gone_in", "gone_how")},
    }


def test_rewritten_source_without_the_old_commit_is_replayed(
    cli_run: CliRun, store_path: Path, source
) -> None:
    repo, _c = source
    adopt(cli_run, store_path, repo.path)
    repo.write("laws/gesetz.md", LAW_3)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "-m", "Rewritten")
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    assert cli_run("--store", store_path, "adopt", repo.path).code == 2
    summary = adopt(cli_run, store_path, repo.path, "--rebase-history", "continue")
    assert (summary["versions"], summary["withdrawn"]) == (1, 0)
    docs = json.loads(cli_run("--store", store_path, "docs", "--json").out)["documents"]
    assert {d["slug"]: d["versions"] for d in docs} == {
        "gesetz": 3, "uk-terms": 2, "notes-note": 2,
    }  # fmt: skip


def test_adopt_from_a_remote_url(cli_run: CliRun, store_path: Path, source, tmp_path: Path) -> None:
    """A URL is cloned (same rules as ``remote add``) from a real HTTP server on loopback."""
    import functools
    import http.server
    import threading

    repo, c = source
    served = tmp_path / "served"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(repo.path), str(served / "owner" / "laws.git")],
        check=True,
    )
    subprocess.run(
        ["git", "-C", str(served / "owner" / "laws.git"), "update-server-info"], check=True
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/owner/laws.git"
        summary = adopt(
            cli_run, store_path, url, "--commit-url", "https://github.com/{repo}/commit/{sha}"
        )
        assert summary["source"] == url and summary["versions"] == 6
        first = log(cli_run, store_path, "gesetz")[0]
        assert first["source"]["outlet"] == "laws"
        assert first["source"]["url"] == f"https://github.com/owner/laws/commit/{c['first']}"
        assert "nothing to adopt" in cli_run("--store", store_path, "adopt", url).out
    finally:
        server.shutdown()
        server.server_close()


def test_a_pure_rename_is_no_new_version(cli_run: CliRun, store_path: Path, source) -> None:
    repo, _c = source
    adopt(cli_run, store_path, repo.path)
    repo.git("mv", "uk/terms.md", "uk/umovy.md")
    repo.commit("Rename only")
    assert adopt(cli_run, store_path, repo.path)["versions"] == 0
    repo.write("uk/umovy.md", TERMS + "\n4. Четвертий пункт.\n")
    edit = repo.commit("Edit after the rename")
    assert adopt(cli_run, store_path, repo.path)["versions"] == 1
    terms = log(cli_run, store_path, "uk-terms")
    assert [v["adopted"]["path"] for v in terms][-1] == "uk/umovy.md"
    assert terms[-1]["adopted"]["commit"] == edit and len(terms) == 3
