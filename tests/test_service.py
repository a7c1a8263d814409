"""The service layer: one path to add a version (CLI, form, demo), comparisons the same with or
without the viewer's memo, provenance validated in one place, one table of user errors."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from drafttrack.errors import DrafttrackError
from drafttrack.ingest import IngestError
from drafttrack.segment_cache import SegmentCache
from drafttrack.service import (
    NO_MEMO,
    Received,
    add_received,
    compare_versions,
    keyed_clauses,
    lineage_keys_of,
)
from drafttrack.service.errors import USER_ERRORS, http_status
from drafttrack.service.limits import LimitExceeded, check_phrase, check_top
from repo_store import (
    InvalidValue,
    Placement,
    Provenance,
    Store,
    StoreError,
    UnknownDocument,
    UnknownVersion,
)
from tests.conftest import CliRun
from tests.formats_builders import DRAFTS, build_docx
from tests.web_support import make_app, post_form
from web.store import LRU

DOC = "paris-declaration"


def test_the_upload_form_warms_the_segment_cache(store_path: Path) -> None:
    """The form adds through the same call as ``drafttrack add``: the new text's clauses are
    in the segment cache as soon as it is recorded."""
    text = "# Угода\n\n1. Сторони «підтримують» сили.\n\n2. Die Parteien „einigen“ sich.\n"
    client = make_app(store_path).test_client()
    response = post_form(client, "/add", "/add", {"doc": "accord", "text": text})
    assert response.status_code == 303
    with Store.open(store_path) as store:
        stored = store.read_text("accord", store.versions("accord")[0].id)
        with SegmentCache(store.cache_dir) as cache:
            assert cache.get(stored) is not None


def test_add_received_reports_ingest_warnings(store_path: Path) -> None:
    data = build_docx(DRAFTS["en"], tracked=True)
    with Store.open(store_path) as store:
        added = add_received(
            store, "accord", Received(data, "tracked.docx"), Provenance(outlet="Reuters")
        )
        assert added.format == "docx"
        assert any("tracked changes accepted" in w for w in added.warnings)
        version = added.result.version
        assert version.provenance["original"]["name"] == "tracked.docx"
        assert version.provenance["source"]["outlet"] == "Reuters"
        with SegmentCache(store.cache_dir) as cache:
            assert cache.get(store.read_text("accord", version.id)) is not None


def test_the_upload_form_shows_the_ingest_warnings_the_cli_prints(
    store_path: Path, cli_run: CliRun, tmp_path: Path
) -> None:
    """A file whose reading warns (tracked changes accepted) is recorded by the form, which
    shows the same warnings ``drafttrack add`` prints, with a link to the new version; a file
    without warnings still goes straight to the version."""
    data = build_docx(DRAFTS["de"], tracked=True)
    path = tmp_path / "Entwurf „neu“.docx"
    path.write_bytes(data)
    printed = cli_run("--store", store_path, "add", "cli-copy", path, "--source", "Spiegel")
    assert printed.code == 0, printed.err
    cli_warnings = [line for line in printed.err.splitlines() if line.startswith("warning: ")]
    assert cli_warnings

    client = make_app(store_path).test_client()
    upload = {"doc": "entwurf", "outlet": "Spiegel", "file": (io.BytesIO(data), path.name)}
    response = post_form(client, "/add", "/add", upload, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    shown = [html.unescape(w) for w in re.findall(r"<li>(warning: [^<]*)</li>", page)]
    assert shown == cli_warnings
    with Store.open(store_path) as store:
        (version,) = store.versions("entwurf")
        assert version.provenance["original"]["name"] == path.name
    assert f'href="/d/entwurf/v/{version.id}"' in page

    plain = {"doc": "entwurf", "file": (io.BytesIO("Text ohne Änderungen.\n".encode()), "n.md")}
    response = post_form(client, "/add", "/add", plain, content_type="multipart/form-data")
    assert response.status_code == 303


def test_a_received_name_is_recorded_only_when_asked(store_path: Path) -> None:
    with Store.open(store_path) as store:
        added = add_received(
            store, "accord", Received(b"Text.\n", "-", record_name=False), Provenance()
        )
        assert added.result.version.provenance["original"]["name"] is None


@pytest.mark.parametrize(
    "provenance",
    [
        Provenance(reported_on="2026-13-01"),
        Provenance(drafted_on="yesterday"),
        Provenance(completeness="most"),
        Provenance(url="javascript:alert(1)"),
        Provenance(outlet="x" * 301),
        Provenance(via=("ok", "y" * 301)),
    ],
)
def test_provenance_is_checked_before_anything_is_written(
    store_path: Path, provenance: Provenance
) -> None:
    with pytest.raises(StoreError):
        provenance.checked()
    with Store.open(store_path) as store:
        head = store.head()
        with pytest.raises(StoreError):
            add_received(store, "accord", Received(b"Text.\n", "t.md"), provenance)
        assert store.head() == head


def test_a_placement_is_before_or_after_not_both() -> None:
    with pytest.raises(InvalidValue):
        Placement(before="v1", after="v2")


def test_comparisons_are_the_same_with_and_without_a_memo(shared_demo_store: Path) -> None:
    with Store.open(shared_demo_store) as store:
        versions = store.versions(DOC)
        memo = LRU(32)
        for keyed in (False, True):
            for old, new in zip(versions, versions[1:], strict=False):
                plain = compare_versions(store, old, new, keyed=keyed)
                kept = compare_versions(store, old, new, keyed=keyed, memo=memo)
                assert kept.changes == plain.changes
                assert compare_versions(store, old, new, keyed=keyed, memo=memo) is kept
        keys = lineage_keys_of(store, DOC, NO_MEMO)
        for version in versions:
            clauses = keyed_clauses(store, version)
            if version.provenance.get("language") == "uk":  # a translation: no lineage keys
                assert version.id not in keys
                continue
            assert [c.key for c in clauses] == keys[version.id]


def test_one_table_of_user_errors() -> None:
    assert issubclass(IngestError, DrafttrackError) and not issubclass(IngestError, ValueError)
    assert issubclass(LimitExceeded, DrafttrackError)
    for exc in (IngestError("x"), LimitExceeded("x"), UnknownVersion("x"), InvalidValue("x")):
        assert isinstance(exc, USER_ERRORS)
    assert http_status(UnknownDocument("x")) == 404
    assert http_status(IngestError("x")) == 400
    assert http_status(LimitExceeded("x")) == 400
    assert http_status(StoreError("x")) == 500
    assert http_status(RuntimeError("x")) == 500


def test_limits() -> None:
    assert check_phrase("  „Einigung“  ") == "„Einigung“"
    assert check_top("50") == 50
    for top in ("0", "51", "x"):
        with pytest.raises(LimitExceeded):
            check_top(top)
    with pytest.raises(LimitExceeded):
        check_phrase("x" * 501)
