"""The fast paths of ``docs``, ``log``, ``show`` and ``diff`` (answers kept per HEAD,
``drafttrack.cli.answers``), the on-disk comparison cache (``drafttrack.comparison_cache``) and
``Store.head`` read from the ref files: each gives byte for byte what the normal path gives."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from drafttrack.cli import answers, fast
from drafttrack.cli import main as cli_main
from repo_store import Store, refs
from tests.conftest import CliRun, run_process, snapshot
from tests.test_fast_path import TEXTS, add_texts, fast_only, git, normal, run

DOC = "ugoda"

COMMANDS = [
    ["docs"],
    ["docs", "--json"],
    ["log", DOC],
    ["log", DOC, "--json"],
    ["show", DOC, "1"],
    ["show", DOC, "Проєкт 2"],
    ["show", DOC, "проєкт 4"],
    ["show", DOC, "latest"],
    ["diff", DOC, "1", "2", "--format", "json"],
    ["diff", DOC, "--format=json"],
    ["diff", DOC, "Проєкт 1", "latest", "--format", "json", "--substantive-only"],
    ["diff", DOC, "2", "4", "--format", "json", "--front-matter-as-text"],
    ["diff", DOC, "1", "4"],
    ["diff", DOC, "first", "Проєкт 2", "--no-color", "--changes-only"],
    ["diff", DOC, "3", "--substantive-only"],
]
"""Version names as labels (any case), positions, ``first``, ``latest``, defaults."""


@pytest.fixture
def unicode_store(store_path: Path, tmp_path: Path, cli_run: CliRun) -> Path:
    """Four versions in Ukrainian, German and French (``tests/test_fast_path.py``)."""
    return add_texts(store_path, tmp_path, cli_run)


@pytest.fixture
def quoted_store(unicode_store: Path, tmp_path: Path, cli_run: CliRun) -> Path:
    """The four Ukrainian/German/French versions, and a second document with quotes."""
    text = "# Accord\n\n## Article 1\n\nLe texte « tel quel » et „so“ — «так».\n"
    path = tmp_path / "accord.md"
    path.write_text(text, "utf-8")
    assert cli_run("--store", unicode_store, "add", "accord", path, "--title", "L'accord").code == 0
    return unicode_store


def _ids(store: Path) -> list[str]:
    log = json.loads(normal("--store", store, "log", DOC, "--json")[1])
    return [v["id"] for v in log["versions"]]


def test_kept_answers_are_byte_identical_to_the_normal_path(
    quoted_store: Path, cli_run: CliRun
) -> None:
    first_id = _ids(quoted_store)[0]
    kept = 0
    for words in [*COMMANDS, ["show", DOC, first_id[:8]], ["log", "accord"]]:
        args = ["--store", str(quoted_store), *words]
        code, want = normal(*args)
        assert code == 0 and want, words
        assert fast_only(*args) == (None, b""), words  # nothing kept yet
        result = cli_run(*args)  # the normal path, keeping its answer
        assert (result.code, result.out.encode("utf-8")) == (0, want), words
        if result.err:  # a cross-language pair says so on stderr: such answers are not kept
            assert words[0] == "diff" and "cross-language" in result.err
            assert fast_only(*args) == (None, b""), words
            continue
        assert fast_only(*args) == (0, want), words
        kept += 1
    assert kept >= len(COMMANDS) - 3
    diff = json.loads(fast_only("--store", quoted_store, *COMMANDS[8])[1])
    changed = sum(n for kind, n in diff["summary"].items() if kind != "unchanged")
    assert (diff["old"]["label"], diff["new"]["label"]) == ("Проєкт 1", "Проєкт 2") and changed
    shown = fast_only("--store", quoted_store, "show", DOC, "Проєкт 2")[1].decode("utf-8")
    assert "„jeden Monat“" in shown and "« sans délai »" in shown and "«підтримують»" in shown


def test_a_moved_head_declines_and_the_normal_path_answers_fresh(
    unicode_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    for words in (
        ["log", DOC, "--json"],
        ["diff", DOC, "1", "latest", "--format", "json"],
        ["docs"],
    ):
        args = ["--store", str(unicode_store), *words]
        run(cli_main, *args)
        assert fast_only(*args)[0] == 0
    newer = tmp_path / "v5.md"
    newer.write_text("# Угода\n\n## Artikel 9\n\nEtwas „ganz“ anderes.\n", "utf-8")
    assert cli_run("--store", unicode_store, "add", DOC, newer, "--label", "П5").code == 0
    for words in (
        ["log", DOC, "--json"],
        ["diff", DOC, "1", "latest", "--format", "json"],
        ["docs"],
    ):
        args = ["--store", str(unicode_store), *words]
        assert fast_only(*args) == (None, b""), words
        code, out = run(cli_main, *args)
        assert code == 0 and (0, out) == normal(*args) == fast_only(*args)
    log = json.loads(fast_only("--store", unicode_store, "log", DOC, "--json")[1])
    assert [v["label"] for v in log["versions"]][-1] == "П5"
    diff = fast_only("--store", unicode_store, "diff", DOC, "1", "latest", "--format", "json")
    assert [json.loads(diff[1])[side]["label"] for side in ("old", "new")] == ["Проєкт 1", "П5"]


def test_damaged_answers_decline_and_are_rebuilt(unicode_store: Path) -> None:
    args = ["--store", str(unicode_store), "log", DOC, "--json"]
    _, want = run(cli_main, *args)
    db_path = unicode_store / refs.CACHE_NAME / answers.DB_NAME
    db = sqlite3.connect(db_path)
    db.execute("UPDATE outputs SET data = CAST(? AS BLOB)", (b'{"forged": true}\n',))
    db.commit()
    db.close()
    assert fast_only(*args) == (None, b"")  # the digest no longer matches
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(b"no database here " * 200)
    assert fast_only(*args) == (None, b"")
    assert run(cli_main, *args) == (0, want)
    assert fast_only(*args) == (0, want)
    shutil.rmtree(unicode_store / refs.CACHE_NAME)
    assert fast_only(*args) == (None, b"") and run(cli_main, *args) == (0, want)


def test_bad_input_is_one_line_and_keeps_nothing(unicode_store: Path, cli_run: CliRun) -> None:
    run(cli_main, "--store", unicode_store, "docs")
    before = snapshot(unicode_store)
    for words, message in (
        (["show", DOC, "99"], "no position 99"),
        (["show", DOC, "nope"], "no version 'nope'"),
        (["diff", DOC, "1", "nope", "--format", "json"], "no version 'nope'"),
        (["diff", DOC, "0", "2"], "no position 0"),
        (["log", "no-such-doc"], "no-such-doc"),
        (["diff", DOC, "--format", "xml"], "xml"),
    ):
        args = ["--store", str(unicode_store), *words]
        for _ in range(2):
            assert fast_only(*args) == (None, b""), words
            result = cli_run(*args)
            assert result.code == 2 and result.out == "", words
            assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
            assert message in result.err, result.err
    assert snapshot(unicode_store) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["docs", "extra"],
        ["log"],
        ["show", DOC],
        ["diff", DOC, "1", "2", "--format", "md"],
        ["diff", DOC, "1", "2", "--format", "json", "--format", "text"],
        ["diff", DOC, "--cross-language"],
        ["show", DOC, "-1"],
        ["log", DOC, "--help"],
    ],
)
def test_forms_left_to_click(argv: list[str], unicode_store: Path) -> None:
    assert fast.parse(["--store", str(unicode_store), *argv]) is None


def test_a_warm_process_imports_neither_click_git_nor_the_engine(unicode_store: Path) -> None:
    heavy = (
        "click", "git", "markdown_it", "rapidfuzz", "diff_match_patch", "drafttrack.segment",
        "drafttrack.align", "drafttrack.compare", "drafttrack.lineage.builder",
        "repo_store.store", "drafttrack.index_cache",
    )  # fmt: skip
    for words in (
        ["diff", DOC, "1", "2", "--format", "json"],
        ["diff", DOC, "2", "4"],
        ["log", DOC],
        ["log", DOC, "--json"],
        ["docs", "--json"],
        ["show", DOC, "Проєкт 2"],
    ):
        args = ["--store", str(unicode_store), *words]
        first = run_process(*args)  # the normal path, keeping its answer
        assert first.returncode == 0 and first.stderr == b"", first.stderr
        probe = (
            "import sys\n"
            "from drafttrack.cli import main\n"
            f"code = main({args!r})\n"
            f"loaded = [m for m in {heavy!r} if m in sys.modules]\n"
            "print(code, loaded, file=sys.stderr)\n"
        )
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True)
        assert done.stderr.decode().strip() == "0 []", words
        assert done.stdout == first.stdout == normal(*args)[1], words


def test_the_comparison_cache_gives_what_a_fresh_comparison_gives(unicode_store: Path) -> None:
    cache = unicode_store / refs.CACHE_NAME
    for words in (
        ["diff", DOC, "1", "4", "--format", "json"],
        ["diff", DOC, "1", "4", "--format", "md"],
        ["diff", DOC, "1", "4", "--format", "html"],
        ["diff", DOC, "1", "2", "--no-color"],
    ):
        args = ["--store", str(unicode_store), *words]
        shutil.rmtree(cache, ignore_errors=True)
        code, fresh = normal(*args)
        assert code == 0 and fresh
        stored = sqlite3.connect(cache / "compare.sqlite")
        assert stored.execute("SELECT count(*) FROM pairs").fetchone()[0] >= 1
        stored.close()
        assert normal(*args) == (0, fresh), words  # read back from the comparison cache
    (cache / "compare.sqlite").write_bytes(b"damaged " * 500)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache / 'compare.sqlite'}{suffix}").unlink(missing_ok=True)
    assert normal("--store", unicode_store, "diff", DOC, "1", "2", "--no-color") == (0, fresh)


def test_store_head_reads_the_ref_files_as_git_does(unicode_store: Path) -> None:
    def check() -> None:
        want = git(unicode_store, "rev-parse", "refs/heads/main^{commit}")
        with Store.open(unicode_store) as store:
            assert store.head() == want
        assert refs.is_commit(unicode_store, want)

    check()  # loose objects, loose ref
    git(unicode_store, "gc", "-q")  # packed objects and packed refs
    assert not (unicode_store / "refs" / "heads" / "main").exists()
    assert not list((unicode_store / "objects").glob("??/*"))
    check()
    tree = git(unicode_store, "rev-parse", "refs/heads/main^{tree}")
    assert not refs.is_commit(unicode_store, tree)
    assert not refs.is_commit(unicode_store, "0" * 40)
    head = git(unicode_store, "rev-parse", "refs/heads/main")
    git(
        unicode_store,
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "tag",
        "-a",
        "-m",
        "a tag",
        "t1",
        head,
    )
    tag = git(unicode_store, "rev-parse", "refs/tags/t1")
    assert not refs.is_commit(unicode_store, tag)
    (unicode_store / "refs" / "heads" / "main").write_text(tag + "\n", "ascii")
    with Store.open(unicode_store) as store:
        assert store.head() == head  # a tag: git peels it to the commit


def test_the_texts_keep_their_quotes(unicode_store: Path) -> None:
    for n, text in enumerate(TEXTS, 1):
        args = ["--store", str(unicode_store), "show", DOC, str(n)]
        assert run(cli_main, *args) == (0, text.encode("utf-8"))
        assert fast_only(*args) == (0, text.encode("utf-8"))


def test_the_viewer_reads_the_comparisons_a_command_kept(unicode_store: Path) -> None:
    from web import create_app

    def page() -> bytes:
        client = create_app(str(unicode_store), {"SECRET_KEY": "t", "TESTING": True}).test_client()
        url = f"/d/{DOC}/compare/1/4"
        url = client.get(url).headers.get("Location", url)
        response = client.get(url)
        assert response.status_code == 200
        data: bytes = response.data
        return data

    shutil.rmtree(unicode_store / refs.CACHE_NAME, ignore_errors=True)
    fresh = page()
    assert not (unicode_store / refs.CACHE_NAME / "compare.sqlite").exists()  # the viewer reads
    for fmt in ("json", "text"):
        assert normal("--store", unicode_store, "diff", DOC, "1", "4", "--format", fmt)[0] == 0
    assert page() == fresh
    stored = sqlite3.connect(unicode_store / refs.CACHE_NAME / "compare.sqlite")
    stored.execute("UPDATE pairs SET data = replace(data, 'Berlin', 'Bärlin')")
    stored.commit()
    stored.close()
    assert "Bärlin".encode() in page() and b"Berlin" not in page()  # read from the cache


def test_stdout_and_stderr_keep_their_order(unicode_store: Path) -> None:
    """A cross-language pair's notice (stderr) comes before the comparison (stdout), as the
    normal path writes them; such an answer is not kept."""
    args = ["--store", str(unicode_store), "diff", DOC, "2", "3", "--no-color"]
    entry = "import sys; from drafttrack.cli.base import main; sys.exit(main(sys.argv[1:]))"

    def merged(*cmd: str) -> subprocess.CompletedProcess[bytes]:
        pipe, into = subprocess.PIPE, subprocess.STDOUT
        return subprocess.run([sys.executable, *cmd, *args], stdout=pipe, stderr=into, check=True)

    plain, kept = merged("-c", entry), merged("-m", "drafttrack")
    assert kept.stdout == plain.stdout
    assert kept.stdout.startswith(b"cross-language comparison") and b"\nugoda: " in kept.stdout
    assert fast_only(*args) == (None, b"")


def test_trim_keeps_the_newest_rows_within_count_and_bytes(tmp_path: Path) -> None:
    from drafttrack.cache_db import connect, trim

    db = connect(tmp_path, "t.sqlite", check=False)
    db.execute("CREATE TABLE pairs (key TEXT PRIMARY KEY, data BLOB, size INTEGER)")
    for n in range(10):
        db.execute("INSERT INTO pairs VALUES (?, ?, ?)", (f"k{n}", b"x" * 100, 100))
    trim(db, "pairs", 6, 10_000)
    assert [r[0] for r in db.execute("SELECT key FROM pairs ORDER BY rowid")] == [
        f"k{n}" for n in range(4, 10)
    ]
    trim(db, "pairs", 6, 250)
    assert [r[0] for r in db.execute("SELECT key FROM pairs ORDER BY rowid")] == ["k8", "k9"]
    db.close()
