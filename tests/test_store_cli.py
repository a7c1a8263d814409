"""The store and its commands: init, add, source add, docs, log, show (issue 2)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO, CliRun, run_process, snapshot


def git(store: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(store), *args], capture_output=True, check=True, text=True
    ).stdout


def test_demo_manifest_gives_draft_order(demo_store: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", demo_store, "log", "paris-declaration", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["document"] == "paris-declaration"
    assert data["title"] == "Declaration on Security Guarantees for Ukraine"
    assert [v["label"] for v in data["versions"]] == [
        "Outline", "Earlier draft", "Summit text", "Summit text (uk)",
    ]  # fmt: skip
    assert [v["position"] for v in data["versions"]] == [1, 2, 3, 4]
    earlier = data["versions"][1]
    assert earlier["source"] == {
        "outlet": "Politico",
        "via": ["RBK-Ukraine", "Ukraine-Nachrichten"],
        "url": None,
    }
    assert earlier["reported_on"] == "2026-01-07"
    assert earlier["completeness"] == "partial"
    # The earlier draft was added last, after the summit text.
    assert earlier["added_at"] >= data["versions"][2]["added_at"]


def test_store_is_plain_git(demo_store: Path, cli_run: CliRun) -> None:
    fsck = subprocess.run(
        ["git", "--git-dir", str(demo_store), "fsck", "--strict"], capture_output=True, text=True
    )
    assert fsck.returncode == 0, fsck.stderr
    subjects = git(demo_store, "log", "--format=%s").splitlines()
    assert len(subjects) == 1 + 6  # the store's creation, then one commit per version
    assert (
        "paris-declaration: add version 'Earlier draft' "
        "(Politico via RBK-Ukraine, Ukraine-Nachrichten)"
    ) in subjects
    trailers = git(demo_store, "log", "--format=%(trailers)")
    assert "Drafttrack-Label: Earlier draft" in trailers
    log = json.loads(cli_run("--store", demo_store, "log", "paris-declaration", "--json").out)
    for version in log["versions"]:
        text = git(demo_store, "show", f"HEAD:paris-declaration/versions/{version['id']}.md")
        prov = json.loads(
            git(demo_store, "show", f"HEAD:paris-declaration/versions/{version['id']}.json")
        )
        assert text.startswith(
            ("# Declaration on Security Guarantees for Ukraine", "# Декларація про гарантії")
        )
        assert prov["label"] == version["label"]
        original = subprocess.run(
            ["git", "--git-dir", str(demo_store), "show", f"HEAD:{prov['original']['path']}"],
            capture_output=True,
            check=True,
        ).stdout
        assert hashlib.sha256(original).hexdigest() == prov["original"]["sha256"]
    # A clone with a work tree shows the same files to someone without drafttrack.
    clone = demo_store.parent / "clone"
    subprocess.run(["git", "clone", "-q", str(demo_store), str(clone)], check=True)
    assert (clone / "paris-declaration" / "document.json").exists()
    assert len(list((clone / "paris-declaration" / "versions").glob("*.md"))) == 4


def test_show_by_every_kind_of_ref(demo_store: Path, cli_run: CliRun) -> None:
    summit = (DEMO / "paris-declaration" / "summit-text.md").read_text("utf-8")
    log = json.loads(cli_run("--store", demo_store, "log", "paris-declaration", "--json").out)
    summit_id = log["versions"][2]["id"]
    for ref in ("Summit text", "summit TEXT", "3", summit_id, summit_id[:6]):
        result = cli_run("--store", demo_store, "show", "paris-declaration", ref)
        assert result.code == 0, (ref, result.err)
        assert result.out == summit
    latest = cli_run("--store", demo_store, "show", "paris-declaration", "latest").out
    assert latest.startswith("# Декларація про гарантії безпеки для України")
    first = cli_run("--store", demo_store, "show", "paris-declaration", "first").out
    assert "shall support the force in case of attack" in first


def test_an_id_prefix_of_digits_is_an_id_not_a_position(
    tmp_path: Path, store_path: Path, cli_run: CliRun
) -> None:
    """Ids are hex: "4029" may begin one. Beyond the number of versions it is no position, so
    it is read as an id prefix (it used to be refused as "no position 4029")."""
    folder = tmp_path / "history"
    folder.mkdir()
    for n in range(1, 61):
        (folder / f"{n:03d}.md").write_text(f"Version {n} of the text.\n", "utf-8")
    assert cli_run("--store", store_path, "import", "doc", folder).code == 0
    ids = [
        v["id"]
        for v in json.loads(cli_run("--store", store_path, "log", "doc", "--json").out)["versions"]
    ]
    digit_ids = [i for i in ids if i[:4].isdigit() and int(i[:4]) > len(ids)]
    unique = [i for i in digit_ids if sum(j.startswith(i[:4]) for j in ids) == 1]
    assert unique, "no id starts with four digits (chance about 1 in 15,000)"
    n = ids.index(unique[0]) + 1
    result = cli_run("--store", store_path, "show", "doc", unique[0][:4])
    assert (result.code, result.out) == (0, f"Version {n} of the text.\n")
    missing = cli_run("--store", store_path, "show", "doc", "99")
    assert missing.code == 2 and "there is no position 99" in missing.err


def test_docs_json(demo_store: Path, cli_run: CliRun) -> None:
    data = json.loads(cli_run("--store", demo_store, "docs", "--json").out)
    by_slug = {d["slug"]: d for d in data["documents"]}
    assert by_slug["paris-declaration"]["versions"] == 4
    assert by_slug["paris-declaration"]["latest"]["label"] == "Summit text (uk)"
    assert by_slug["koordinierungsgruppe"]["latest"]["source"]["outlet"] == "RBK-Ukraine"
    text = cli_run("--store", demo_store, "docs").out
    assert "paris-declaration\t4 versions" in text


def test_add_after_and_before_place_versions(store_path: Path, cli_run: CliRun) -> None:
    def add(label: str, *extra: str) -> None:
        r = cli_run(
            "--store",
            store_path,
            "add",
            "doc",
            "-",
            "--label",
            label,
            *extra,
            input=f"Text of {label}.\n",
        )
        assert r.code == 0, r.err

    add("C")
    add("A", "--before", "C")
    add("B", "--after", "A")
    add("D")
    add("A2", "--after", "A")
    log = json.loads(cli_run("--store", store_path, "log", "doc", "--json").out)
    assert [v["label"] for v in log["versions"]] == ["A", "A2", "B", "C", "D"]


def test_identical_text_is_recorded_and_reported(store_path: Path, cli_run: CliRun) -> None:
    first = cli_run(
        "--store", store_path, "add", "doc", "-", "--label", "One", input="Same text.\n"
    )
    again = cli_run(
        "--store",
        store_path,
        "add",
        "doc",
        "-",
        "--label",
        "Two",
        "--json",
        input="Same text.\r\n\r\n",
    )
    assert again.code == 0, again.err
    data = json.loads(again.out)
    assert data["identical_to"]["id"] == first.out.strip()
    assert data["version"]["identical_to"] == first.out.strip()
    plain = cli_run(
        "--store", store_path, "add", "doc", "-", "--label", "Three", input="Same text."
    )
    assert "identical to version 'One'" in plain.err


def test_source_add_records_another_report(demo_store: Path, cli_run: CliRun) -> None:
    before = len(git(demo_store, "log", "--format=%H").splitlines())
    result = cli_run(
        "--store",
        demo_store,
        "source",
        "add",
        "paris-declaration",
        "Earlier draft",
        "--outlet",
        "Kyiv Independent",
        "--via",
        "Ukrainska Pravda",
        "--url",
        "https://example.org/report",
        "--reported-on",
        "2026-01-08",
    )
    assert result.code == 0, result.err
    assert len(git(demo_store, "log", "--format=%H").splitlines()) == before + 1
    log = json.loads(cli_run("--store", demo_store, "log", "paris-declaration", "--json").out)
    earlier = log["versions"][1]
    assert earlier["also_reported_by"] == [
        {
            "outlet": "Kyiv Independent",
            "via": ["Ukrainska Pravda"],
            "url": "https://example.org/report",
            "reported_on": "2026-01-08",
        }
    ]
    assert (
        "also reported by Kyiv Independent"
        in cli_run("--store", demo_store, "log", "paris-declaration").out
    )


def test_unicode_text_and_labels(store_path: Path, cli_run: CliRun) -> None:
    text = "# Стаття 3\n\n„Die Truppe“ «soutien» “support”\n"
    r = cli_run(
        "--store",
        store_path,
        "add",
        "ukr",
        "-",
        "--label",
        "Проєкт „1“",
        "--source",
        "RBK-Україна",
        input=text.encode("utf-8"),
    )
    assert r.code == 0, r.err
    assert cli_run("--store", store_path, "show", "ukr", "Проєкт „1“").out == text
    nfd = "Entwu\u0308rfe\n"  # decomposed umlaut is stored as NFC
    cli_run("--store", store_path, "add", "ukr", "-", "--label", "NFD", input=nfd.encode("utf-8"))
    assert cli_run("--store", store_path, "show", "ukr", "NFD").out == "Entwürfe\n"


BAD_INPUTS = [
    ("missing file", ["add", "doc", "{tmp}/nope.md"], "no such file"),
    ("undecodable", ["add", "doc", "{tmp}/latin1.md"], "not valid UTF-8"),
    ("binary", ["add", "doc", "{tmp}/binary.bin"], "binary file"),
    ("empty file", ["add", "doc", "{tmp}/empty.md"], "empty"),
    ("empty slug", ["add", "", "{tmp}/ok.md"], "document name is empty"),
    ("traversal slug", ["add", "../x", "{tmp}/ok.md"], "invalid document name"),
    ("absolute slug", ["add", "/etc", "{tmp}/ok.md"], "invalid document name"),
    ("git-special slug", ["add", "main.lock", "{tmp}/ok.md"], "reserved"),
    ("windows-reserved slug", ["add", "con", "{tmp}/ok.md"], "reserved"),
    ("upper-case slug", ["add", "HEAD", "{tmp}/ok.md"], "invalid document name"),
    (
        "duplicate label",
        ["add", "doc", "{tmp}/ok.md", "--label", "Initial"],
        "already has a version",
    ),
    ("numeric label", ["add", "doc", "{tmp}/ok.md", "--label", "12"], "is a number"),
    ("reserved label", ["add", "doc", "{tmp}/ok.md", "--label", "latest"], "reserved word"),
    ("control label", ["add", "doc", "{tmp}/ok.md", "--label", "a\nb"], "control characters"),
    ("unknown before", ["add", "doc", "{tmp}/ok.md", "--before", "Nope"], "no version 'Nope'"),
    (
        "before and after",
        ["add", "doc", "{tmp}/ok.md", "--before", "1", "--after", "1"],
        "not both",
    ),
    ("malformed date", ["add", "doc", "{tmp}/ok.md", "--reported-on", "07/01/2026"], "not a date"),
    ("impossible date", ["add", "doc", "{tmp}/ok.md", "--drafted-on", "2026-02-30"], "calendar"),
    ("bad completeness", ["add", "doc", "{tmp}/ok.md", "--completeness", "most"], "completeness"),
    (
        "javascript url",
        ["add", "doc", "{tmp}/ok.md", "--url", "javascript:alert(1)"],
        "not an http",
    ),
    ("unknown ref", ["show", "doc", "Nope"], "no version 'Nope'"),
    ("unknown position", ["show", "doc", "7"], "no position 7"),
    ("unknown document", ["log", "other"], "no document 'other'"),
    ("source unknown ref", ["source", "add", "doc", "Nope", "--outlet", "X"], "no version"),
    ("source empty outlet", ["source", "add", "doc", "Initial", "--outlet", " "], "outlet"),
    ("init existing", ["init"], "already exists"),
]


@pytest.mark.parametrize(("case", "args", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_leaves_store_untouched(
    tmp_path: Path, store_path: Path, cli_run: CliRun, case: str, args: list[str], message: str
) -> None:
    (tmp_path / "ok.md").write_text("1. A clause.\n", "utf-8")
    (tmp_path / "latin1.md").write_bytes("Entwurf für Änderungen\n".encode("latin-1"))
    (tmp_path / "binary.bin").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    )
    (tmp_path / "empty.md").write_bytes(b"  \n\n")
    assert (
        cli_run("--store", store_path, "add", "doc", tmp_path / "ok.md", "--label", "Initial").code
        == 0
    )
    before = snapshot(store_path)
    result = cli_run("--store", store_path, *[a.format(tmp=tmp_path) for a in args])
    assert result.code == 2, (case, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert message in lines[0], lines[0]
    assert snapshot(store_path) == before


def test_stdin_binary_and_missing_store(tmp_path: Path, cli_run: CliRun) -> None:
    result = cli_run("--store", tmp_path / "nowhere", "add", "doc", "-", input=b"text\n")
    assert result.code == 2 and "no store here" in result.err
    assert not (tmp_path / "nowhere").exists()


def test_concurrent_adds_all_land(store_path: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "drafttrack",
                "--store",
                str(store_path),
                "add",
                "doc",
                "-",
                "--label",
                f"Writer {i}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    outputs = [
        p.communicate(f"Clause written by writer {i}.\n".encode(), timeout=120)
        for i, p in enumerate(procs)
    ]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    ids = {o[0].decode().strip() for o in outputs}
    assert len(ids) == 8
    result = run_process("--store", store_path, "log", "doc", "--json")
    labels = sorted(v["label"] for v in json.loads(result.stdout)["versions"])
    assert labels == sorted(f"Writer {i}" for i in range(8))
    fsck = subprocess.run(
        ["git", "--git-dir", str(store_path), "fsck", "--strict"], capture_output=True, text=True
    )
    assert fsck.returncode == 0, fsck.stderr
    assert len(git(store_path, "log", "--format=%H").splitlines()) == 9


def test_console_script_error_is_one_line(tmp_path: Path) -> None:
    result = run_process("--store", tmp_path / "s", "log", "x")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1
    assert result.stderr.decode().startswith("error: ")


def test_document_state_changes_only_with_its_document(demo_store: Path, cli_run: CliRun) -> None:
    from repo_store import Store

    with Store.open(demo_store) as store:
        paris, koord = (
            store.document_state(d) for d in ("paris-declaration", "koordinierungsgruppe")
        )
        assert paris and koord and paris != koord
        assert store.document_state("nothing-here") is None
        assert store.document_state("../x") is None
    assert (
        cli_run("--store", demo_store, "add", "koordinierungsgruppe", "-", input="Neu.\n").code == 0
    )
    with Store.open(demo_store) as store:
        assert store.document_state("paris-declaration") == paris
        assert store.document_state("koordinierungsgruppe") != koord
