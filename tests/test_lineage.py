"""Lineages: stable keys, reappearance, bridging partial texts, and the derived index."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from drafttrack import forked
from drafttrack.errors import DrafttrackError
from drafttrack.index_cache import FILE_NAME, IndexCache, lineage_keys, open_lineages
from drafttrack.lineage import build_lineages
from drafttrack.model import VersionText
from drafttrack.segment import segment
from drafttrack.trace import trace_lineages
from tests.conftest import DEMO, CliRun

PARIS = DEMO / "paris-declaration"

V1 = """# Treaty

1. The parties establish a joint council.
2. The council meets twice a year in Geneva.
3. Each party appoints three members to the council.
4. Disputes are settled by arbitration.
"""
# the arbitration clause removed, a new clause added, one reworded
V2 = """# Treaty

1. The parties establish a joint council.
2. The council meets four times a year in Geneva.
3. Each party appoints three members to the council.
4. The council publishes an annual report.
"""
# the arbitration clause is back (renumbered)
V3 = """# Treaty

1. The parties establish a joint council.
2. The council meets four times a year in Geneva.
3. Each party appoints three members to the council.
4. The council publishes an annual report.
5. Disputes are settled by arbitration.
"""


def v(n: int, text: str, completeness: str = "full") -> VersionText:
    meta = {"id": f"id{n}", "label": f"v{n}", "position": n, "completeness": completeness}
    return VersionText(meta, text)


def key_of(lineages, index: int, fragment: str) -> str:
    clauses = segment([V1, V2, V3][index]) if index < 3 else []
    j = next(i for i, c in enumerate(clauses) if fragment in c.text)
    return lineages.keys[index][j]


def test_keys_are_stable_when_versions_are_added_later() -> None:
    two = build_lineages("t", [v(1, V1), v(2, V2)])
    three = build_lineages("t", [v(1, V1), v(2, V2), v(3, V3)])
    assert three.keys[:2] == two.keys
    assert three.keys[0][1] == "id1.2"  # version id + position where the lineage first appears
    assert key_of(three, 1, "four times") == key_of(three, 0, "twice a year")
    assert key_of(three, 1, "annual report") == "id2.5"


def test_removed_clause_that_comes_back_is_the_same_lineage_reappeared() -> None:
    lin = build_lineages("t", [v(1, V1), v(2, V2), v(3, V3)])
    assert key_of(lin, 2, "arbitration") == key_of(lin, 0, "arbitration")
    key = key_of(lin, 0, "arbitration")
    assert (key, 2, "reappeared") in lin.events
    result = trace_lineages(lin, "settled by arbitration")
    assert [t["state"] for t in result["timeline"]] == ["present", "absent", "present"]
    assert [e["type"] for e in result["events"]] == ["appeared", "removed", "reappeared"]


def test_similar_text_also_reappears() -> None:
    back = V3.replace("settled by arbitration", "settled by binding arbitration")
    lin = build_lineages("t", [v(1, V1), v(2, V2), v(3, back)])
    clauses = segment(back)
    j = next(i for i, c in enumerate(clauses) if "binding" in c.text)
    assert lin.keys[2][j] == key_of(lin, 0, "arbitration")


def test_partial_version_is_bridged() -> None:
    """The next version is aligned against the last version that had each clause."""
    excerpt = "# Treaty\n\n2. The council meets twice a year in Geneva.\n"
    lin = build_lineages("t", [v(1, V1), v(2, excerpt, "excerpt"), v(3, V1)])
    assert lin.keys[2] == lin.keys[0]
    assert not [e for e in lin.events if e[2] == "reappeared"]
    result = trace_lineages(lin, "settled by arbitration")
    assert [t["state"] for t in result["timeline"]] == ["present", "unknown", "present"]


def test_split_clause_keeps_the_lineage() -> None:
    joined = (
        "# T\n\n1. The council meets twice a year in Geneva and it publishes an annual report "
        "on its work.\n"
    )
    split = (
        "# T\n\n1. The council meets twice a year in Geneva.\n"
        "2. It publishes an annual report on its work.\n"
    )
    lin = build_lineages("t", [v(1, joined), v(2, split)])
    result = trace_lineages(lin, "publishes an annual report")
    assert [t["state"] for t in result["timeline"]] == ["present", "present"]
    assert not [e for e in result["events"] if e["type"] == "removed"]


def test_inserting_a_version_out_of_order_realigns_only_its_neighbours(tmp_path: Path) -> None:
    middle = V2.replace("four times", "three times")
    with IndexCache(tmp_path) as cache:
        build_lineages("t", [v(1, V1), v(2, V2), v(3, V3)], cache)
        cache.flush()
        before = cache.parts.execute("SELECT count(*) FROM links").fetchone()[0]
        build_lineages("t", [v(1, V1), v(4, middle), v(2, V2), v(3, V3)], cache)
        cache.flush()
        after = cache.parts.execute("SELECT count(*) FROM links").fetchone()[0]
    assert before == 2
    assert after - before == 2  # V1 → middle and middle → V2; V2 → V3 came from the cache


def load_paris() -> list[VersionText]:
    files = ["outline.md", "earlier-draft.md", "summit-text.md"]
    return [v(i, (PARIS / f).read_text("utf-8"), "partial") for i, f in enumerate(files, 1)]


def test_index_is_rebuilt_when_head_moves_and_reused_by_fingerprint(tmp_path: Path) -> None:
    versions = load_paris()
    calls = []

    def load() -> list[VersionText]:
        calls.append(1)
        return versions

    with open_lineages(tmp_path, "p", "head1", load) as lin:
        first = trace_lineages(lin, "support the force")
    with open_lineages(tmp_path, "p", "head1", load) as lin:
        assert trace_lineages(lin, "support the force") == first
    assert len(calls) == 1  # the second read came from the index alone
    with open_lineages(tmp_path, "p", "head2", load) as lin:  # HEAD moved, same versions
        assert trace_lineages(lin, "support the force") == first
    versions = versions[:2]
    with open_lineages(tmp_path, "p", "head3", load) as lin:  # HEAD moved, versions changed
        assert len(lin.versions) == 2
    assert len(calls) == 3


def test_corrupt_index_is_rebuilt_silently(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database" * 100)
    with open_lineages(tmp_path, "p", "h", load_paris) as lin:
        assert trace_lineages(lin, "support the force")["first_seen"] == "v1"
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM builds").fetchone()[0] == 1


def test_index_can_be_deleted_any_time(demo_store: Path, cli_run: CliRun) -> None:
    args = ("--store", demo_store, "trace", "paris-declaration", "support the force", "--json")
    first = cli_run(*args)
    for f in (demo_store / "drafttrack-cache").iterdir():
        f.unlink()
    again = cli_run(*args)
    assert first.code == again.code == 0 and json.loads(first.out) == json.loads(again.out)


def test_reader_sees_one_build_while_another_writer_replaces_it(tmp_path: Path) -> None:
    versions = load_paris()
    with open_lineages(tmp_path, "p", "h1", lambda: versions):
        pass
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for n in range(5):
                some = versions[: 2 + n % 2]
                with open_lineages(tmp_path, "p", f"w{n}", lambda some=some: some):
                    pass
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    with IndexCache(tmp_path) as cache:
        build = cache.db.execute("SELECT id FROM builds").fetchone()[0]
        with cache.reading(build, "p") as stored:
            seen = trace_lineages(stored, "support the force")
            thread = threading.Thread(target=writer)
            thread.start()
            thread.join(timeout=60)
            assert not thread.is_alive()  # the writer was not blocked by the reader
            assert len(stored.versions) == 3
            assert trace_lineages(stored, "support the force") == seen
    assert not errors


@pytest.mark.parametrize("use_cache", [True, False])
def test_lineage_keys_follow_segment_order(tmp_path: Path, use_cache: bool) -> None:
    versions = [v(1, V1), v(2, V2), v(3, V3)]
    keys = lineage_keys(tmp_path if use_cache else None, "t", "h", lambda: versions)
    assert list(keys) == ["id1", "id2", "id3"]
    for version in versions:
        assert len(keys[version.id]) == len(segment(version.text))
    assert keys["id3"][5] == keys["id1"][4]  # the arbitration clause, back


def test_concurrent_traces_build_and_read_the_index_safely(
    demo_store: Path, tmp_path: Path
) -> None:
    """Several processes trace at once on a store without an index: all agree."""
    import subprocess
    import sys

    args = [sys.executable, "-m", "drafttrack", "--store", str(demo_store), "trace",
            "paris-declaration", "support the force", "--json"]  # fmt: skip
    files = [(tmp_path / f"trace-{i}.out", tmp_path / f"trace-{i}.err") for i in range(4)]
    procs = []
    for out_path, err_path in files:  # files, not pipes read one process after another
        with out_path.open("wb") as out, err_path.open("wb") as err:
            procs.append(subprocess.Popen(args, stdout=out, stderr=err))
    for p in procs:
        p.wait(timeout=240)
    outs = [(o.read_bytes(), e.read_text("utf-8", "replace")) for o, e in files]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [e for _, e in outs]
    results = [json.loads(out) for out, _ in outs]
    assert all(r == results[0] for r in results)
    assert results[0]["gone_in"] == "Summit text"


def _numbered(clauses: list[str]) -> str:
    return "# Rules\n\n" + "".join(f"- {c}\n\n" for c in clauses)


def test_reappearance_is_found_among_hundreds_of_removed_clauses() -> None:
    """Removed lineages are indexed: the one that comes back is found, exact or reworded,
    whatever the number removed meanwhile, and an unrelated new clause stays new."""
    pool = [f"Rule {n} on the {w} of member {n * 7} applies from day {n}." for n, w in
            ((n, ("quota", "budget", "audit", "seat")[n % 4]) for n in range(1, 301))]  # fmt: skip
    target = "Disputes between the parties are settled by binding arbitration in Geneva."
    versions = [v(0, _numbered([target, *pool]))]
    for n in range(1, 301):  # one clause removed per version: the target first
        versions.append(v(n, _numbered(pool[n - 1 :])))
    reworded = target.replace("binding arbitration", "binding international arbitration")
    back = _numbered([reworded, "A wholly new clause on fisheries quotas.", *pool[300:]])
    versions.append(v(301, back))
    lin = build_lineages("t", versions)
    key = lin.keys[0][1]  # the target: clause after the heading
    assert lin.keys[301][1] == key
    assert (key, 301, "reappeared") in lin.events
    assert lin.keys[301][2] == "id301.3"  # new, not a removed rule brought back
    result = trace_lineages(lin, "settled by binding")
    states = [t["state"] for t in result["timeline"]]
    assert states[0] == "present" and set(states[1:301]) == {"absent"} and states[301] == "present"


def test_of_two_removed_lineages_with_the_same_text_the_first_removed_comes_back() -> None:
    same = "Each party bears its own costs."
    v1 = _numbered(["Alpha clause on quotas.", same, "Beta clause on budgets.", same])
    v2 = _numbered(["Alpha clause on quotas.", "Beta clause on budgets.", same])  # first copy
    v3 = _numbered(["Alpha clause on quotas.", "Beta clause on budgets."])  # second copy
    v4 = _numbered(["Alpha clause on quotas.", same, "Beta clause on budgets."])
    lin = build_lineages("t", [v(1, v1), v(2, v2), v(3, v3), v(4, v4)])
    first_copy, second_copy = lin.keys[0][2], lin.keys[0][4]
    assert first_copy not in lin.keys[1] and second_copy in lin.keys[1]  # removed first
    assert second_copy not in lin.keys[2]  # removed second
    assert lin.keys[3][2] == first_copy
    assert (first_copy, 3, "reappeared") in lin.events


def test_index_damaged_while_read_gives_one_line_and_is_rebuilt(
    demo_store: Path, cli_run: CliRun
) -> None:
    """The index is not read whole on opening (a warm trace would pay for it): damage met by a
    query is reported in one line, the index is deleted, and the next command rebuilds it."""
    args = ("--store", demo_store, "trace", "paris-declaration", "support the force", "--json")
    first = cli_run(*args)
    assert first.code == 0
    index = demo_store / "drafttrack-cache" / FILE_NAME
    with sqlite3.connect(index) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name='b_clauses'").fetchone()
    with index.open("r+b") as fh:  # the table's root page becomes garbage
        fh.seek((root[0] - 1) * page)
        fh.write(b"\xff" * page)
    damaged = cli_run(*args)
    assert damaged.code == 2
    assert damaged.err.startswith("error: the derived index was damaged")
    assert damaged.err.count("\n") == 1
    again = cli_run(*args)
    assert again.code == 0 and json.loads(again.out) == json.loads(first.out)


def _edited_history(count: int) -> list[VersionText]:
    """``count`` versions of a numbered text, each an edit of the one before (rewordings,
    insertions, deletions, a clause deleted then restored, a partial version, and a text with
    front matter, which is segmented whole)."""
    clauses = [
        f"Clause {n} binds the parties to obligation number {n} of the accord." for n in range(40)
    ]
    out: list[VersionText] = []
    gone: list[str] = []
    for k in range(count):
        if k % 7 == 1:
            clauses[k % len(clauses)] = clauses[k % len(clauses)].replace("binds", "obliges")
        elif k % 7 == 3:
            gone.append(clauses.pop((k * 5) % len(clauses)))
        elif k % 7 == 5 and gone:
            clauses.insert((k * 3) % len(clauses), gone.pop(0))
        elif k % 7 == 6:
            clauses.insert(
                k % len(clauses), f"A new clause {k} on the council's budget for year {k}."
            )
        text = "# Accord\n\n" + "\n\n".join(clauses) + "\n"
        if k == count // 2:
            text = "---\ntitle: Accord\n---\n\n" + text
        completeness = "partial" if k == count // 3 else "full"
        if completeness == "partial":
            text = "# Accord\n\n" + "\n\n".join(clauses[:10]) + "\n"
        out.append(v(k, text, completeness))
    return out


def _as_data(lin) -> tuple:
    runs = [(r.lineage, r.key, r.clause, r.start, r.end) for r in lin.runs]
    clauses = [(c.text, c.number, c.path, c.kind, c.lines, c.numbering) for c in lin.clauses]
    return lin.keys, runs, lin.events, clauses, lin.forms


@pytest.mark.skipif(not forked.can_fork(), reason="needs os.fork and two CPUs")
def test_a_build_segmented_in_a_second_process_is_the_same() -> None:
    versions = _edited_history(90)
    together = build_lineages("t", versions, parallel=False)
    apart = build_lineages("t", versions, parallel=True)
    assert _as_data(apart) == _as_data(together)
    assert any(kind == "reappeared" for _l, _k, kind in together.events)


@pytest.mark.skipif(not forked.can_fork(), reason="needs os.fork and two CPUs")
def test_an_unreadable_text_in_a_parallel_build_gives_its_error() -> None:
    class Broken:
        meta = {"id": "idx", "label": "broken", "completeness": "full"}

        @property
        def text(self) -> str:
            raise DrafttrackError("the text of version broken cannot be read")

    versions = [*_edited_history(5), Broken()]
    with pytest.raises(DrafttrackError, match="version broken cannot be read"):
        build_lineages("t", versions, parallel=True)
