"""The fast path of ``trace`` (``drafttrack.cli.fast``): when the derived index is current for
the store's branch, the answer comes from SQLite without click, GitPython or the engine, and it
is byte for byte what the normal command line prints; anything else falls back to it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafttrack.cli import base, fast
from drafttrack.cli import main as cli_main
from repo_store import refs
from tests.conftest import CliRun, run_process

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}

TEXTS = [
    "# Угода\n\n## Стаття 1\n\nСторони «підтримують» силу миру.\n\n"
    "## Artikel 2\n\nDie Koordinierungsgruppe tagt „jeden Monat“ in Berlin.\n\n"
    "## Article 3\n\nL'accord de paix entre en vigueur « sans délai ».\n",
    "# Угода\n\n## Стаття 1\n\nСторони «підтримують» силу спокою — завжди.\n\n"
    "## Artikel 2\n\nDie Koordinierungsgruppe tagt „jeden Monat“ in Berlin.\n\n"
    "## Article 3\n\nL'accord de paix entre en vigueur « sans délai ».\n",
    "# Угода\n\n## Artikel 2\n\nDie Koordinierungsgruppe tagt „jeden Monat“.\n",
    "# Угода\n\n## Article 3\n\nL'accord de paix entre en vigueur « sans délai ».\n\n"
    "## Artikel 2\n\nDie Koordinierungsgruppe tagt nur noch „selten“.\n\n"
    "## Стаття 1\n\nСторони «підтримують» силу миру.\n",
]
PHRASES = ["силу миру", "Koordinierungsgruppe tagt", "entre en vigueur", "jeden monat"]


def run(entry: Callable[[list[str]], int | None], *args: str | Path) -> tuple[int | None, bytes]:
    """``entry(ARGS)`` in this process with captured output: (exit code, stdout bytes)."""
    runner = CliRunner()
    with runner.isolation() as streams:
        code = entry([str(a) for a in args])
        return code, streams[0].getvalue()


def normal(*args: str | Path) -> tuple[int | None, bytes]:
    """The normal command line (click and the service), never the fast path."""
    return run(base.main, *args)


def fast_only(*args: str | Path) -> tuple[int | None, bytes]:
    """The fast path alone: (None, b"") when it declines."""
    return run(fast.answer, *args)


@pytest.fixture
def unicode_store(store_path: Path, tmp_path: Path, cli_run: CliRun) -> Path:
    """Four versions in Ukrainian, German and French (the third a partial text)."""
    return add_texts(store_path, tmp_path, cli_run)


def add_texts(store_path: Path, tmp_path: Path, cli_run: CliRun) -> Path:
    """Add :data:`TEXTS` to the store as document ``ugoda``, labelled ``Проєкт N``."""
    for n, text in enumerate(TEXTS, 1):
        path = tmp_path / f"v{n}.md"
        path.write_text(text, "utf-8")
        extra = ["--completeness", "partial"] if n == 3 else []
        added = cli_run(
            "--store", store_path, "add", "ugoda", path, "--label", f"Проєкт {n}",
            "--source", "Der Spiegel", "--via", "«Le Monde»", "--reported-on", f"2026-0{n}-01",
            *extra,
        )  # fmt: skip
        assert added.code == 0, added.err
    return store_path


def git(store: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "--git-dir", str(store), *args], capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", **GIT_ENV},
    )  # fmt: skip
    return out.stdout.strip()


def test_fast_trace_is_byte_identical_to_the_normal_path(unicode_store: Path) -> None:
    doc = "ugoda"
    assert git(unicode_store, "rev-parse", "refs/heads/main")
    for phrase in PHRASES:
        for flags in ([], ["--json"], ["--fuzzy"], ["--json", "--fuzzy"]):
            args = ["--store", str(unicode_store), "trace", doc, phrase, *flags]
            code, want = normal(*args)  # builds the index on the first call
            assert code == 0 and want
            assert fast_only(*args) == (0, want), (phrase, flags)
            assert run(cli_main, *args) == (0, want)
    code, out = fast_only("--store", unicode_store, "trace", doc, "силу миру", "--json")
    result = json.loads(out)
    states = [e["state"] for e in result["timeline"]]
    assert states[0] == states[3] == "present" and states[2] == "unknown" and states[1] != "present"
    assert "Проєкт 1" in out.decode("utf-8") and "«Le Monde»" in out.decode("utf-8")


def test_a_moved_head_falls_back_and_answers_for_the_new_head(
    unicode_store: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    args = ["--store", str(unicode_store), "trace", "ugoda", "Koordinierungsgruppe", "--json"]
    normal(*args)
    assert fast_only(*args)[0] == 0
    newer = tmp_path / "v5.md"
    newer.write_text("# Угода\n\n## Artikel 9\n\nEtwas ganz anderes.\n", "utf-8")
    assert cli_run("--store", unicode_store, "add", "ugoda", newer, "--label", "П5").code == 0
    assert fast_only(*args) == (None, b"")  # the index was built for the old HEAD
    code, out = run(cli_main, *args)  # falls back: rebuilds, and answers for the new HEAD
    result = json.loads(out)
    assert code == 0 and len(result["timeline"]) == 5
    assert result["gone_in"] == "П5" and result["gone_how"] == "removed"
    assert normal(*args) == (0, out)
    assert fast_only(*args) == (0, out)  # current again


def test_packed_refs_a_detached_head_and_a_clone_with_a_work_tree(
    unicode_store: Path, tmp_path: Path
) -> None:
    args = ["--store", str(unicode_store), "trace", "ugoda", "entre en vigueur"]
    _, want = normal(*args)
    git(unicode_store, "pack-refs", "--all")
    assert not (unicode_store / "refs" / "heads" / "main").exists()
    assert refs.branch_head(unicode_store) == git(unicode_store, "rev-parse", "refs/heads/main")
    assert fast_only(*args) == (0, want)
    first = git(unicode_store, "rev-list", "--max-parents=0", "refs/heads/main")
    git(unicode_store, "update-ref", "--no-deref", "HEAD", first)  # the store reads main only
    assert fast_only(*args) == (0, want) == normal(*args)
    git(unicode_store, "symbolic-ref", "HEAD", "refs/heads/main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(unicode_store), str(clone)], check=True,
                   env={"PATH": "/usr/bin:/bin", **GIT_ENV}, capture_output=True)  # fmt: skip
    on_clone = ["--store", str(clone), *args[2:]]
    assert fast_only(*on_clone) == (None, b"")  # no index in the clone yet
    assert normal(*on_clone) == (0, want)
    assert fast_only(*on_clone) == (0, want)


def test_unusual_stores_and_damage_take_the_normal_path(
    unicode_store: Path, tmp_path: Path
) -> None:
    args = ["trace", "ugoda", "силу миру", "--json"]
    _, want = normal("--store", unicode_store, *args)
    # a .git file pointing at the store (as a linked worktree has): the normal path decides
    link = tmp_path / "linked"
    link.mkdir()
    (link / ".git").write_text(f"gitdir: {unicode_store}\n", "utf-8")
    assert refs.git_dir_of(link) is None
    assert fast_only("--store", link, *args) == (None, b"")
    # a damaged index: declined, and the normal path rebuilds it
    index = unicode_store / refs.CACHE_NAME / "index.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"not a database at all" * 100)
    assert fast_only("--store", unicode_store, *args) == (None, b"")
    assert run(cli_main, "--store", unicode_store, *args) == (0, want)
    assert fast_only("--store", unicode_store, *args) == (0, want)
    # a damaged branch ref: declined; the normal path names the problem
    ref = unicode_store / "refs" / "heads" / "main"
    ref.write_bytes(b"0123")
    assert refs.branch_head(unicode_store) is None
    assert fast_only("--store", unicode_store, *args) == (None, b"")
    result = run_process("--store", str(unicode_store), *args)
    assert result.returncode == 2 and result.stderr.decode().startswith("error: ")


def test_bad_input_gets_the_normal_error(unicode_store: Path, cli_run: CliRun) -> None:
    normal("--store", unicode_store, "trace", "ugoda", "силу")
    for args, message in (
        (["trace", "ugoda", " — "], "no words"),
        (["trace", "no-such-doc", "силу"], "no-such-doc"),
        (["trace", "ugoda", "-x"], "No such option"),
    ):
        assert fast_only("--store", unicode_store, *args) == (None, b"")
        result = cli_run("--store", unicode_store, *args)
        assert result.code == 2 and message in result.err and result.out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "d", "p", "--no-cache"],
        ["trace", "d", "p", "--help"],
        ["trace", "d"],
        ["trace", "d", "p", "q"],
        ["trace", "d", "--", "-p"],
        ["--version"],
        ["-h", "trace", "d", "p"],
        ["--store"],
        ["history", "d", "c"],
        ["diff", "d"],
    ],
)
def test_forms_the_fast_path_leaves_to_click(argv: list[str], store_path: Path) -> None:
    assert fast.answer(["--store", str(store_path), *argv]) is None


def test_parse_reads_the_store_like_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTTRACK_STORE", "/from/env")
    call = fast.parse(["trace", "--json", "d", "p"])
    assert call is not None and (call.store, call.args, call.flags) == ("/from/env", ["d", "p"],
                                                                        {"--json"})  # fmt: skip
    call = fast.parse(["--store=/a", "--store", "/b", "trace", "d", "p"])
    assert call is not None and call.store == "/b"
    monkeypatch.delenv("DRAFTTRACK_STORE")
    call = fast.parse(["trace", "d", "p"])
    assert call is not None and call.store == base.DEFAULT_STORE == fast.DEFAULT_STORE


def test_a_warm_trace_process_imports_neither_click_git_nor_the_engine(
    unicode_store: Path,
) -> None:
    args = ["--store", str(unicode_store), "trace", "ugoda", "силу миру", "--json"]
    _, want = normal(*args)
    probe = (
        "import sys\n"
        "from drafttrack.cli import main\n"
        f"code = main({args!r})\n"
        "heavy = [m for m in ('click', 'git', 'markdown_it', 'rapidfuzz', 'diff_match_patch',\n"
        "         'drafttrack.segment', 'drafttrack.align', 'drafttrack.lineage.builder',\n"
        "         'repo_store.store', 'drafttrack.index_cache') if m in sys.modules]\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True)
    assert done.stderr.decode().strip() == "0 []"
    assert done.stdout == want
    assert run_process(*args).stdout == want


def test_import_builds_the_index_so_the_first_trace_is_warm(
    tmp_path: Path, cli_run: CliRun
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for n, text in enumerate(TEXTS, 1):
        (folder / f"{n:02d}.md").write_text(text, "utf-8")
    built, skipped = tmp_path / "built", tmp_path / "skipped"
    for store, flags in ((built, []), (skipped, ["--no-index"])):
        assert cli_run("--store", store, "init").code == 0
        result = cli_run("--store", store, "import", "ugoda", folder, *flags)
        assert result.code == 0 and result.err == "", result.err
    args = ["trace", "ugoda", "Koordinierungsgruppe", "--json"]
    code, out = fast_only("--store", built, *args)  # nothing built since the import
    assert code == 0 and json.loads(out)["first_seen"] == "v1"
    assert normal("--store", built, *args) == (0, out)
    assert fast_only("--store", skipped, *args) == (None, b"")
    code, out = normal("--store", skipped, *args)  # builds it now
    assert code == 0 and fast_only("--store", skipped, *args) == (0, out)
