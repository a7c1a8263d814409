"""The documents listing kept per document tree: after a new version only that document is
read again, and the listing always equals one read from scratch (real stores)."""

from __future__ import annotations

import json
from pathlib import Path

from drafttrack.service import listing
from tests.conftest import CliRun


def _entries(store_path: Path) -> list[tuple[str, str, int]]:
    from repo_store import Store

    with Store.open(store_path) as store:
        return [
            (e.document.slug, e.document.title, e.versions) for e in listing.all_documents(store)
        ]


def _scratch(store_path: Path) -> list[tuple[str, str, int]]:
    from repo_store import Store

    with Store.open(store_path) as store:
        listing._kept_path(store).unlink(missing_ok=True)
    return _entries(store_path)


def test_new_version_rereads_one_document(
    cli_run: CliRun, store_path: Path, tmp_path: Path
) -> None:
    for i in range(4):
        file = tmp_path / f"d{i}.md"
        file.write_text(f"# Entwurf {i}\n\nDie Parteien „kooperieren“ ({i}).\n", "utf-8")
        added = cli_run("--store", store_path, "add", f"doc{i}", file, "--title", f"Титул {i}")
        assert added.code == 0, added.err
    first = _entries(store_path)
    assert first == [(f"doc{i}", f"Титул {i}", 1) for i in range(4)]
    kept_file = store_path / "drafttrack-cache" / listing.LISTING_FILE
    kept = json.loads(kept_file.read_text("utf-8"))["documents"]
    # mark the kept records: a document read again loses the mark
    for record in kept.values():
        record["marked"] = True
    kept_file.write_text(json.dumps({"version": listing.LISTING_VERSION, "documents": kept}))

    (tmp_path / "d2b.md").write_text("# Entwurf 2\n\nDie Parteien kooperieren nicht.\n", "utf-8")
    assert cli_run("--store", store_path, "add", "doc2", tmp_path / "d2b.md").code == 0
    after = _entries(store_path)
    assert after == [(f"doc{i}", f"Титул {i}", 2 if i == 2 else 1) for i in range(4)]
    again = json.loads(kept_file.read_text("utf-8"))["documents"]
    assert [slug for slug, r in sorted(again.items()) if not r.get("marked")] == ["doc2"]
    assert after == _scratch(store_path)


def test_a_damaged_kept_listing_is_read_again(
    cli_run: CliRun, store_path: Path, tmp_path: Path
) -> None:
    file = tmp_path / "d.md"
    file.write_text("# Draft\n\nText.\n", "utf-8")
    assert cli_run("--store", store_path, "add", "draft", file).code == 0
    expected = _entries(store_path)
    kept_file = store_path / "drafttrack-cache" / listing.LISTING_FILE
    for damage in ("{not json", '{"version": 1, "documents": {"draft": {"tree": 5}}}', "[]"):
        kept_file.write_text(damage)
        assert _entries(store_path) == expected
