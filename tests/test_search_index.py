"""The full-text search index: Unicode-correct, incremental, derived, equal to a full scan."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import pytest

from drafttrack.phrase_search import search_lineages
from drafttrack.search_index import SearchIndex
from drafttrack.service import lineages as service_lineages
from drafttrack.service.search import index_path, refresh_index
from repo_store import Store
from tests.conftest import CliRun, snapshot

DE_1 = (
    "# Gesetz\n\n## § 1\n\nDie Würde des Menschen ist unantastbar.\n\n"
    "## § 2\n\nDas Amt wurde „vorläufig“ besetzt.\n"
)
DE_2 = "# Gesetz\n\n## § 1\n\nDie Würde des Menschen ist unantastbar.\n\n## § 3\n\nNeue Regel.\n"
UK = "# Умови\n\n1. Перший пункт умов.\n\n2. Другий пункт «лапки» тут.\n"
FR = "# Note\n\nLa « première » version du texte.\n\nUne deuxième phrase.\n"


def add(cli_run: CliRun, store: Path, doc: str, text: str, tmp: Path, *args: str) -> None:
    file = tmp / f"{doc}-{len(text)}.md"
    file.write_text(text, "utf-8")
    result = cli_run("--store", store, "add", doc, file, *args)
    assert result.code == 0, result.err


def search(cli_run: CliRun, store: Path, *args: str) -> dict:
    result = cli_run("--store", store, "search", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def store(store_path: Path, cli_run: CliRun, tmp_path: Path) -> Path:
    add(cli_run, store_path, "gesetz", DE_1, tmp_path, "--reported-on", "2020-01-10")
    add(cli_run, store_path, "gesetz", DE_2, tmp_path, "--reported-on", "2021-06-01")
    add(cli_run, store_path, "umovy", UK, tmp_path, "--reported-on", "2021-01-01")
    add(cli_run, store_path, "note", FR, tmp_path, "--reported-on", "2022-02-02")
    return store_path


def test_unicode_phrases(cli_run: CliRun, store: Path) -> None:
    wurde = search(cli_run, store, "Würde des Menschen")
    assert [(m["document"], m["versions"]) for m in wurde["matches"]] == [("gesetz", ["v1", "v2"])]
    assert wurde["total"] == 1 and wurde["matches"][0]["first_seen"] == "v1"
    assert wurde["matches"][0]["last_seen"] == "v2"
    # "wurde" is another word than "Würde": no diacritics folded away
    assert [m["text"] for m in search(cli_run, store, "wurde")["matches"]] == [
        "Das Amt wurde „vorläufig“ besetzt."
    ]
    assert search(cli_run, store, 'wurde "vorläufig"')["total"] == 1  # quote styles unified
    uk = search(cli_run, store, "пункт „лапки“")
    assert [m["document"] for m in uk["matches"]] == ["umovy"]
    assert search(cli_run, store, "ПЕРШИЙ пункт")["total"] == 1  # case, Cyrillic
    assert search(cli_run, store, "пунк")["total"] == 0  # whole words only
    fr = search(cli_run, store, "la “première” version")
    assert [m["document"] for m in fr["matches"]] == ["note"]


def test_removed_text_and_filters(cli_run: CliRun, store: Path) -> None:
    gone = search(cli_run, store, "vorläufig besetzt")["matches"]
    assert [(m["first_seen"], m["last_seen"]) for m in gone] == [("v1", "v1")]
    assert search(cli_run, store, "Würde", "--since", "2021-01-01")["matches"][0]["versions"] == [
        "v2"
    ]
    assert search(cli_run, store, "vorläufig", "--since", "2021-01-01")["total"] == 0
    assert search(cli_run, store, "Würde", "--until", "2020-12-31")["matches"][0]["versions"] == [
        "v1"
    ]
    assert search(cli_run, store, "Würde", "--doc", "umovy")["total"] == 0
    assert search(cli_run, store, "Würde", "--doc", "gesetz")["total"] == 1
    limited = search(cli_run, store, "пункт", "--limit", "1")
    assert limited["total"] == 2 and len(limited["matches"]) == 1


def test_index_is_incremental_and_derived(cli_run: CliRun, store: Path, tmp_path: Path) -> None:
    first = search(cli_run, store, "Neue Regel")
    with Store.open(store) as s, SearchIndex(index_path(s)) as index:
        assert refresh_index(s, index) == 0  # current: nothing read
    add(cli_run, store, "umovy", UK + "\n3. Neue Regel hier.\n", tmp_path)
    with Store.open(store) as s, SearchIndex(index_path(s)) as index:
        assert refresh_index(s, index) == 1  # only the document that changed
        after = index.search("Neue Regel")
    assert {m["document"] for m in after["matches"]} == {"gesetz", "umovy"}
    index_path_ = store / "drafttrack-cache" / "search.sqlite"
    assert index_path_.exists()
    for extra in store.glob("drafttrack-cache/search.sqlite*"):
        extra.unlink()
    again = search(cli_run, store, "Neue Regel")
    assert again["matches"] == after["matches"] and first["total"] == 1


def test_index_answers_as_a_full_scan_does(cli_run: CliRun, demo_store: Path) -> None:
    for phrase in ("Paris", "ceasefire monitoring", "Koordinierungsgruppe", "the parties"):
        indexed = search(cli_run, demo_store, phrase)
        with Store.open(demo_store) as s, ExitStack() as stack:
            views = [
                stack.enter_context(service_lineages.document_lineages(s, d.slug))
                for d in s.documents()
            ]
            scanned = search_lineages(views, phrase)
        assert [
            (m["document"], m["key"], m["text"], m["versions"]) for m in indexed["matches"]
        ] == [(m["document"], m["key"], m["text"], m["versions"]) for m in scanned["matches"]]
        assert indexed["total"] == len(scanned["matches"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["Würde", "--since", "last week"], "date"),
        (["Würde", "--doc", "nope"], "no document"),
        (["„…“"], "no words"),
        (["Würde", "--limit", "0"], "--limit"),
    ],
)
def test_bad_search_input(cli_run: CliRun, store: Path, args: list[str], message: str) -> None:
    before = snapshot(store)
    result = cli_run("--store", store, "search", *args)
    assert result.code == 2 and result.err.startswith("error: ")
    assert result.err.count("\n") == 1 and message in result.err
    assert snapshot(store) == before


def _index_rows(store: Path) -> list[tuple]:
    import sqlite3

    db = sqlite3.connect(store / "drafttrack-cache" / "search.sqlite")
    try:
        return db.execute(
            "SELECT id, doc, key, number, path, text, form, first, versions FROM clauses "
            "ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def test_a_refresh_shared_among_processes_writes_the_same_index(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents read a slice at a time (each slice's texts through one git process), here or
    in worker processes: the rows, their order and the answers are the same."""
    import shutil

    from drafttrack.service import search_refresh

    monkeypatch.setattr(search_refresh, "SLICE", 1)  # one document a slice: several slices
    monkeypatch.setattr(search_refresh, "PARALLEL_FROM", 2)
    copies = {}
    for workers in (1, 2):
        copy = tmp_path / f"workers-{workers}"
        shutil.copytree(demo_store, copy, ignore=shutil.ignore_patterns("drafttrack-cache"))
        seen: list[tuple[int, int]] = []
        with Store.open(copy) as s, SearchIndex(index_path(s)) as index:
            total = len(s.documents())
            assert total >= search_refresh.PARALLEL_FROM  # the worker processes are used
            n = refresh_index(
                s, index, lambda d, t, seen=seen: seen.append((d, t)), workers=workers
            )
            assert n == total and index.head() == s.head()
            assert refresh_index(s, index, workers=workers) == 0
        assert seen == [(k, total) for k in range(1, total + 1)]
        copies[workers] = copy
    rows = _index_rows(copies[1])
    assert rows and rows == _index_rows(copies[2])
    with Store.open(copies[2]) as s, SearchIndex(index_path(s)) as index:
        assert index.search("Paris")["total"] >= 1


def test_a_refresh_without_worker_processes_reads_every_slice_here(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot be started (a sandbox without semaphores), the refresh is done in
    this process, whole."""
    from drafttrack.service import search_refresh

    def no_processes(_method: str) -> None:
        raise OSError("[Errno 38] Function not implemented: sem_open")

    monkeypatch.setattr(search_refresh, "SLICE", 1)
    monkeypatch.setattr(search_refresh, "PARALLEL_FROM", 2)
    monkeypatch.setattr(search_refresh.multiprocessing, "get_context", no_processes)
    with Store.open(demo_store) as s, SearchIndex(index_path(s)) as index:
        assert refresh_index(s, index, workers=4) == len(s.documents())
        assert index.search("Paris")["total"] >= 1


def test_an_index_of_another_layout_or_segmenter_is_rebuilt(cli_run: CliRun, store: Path) -> None:
    """An index written by another version (its layout, or the segmentation its rows come
    from) is dropped and built again: its answers are never served."""
    import sqlite3

    expected = search(cli_run, store, "Würde des Menschen")
    db = sqlite3.connect(store / "drafttrack-cache" / "search.sqlite")
    db.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")
    db.execute("UPDATE clauses SET form = 'stale'")
    db.commit()
    db.close()
    assert search(cli_run, store, "Würde des Menschen") == expected
    with Store.open(store) as s, SearchIndex(index_path(s)) as index:
        assert index.db.execute("SELECT count(*) FROM clauses WHERE form = 'stale'").fetchone() == (
            0,
        )


TRICKY = (
    "# Tricky\n\n1. Per e-mail an die Behörde, l'article 2 und x² oder ¼ Anteil.\n\n"
    "2. Die Ausnahme_regel gilt; μ-Wert und Ω sind Größen, «лапки» і ї.\n\n"
    "3. Mail an die Behörde: article 2 und x oder Anteil, Wert und Größen.\n"
)


def test_plain_words_are_matched_by_the_index_as_the_check_would(
    cli_run: CliRun, store: Path, demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clauses and phrases of plain words are taken from the index's phrase match without
    reading the clause; every answer equals the one checking each candidate's match form (on
    every word and word pair of the demo store and of German, Ukrainian, French and punctuated
    texts: "e-mail", "l'article", "x²", "Ausnahme_regel", "μ-Wert")."""
    from drafttrack import search_index

    add(cli_run, store, "tricky", TRICKY, tmp_path)
    assert search_index.is_plain("die würde des menschen") and search_index.is_plain("пункт 2")
    assert not search_index.is_plain("e-mail") and not search_index.is_plain("x²")
    assert not search_index.is_plain("ausnahme_regel") and not search_index.is_plain("a  b")
    for path in (store, demo_store):
        search(cli_run, path, "Würde")  # the index is current
        with Store.open(path) as s, SearchIndex(index_path(s)) as index:
            forms = [f for (f,) in index.db.execute("SELECT form FROM clauses")]
            words = sorted({w for f in forms for w in f.split()})
            split = [f.split() for f in forms]
            pairs = sorted({f"{a} {b}" for ws in split for a, b in zip(ws, ws[1:], strict=False)})
            phrases = words + pairs[:: max(1, len(pairs) // 300)]
            assert len(phrases) > 100
            fast = [index.search(p, doc=None) for p in phrases]
            with monkeypatch.context() as m:
                m.setattr(search_index, "is_plain", lambda _form: False)
                checked = [index.search(p, doc=None) for p in phrases]
        assert fast == checked
        assert any(f["total"] for f in fast)
