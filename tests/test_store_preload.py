"""``Store.preload``: many documents read through two git processes answer exactly as reading
each one does, and a document that cannot be read is still reported when it is used."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from repo_store import Provenance, Store, StoreError, UnknownDocument


def _store(path: Path) -> Store:
    store = Store.init(path)
    for slug, texts in {
        "gesetz": ["# Gesetz\n\n§ 1 Die Würde.\n", "# Gesetz\n\n§ 1 Die Würde des Menschen.\n"],
        "umovy": ["# Умови\n\n1. Перший пункт «лапки».\n"],
        "note": ["# Note\n\nLa « première » version.\n", "v2\n", "v3\n"],
    }.items():
        for n, text in enumerate(texts, 1):
            store.add_version(slug, text, Provenance(label=f"v{n}", outlet="Le Monde"))
    return store


def _read(store: Store, slug: str) -> tuple:
    versions = store.version_texts(slug)
    texts = [
        store.preloaded_text(blob) or store.io.read_objects([blob])[0] for _v, blob in versions
    ]
    return store.document(slug), versions, texts


def test_preloaded_reads_are_the_reads(tmp_path: Path) -> None:
    with _store(tmp_path / "s") as store:
        slugs = ["gesetz", "note", "umovy"]
        plain = {slug: _read(store, slug) for slug in slugs}
    with Store.open(tmp_path / "s") as store:
        store.preload([*slugs, "missing", "Bad Name"])
        assert store.preloaded_text("0" * 40) is None
        assert {slug: _read(store, slug) for slug in slugs} == plain
        assert all(store.preloaded_text(blob) for s in slugs for _v, blob in plain[s][1])
        with pytest.raises(UnknownDocument):
            store.document("missing")
        store.preload([])  # what the last preload read is let go
        assert all(store.preloaded_text(blob) is None for _v, blob in plain["gesetz"][1])


def test_a_damaged_provenance_file_is_reported_when_read(tmp_path: Path) -> None:
    with _store(tmp_path / "s") as store:
        version = store.versions("note")[0]
        blob = subprocess.run(
            ["git", "--git-dir", str(store.git_dir), "hash-object", "-w", "--stdin"],
            input=b"{not json", capture_output=True, check=True,
        ).stdout.decode().strip()  # fmt: skip
        tree = store.io.write_tree(store.head(), {f"note/versions/{version.id}.json": blob})
        store.io.run("update-ref", "refs/heads/main", store.io.run(
            "commit-tree", tree, "-p", store.head() or "", "-m", "damage"))  # fmt: skip
    with Store.open(tmp_path / "s") as store:
        store.preload(["note", "gesetz"])
        assert [v.label for v in store.versions("gesetz")] == ["v1", "v2"]
        with pytest.raises(StoreError, match="not valid JSON"):
            store.versions("note")
