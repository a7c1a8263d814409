"""``drafttrack import``: a folder of versions in one process, one commit each, all or nothing."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from repo_store import Original, Provenance, Store, bulk, deltas, order
from repo_store import pack as gitpack
from repo_store.model import BuiltVersion, VersionInput, prepare_version
from tests.conftest import DEMO, CliRun, run_with_file_size_limit, snapshot

PARIS = DEMO / "paris-declaration"


def git(store: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(store), *args], capture_output=True, text=True, check=True
    ).stdout


def demo_manifest_entries() -> list[dict]:
    """The demo's Paris entries, in the order they were added (the earlier draft last)."""
    manifest = json.loads((DEMO / "manifest.json").read_text("utf-8"))
    doc = next(d for d in manifest["documents"] if d["slug"] == "paris-declaration")
    entries = []
    for entry in doc["versions_in_order_added"]:
        entry = dict(entry)
        entry["file"] = Path(entry["file"]).name
        entries.append(entry)
    return entries


@pytest.fixture
def paris_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "paris"
    shutil.copytree(PARIS, folder)
    return folder


def test_files_in_name_order_one_commit_each(
    store_path: Path, cli_run: CliRun, paris_folder: Path
) -> None:
    before = int(git(store_path, "rev-list", "--count", "refs/heads/main"))
    result = cli_run("--store", store_path, "import", "paris", paris_folder, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    names = sorted(p.name for p in paris_folder.iterdir() if p.is_file())  # not reports/
    assert [v["label"] for v in data["versions"]] == ["v1", "v2", "v3", "v4"]
    after = int(git(store_path, "rev-list", "--count", "refs/heads/main"))
    assert after - before == len(names)
    log = json.loads(cli_run("--store", store_path, "log", "paris", "--json").out)
    assert [v["original"]["name"] for v in log["versions"]] == names
    for v, name in zip(log["versions"], names, strict=True):
        shown = cli_run("--store", store_path, "show", "paris", v["id"]).out
        assert shown == (paris_folder / name).read_text("utf-8")
    assert git(store_path, "fsck", "--strict") == ""
    assert git(store_path, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_commit_messages_match_add(store_path: Path, cli_run: CliRun, paris_folder: Path) -> None:
    """An imported version's commit names document, version and source exactly as ``add``."""
    (paris_folder / "manifest.json").write_text(
        json.dumps([{"file": "outline.md", "label": "Outline", "source": {"outlet": "AP"}}])
    )
    assert cli_run("--store", store_path, "import", "paris", paris_folder).code == 0
    imported = git(store_path, "log", "-1", "--format=%B")
    vid = json.loads(cli_run("--store", store_path, "log", "paris", "--json").out)["versions"][0]
    add = cli_run(
        "--store", store_path, "add", "paris", PARIS / "outline.md", "--label", "Again",
        "--source", "AP",
    )  # fmt: skip
    assert add.code == 0, add.err
    added = git(store_path, "log", "-1", "--format=%B")
    expected_import = (
        f"paris: add version 'Outline' (AP)\n\nDrafttrack-Action: add\n"
        f"Drafttrack-Document: paris\nDrafttrack-Version: {vid['id']}\n"
        f"Drafttrack-Label: Outline\nDrafttrack-Source: AP\n"
    )
    assert imported.strip() == expected_import.strip()
    assert added.startswith("paris: add version 'Again' (AP)\n\nDrafttrack-Action: add\n")
    assert f"Drafttrack-Identical-To: {vid['id']}" in added


def test_manifest_gives_labels_provenance_and_draft_order(
    store_path: Path, cli_run: CliRun, paris_folder: Path
) -> None:
    (paris_folder / "manifest.json").write_text(
        json.dumps({"title": "Paris", "language": "en", "versions": demo_manifest_entries()})
    )
    result = cli_run("--store", store_path, "import", "paris", paris_folder)
    assert result.code == 0, result.err
    log = json.loads(cli_run("--store", store_path, "log", "paris", "--json").out)
    assert log["title"] == "Paris"
    assert [v["label"] for v in log["versions"]] == [
        "Outline", "Earlier draft", "Summit text", "Summit text (uk)",
    ]  # fmt: skip
    assert log["versions"][3]["language"] == "uk"  # a translation's own language
    assert "language" not in log["versions"][2]
    earlier = log["versions"][1]
    assert earlier["source"] == {
        "outlet": "Politico", "via": ["RBK-Ukraine", "Ukraine-Nachrichten"], "url": None,
    }  # fmt: skip
    assert earlier["reported_on"] == "2026-01-07"
    assert earlier["completeness"] == "partial"
    # commits follow the manifest (the earlier draft was recorded after the summit text, the
    # Ukrainian rendering last)
    subjects = git(store_path, "log", "-4", "--format=%s").splitlines()
    assert subjects[0].startswith("paris: add version 'Summit text (uk)'")
    assert subjects[1].startswith("paris: add version 'Earlier draft' (Politico via RBK-Ukraine")


def test_import_appends_after_existing_versions(
    store_path: Path, cli_run: CliRun, paris_folder: Path
) -> None:
    assert cli_run("--store", store_path, "add", "paris", PARIS / "outline.md").code == 0
    (paris_folder / "outline.md").unlink()
    assert cli_run("--store", store_path, "import", "paris", paris_folder).code == 0
    log = json.loads(cli_run("--store", store_path, "log", "paris", "--json").out)
    assert [v["label"] for v in log["versions"]] == ["v1", "v2", "v3", "v4"]
    assert [v["original"]["name"] for v in log["versions"]][1:] == [
        "earlier-draft.md", "summit-text-uk.md", "summit-text.md",
    ]  # fmt: skip


BAD_MANIFESTS = [
    ([{"file": "outline.md", "colour": "red"}], "unknown field"),
    ([{"file": "outline.md", "language": "Ukrainian; rm -rf"}], "must be a language code"),
    ([{"file": "outline.md", "reported_on": "7 January"}], "not a date"),
    ([{"file": "outline.md", "completeness": "most"}], "completeness"),
    (
        [{"file": "outline.md", "label": "A"}, {"file": "summit-text.md", "label": "a"}],
        "same label",
    ),
    ([{"file": "../outline.md"}], "inside the folder"),
    ([{"file": "missing.md"}], "no such file"),
    ([{"file": "outline.md", "position": 1}, {"file": "summit-text.md"}], "position"),
    ([{"file": "outline.md", "source": {"outlet": "AP", "via": "Reuters"}}], "via"),
    ([{"file": "outline.md", "source": {"url": "ftp://example.org/x"}}], "URL"),
    ({"versions": []}, "non-empty list"),
]


@pytest.mark.parametrize(("manifest", "message"), BAD_MANIFESTS)
def test_bad_manifest_leaves_store_untouched(
    store_path: Path, cli_run: CliRun, paris_folder: Path, manifest: object, message: str
) -> None:
    assert cli_run("--store", store_path, "add", "paris", PARIS / "outline.md").code == 0
    (paris_folder / "manifest.json").write_text(json.dumps(manifest))
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "import", "paris", paris_folder)
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert message.lower() in result.err.lower()
    assert snapshot(store_path) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [("zz-binary.md", b"\x00\x01\x02binary"), ("zz-latin1.md", "Entwurf für".encode("latin-1"))],
)
def test_one_bad_file_imports_nothing(
    store_path: Path, cli_run: CliRun, paris_folder: Path, name: str, data: bytes
) -> None:
    (paris_folder / name).write_bytes(data)
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "import", "paris", paris_folder)
    assert result.code == 2
    assert name in result.err and result.err.count("\n") == 1
    assert snapshot(store_path) == before
    assert cli_run("--store", store_path, "docs", "--json").out.count('"slug"') == 0


def test_duplicate_of_existing_label_imports_nothing(
    store_path: Path, cli_run: CliRun, paris_folder: Path
) -> None:
    add = cli_run("--store", store_path, "add", "paris", PARIS / "outline.md", "--label", "Outline")
    assert add.code == 0
    (paris_folder / "manifest.json").write_text(
        json.dumps(
            [{"file": "summit-text.md", "label": "S"}, {"file": "outline.md", "label": "Outline"}]
        )
    )
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "import", "paris", paris_folder)
    assert result.code == 2 and "Outline" in result.err
    assert snapshot(store_path) == before


def test_not_a_folder(store_path: Path, cli_run: CliRun, tmp_path: Path) -> None:
    result = cli_run("--store", store_path, "import", "paris", tmp_path / "nowhere")
    assert result.code == 2 and result.err.startswith("error: ")


def test_german_and_ukrainian_files(store_path: Path, cli_run: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "1.md").write_text("# Erklärung\n\n1. Die Gruppe „koordiniert“ die Hilfe.\n", "utf-8")
    (folder / "2.md").write_text("# Заява\n\n1. Група «координує» допомогу.\n", "utf-8")
    assert cli_run("--store", store_path, "import", "mixed", folder).code == 0
    log = json.loads(cli_run("--store", store_path, "log", "mixed", "--json").out)
    second = cli_run("--store", store_path, "show", "mixed", log["versions"][1]["id"]).out
    assert "«координує»" in second


def test_labels_same_texts_and_order_keys_as_when_scanning_every_version(
    store_path: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    """Import checks each version against indexes of the earlier ones (not a scan of them all):
    default labels skip taken ones, a repeated text names the first version with it (an
    existing one too), and the order keys are the ones ``add`` would give, one after another."""
    outline = (PARIS / "outline.md").read_text("utf-8")
    add = cli_run("--store", store_path, "add", "paris", PARIS / "outline.md", "--label", "V3")
    assert add.code == 0, add.err
    folder = tmp_path / "texts"
    folder.mkdir()
    for name, text in [
        ("1.md", outline), ("2.md", "1. First.\n"), ("3.md", "1. Second.\n"),
        ("4.md", "1. First.\n"), ("5.md", outline),
    ]:  # fmt: skip
        (folder / name).write_text(text, "utf-8")
    assert cli_run("--store", store_path, "import", "paris", folder).code == 0
    versions = json.loads(cli_run("--store", store_path, "log", "paris", "--json").out)["versions"]
    ids = [v["id"] for v in versions]
    assert [v["label"] for v in versions] == ["V3", "v2", "v4", "v5", "v6", "v7"]
    assert [v["identical_to"] for v in versions] == [None, ids[0], None, None, ids[2], ids[0]]
    keys = [versions[0]["order"]]
    for _ in versions[1:]:
        keys.append(order.between(keys[-1], None))
    assert [v["order"] for v in versions] == keys
    message = git(store_path, "log", "-1", "--format=%B")
    assert f"Drafttrack-Identical-To: {ids[0]}" in message


def test_order_keys_of_a_long_import_are_between_s() -> None:
    """The string-operation successor equals ``order.between(key, None)`` (keys grow long)."""
    key = None
    for _ in range(3_000):
        expected = order.between(key, None)
        assert bulk._key_after(key) == expected
        key = expected
    assert len(key) == 500
    for odd in ["", "0", "z", "zz0", "y", "zzzy5", "a0", "zzq"]:
        assert bulk._key_after(odd) == order.between(odd, None)
    assert bulk._order_keys([], 4) == ["i", "r", "v", "x"]


# -- the pack written for an import ------------------------------------------------------------


def _fast_import_commits(store: Store, head: str, built: list[BuiltVersion]) -> str:
    """How import wrote its commits before: ``git fast-import``, then the branch (the reference)."""
    parts = [b"feature done\n"]
    for i, version in enumerate(built):
        parts.append(b"commit refs/drafttrack/reference\n")
        for kind in ("author", "committer"):
            parts.append(bulk._ident(kind).encode())
        message = version.message.encode()
        parts.append(b"data %d\n%s\n" % (len(message), message))
        if i == 0:
            parts.append(b"from %s\n" % head.encode())
        for path, data in sorted(version.files.items()):
            parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
        parts.append(b"\n")
    parts.append(b"done\n")
    store.io.run("fast-import", "--quiet", "--done", stdin=b"".join(parts))
    new = store.io.run("rev-parse", "refs/drafttrack/reference").strip()
    store.io.run("update-ref", "-d", "refs/drafttrack/reference")
    store.io.run("update-ref", "refs/heads/main", new, head)
    return new


def _items(n: int) -> list[VersionInput]:
    """Versions whose texts repeat and whose originals differ from the text or share it."""
    items = []
    for i in range(n):
        text = f"# Draft\n\n1. Clause {i % 7} of the draft.\n\n2. Another clause {i // 3}.\n"
        if i % 4 == 1:
            original, ext = text.replace("\n", "\r\n").encode(), "txt"
        else:
            original, ext = text.encode(), "md"
        label = f"L{i}" if i % 5 == 0 else None
        items.append(
            prepare_version(
                text, Provenance(label=label, outlet="AP"), original=Original(original, None, ext)
            )
        )
    return items


def test_commits_are_the_ones_git_fast_import_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pack holds the very commits (same ids) fast-import made from the same versions, in
    stores with neighbouring document names ('paris' sorts after 'paris.v2' in a tree) and
    with more versions than the longest delta chain."""
    monkeypatch.setenv("DRAFTTRACK_NOW", "2026-01-02T03:04:05Z")
    heads = []
    for writer in (bulk._write_commits, _fast_import_commits):
        ids = (hashlib.sha1(str(i).encode()).hexdigest()[:10] for i in itertools.count())
        monkeypatch.setattr("repo_store.model.secrets.token_hex", lambda _n, ids=ids: next(ids))
        monkeypatch.setattr(bulk, "_write_commits", writer)
        path = tmp_path / writer.__name__
        store = Store.init(path)
        with store:
            for slug in ("paris.v2", "paris", "drafttrack"):
                store.add_version(slug, f"1. {slug}.\n", Provenance(label="Opening"))
            results = [
                bulk.import_versions(store, "paris", _items(70)),
                bulk.import_versions(store, "new", _items(3), positions=[3, 1, 2]),
            ]
            heads.append(store.head())
            for slug, result in zip(("paris", "new"), results, strict=True):
                ids = {v.id for v in result.versions}
                assert len(ids) == len(result.versions) == (70 if slug == "paris" else 3)
                store.forget_listings()  # the versions as read back from the store
                assert result.versions == [v for v in store.versions(slug) if v.id in ids]
        assert git(path, "fsck", "--strict", "--no-dangling") == ""
    assert heads[0] == heads[1]


def test_pack_deltas_with_long_copies_are_read_back_by_git(tmp_path: Path) -> None:
    """A delta's copies above 64 KiB and an insertion longer than one instruction."""
    repo = tmp_path / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    pack = gitpack.Pack("sha1")
    base = bytes(range(256)) * 800
    new = base[:70_000] + b"inserted " * 40 + base[69_000:]
    base_id = pack.add(gitpack.OBJ_BLOB, base)
    delta = deltas.head_tail_delta(len(base), new, 70_000, len(base) - 69_000)
    new_id = pack.add(gitpack.OBJ_BLOB, new, (pack.offsets[base_id], delta))
    same = pack.add(gitpack.OBJ_BLOB, new)  # stored once
    assert same == new_id and pack.count == 2
    subprocess.run(
        ["git", "--git-dir", str(repo), "index-pack", "--stdin"], input=pack.finish(), check=True,
        capture_output=True,
    )  # fmt: skip
    for oid, data in ((base_id, base), (new_id, new)):
        shown = subprocess.run(
            ["git", "--git-dir", str(repo), "cat-file", "blob", oid.hex()],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        assert shown == data


def test_the_pack_index_is_the_one_git_index_pack_writes(tmp_path: Path) -> None:
    """The import writes its pack's index itself: byte for byte what ``git index-pack`` makes
    of the same pack (blobs, commits, trees and chains of tree deltas), and git reads the
    objects through it. Offsets beyond 2 GiB go to the table of 8-byte offsets."""
    pack = gitpack.Pack("sha1")
    root = gitpack.Tree(b"", 20)
    oids = []
    for n in range(120):  # more versions than the longest delta chain
        blob = pack.add(gitpack.OBJ_BLOB, f"1. Version {n}.\n".encode())
        root.subtree(b"doc", lambda _oid: b"").set(f"{n:04d}.md".encode(), gitpack.BLOB_MODE, blob)
        tree = root.store(pack)
        oids += [
            blob,
            tree,
            pack.add(gitpack.OBJ_COMMIT, b"tree %s\n\nv%d\n" % (tree.hex().encode(), n)),
        ]
    folder = tmp_path / "pack"
    folder.mkdir()
    name = pack.write(folder)
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.idx", f"{name}.pack"]
    ours = (folder / f"{name}.idx").read_bytes()
    copy = tmp_path / "copy.pack"
    copy.write_bytes((folder / f"{name}.pack").read_bytes())
    subprocess.run(["git", "index-pack", str(copy)], check=True, capture_output=True)
    assert ours == (tmp_path / "copy.idx").read_bytes()
    repo = tmp_path / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    pack.write(repo / "objects" / "pack")
    listed = subprocess.run(
        ["git", "--git-dir", str(repo), "cat-file", "--batch-check", "--batch-all-objects"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert {line.split()[0] for line in listed.splitlines()} == {o.hex() for o in pack.offsets}
    assert set(oids) <= set(pack.offsets)
    verify = subprocess.run(
        ["git", "verify-pack", str(repo / "objects" / "pack" / f"{name}.idx")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr

    far = min(pack.offsets)
    pack.offsets[far] = 5 << 30  # as if the object lay 5 GiB into the pack
    index = pack.index(b"\0" * 20)
    n = len(pack.offsets)
    at = 8 + 256 * 4 + n * 20 + n * 4  # the 4-byte offsets, in id order
    assert struct.unpack(">I", index[at : at + 4]) == (0x80000000,)  # entry 0 of the table
    assert struct.unpack(">Q", index[at + n * 4 : at + n * 4 + 8]) == (5 << 30,)


def test_text_deltas_give_back_every_version_of_the_real_corpora(tmp_path: Path) -> None:
    """Each version of every real corpus history stored as a delta of the version before it
    (shared start and end, then lines found again): git reads back every text byte for byte,
    and the deltas are small where a version changed little."""
    from tests.conftest import SHARED

    repo = tmp_path / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    pack = gitpack.Pack("sha1")
    wanted: list[tuple[bytes, bytes]] = []
    deltified = total = 0
    for folder in sorted({p.parent for p in (SHARED / "corpora").rglob("*.md")}):
        files = sorted(f for f in folder.iterdir() if f.suffix in (".md", ".txt"))
        before: tuple[bytes, bytes] | None = None
        for file in files:
            data = file.read_bytes()
            oid = pack.object_id(gitpack.OBJ_BLOB, data)
            if oid in pack.offsets:
                continue
            delta = deltas.text_delta(before[1], data) if before else None
            if delta is not None:
                assert len(delta) < len(data) // 2
                deltified += 1
            base = (pack.offsets[before[0]], delta) if before and delta else None
            pack.add(gitpack.OBJ_BLOB, data, base, oid=oid)
            wanted.append((oid, data))
            before = (oid, data)
            total += 1
    assert total > 50 and deltified > total // 3
    pack.write(repo / "objects" / "pack")
    out = subprocess.run(
        ["git", "--git-dir", str(repo), "cat-file", "--batch"],
        input=b"".join(oid.hex().encode() + b"\n" for oid, _ in wanted),
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    pos = 0
    for oid, data in wanted:
        header_end = out.index(b"\n", pos)
        assert out[pos:header_end].split()[0] == oid.hex().encode()
        size = int(out[pos:header_end].split()[2])
        assert out[header_end + 1 : header_end + 1 + size] == data
        pos = header_end + 1 + size + 1
    assert deltas.text_delta(b"short", b"other") is None
    assert deltas.common_ends(b"abcXdef", b"abcYYdef") == (3, 3)
    assert deltas.common_ends(b"aaaa", b"aa") == (2, 0)


def test_disk_full_during_an_import_is_one_clear_error(store_path: Path, tmp_path: Path) -> None:
    """The pack cannot be written (file size limit): one error, the branch where it was."""
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(3):
        words = " ".join(hashlib.sha256(b"%d-%d" % (n, i)).hexdigest()[:9] for i in range(4000))
        (folder / f"{n}.md").write_text(f"# Big {n}\n\n{words}\n", "utf-8")
    head = git(store_path, "rev-parse", "main")
    proc = run_with_file_size_limit(48 * 1024, "--store", store_path, "import", "big", folder)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "disk full or file size limit" in proc.stderr
    assert git(store_path, "rev-parse", "main") == head
    assert git(store_path, "fsck", "--strict", "--no-dangling") == ""
