"""The segment cache: same clauses as segmenting, shared by processes, rebuilt when corrupt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from drafttrack.segment import segment
from drafttrack.segment_cache import (
    DB_NAME,
    SegmentCache,
    cached_segment,
    cached_segments,
    connect,
    warm,
)
from tests.conftest import DEMO

TEXT = (DEMO / "paris-declaration" / "earlier-draft.md").read_text("utf-8")


def test_cached_clauses_equal_fresh_ones(tmp_path: Path) -> None:
    warm(tmp_path, TEXT)
    with SegmentCache(tmp_path) as cache:
        assert cache.get(TEXT) == segment(TEXT)
        assert cache.get(TEXT + "x") is None
    assert cached_segment(tmp_path, "Стаття 3. „Текст“") == segment("Стаття 3. „Текст“")


def test_corrupt_file_is_rebuilt_silently(tmp_path: Path) -> None:
    warm(tmp_path, TEXT)
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    assert cached_segment(tmp_path, TEXT) == segment(TEXT)
    with SegmentCache(tmp_path) as cache:
        assert cache.get(TEXT) == segment(TEXT)


def test_deleting_the_folder_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    warm(folder, TEXT)
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    assert cached_segment(folder, TEXT) == segment(TEXT)


def test_unwritable_folder_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cached_segment(blocker / "cache", TEXT) == segment(TEXT)


def test_concurrent_writers(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from drafttrack.segment_cache import warm\n"
        "for i in range(30): warm(Path(sys.argv[1]), f'Clause {i} of writer ' + sys.argv[2])\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(n)]) for n in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    conn = connect(tmp_path)
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 120
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_several_texts_through_one_connection(tmp_path: Path) -> None:
    other = "Стаття 1\n(а) на суші;\n(б) на морі.\n"
    warm(tmp_path, TEXT)
    assert cached_segments(tmp_path, TEXT, other) == [segment(TEXT), segment(other)]
    assert cached_segments(None, other) == [segment(other)]
    with SegmentCache(tmp_path) as cache:
        assert cache.get(other) == segment(other)


def test_damaged_entry_is_segmented_afresh(tmp_path: Path) -> None:
    warm(tmp_path, TEXT)
    conn = connect(tmp_path)
    conn.execute("UPDATE segments SET data = ?", (b"[[1, 2]",))
    conn.close()
    assert cached_segment(tmp_path, TEXT) == segment(TEXT)
    with SegmentCache(tmp_path) as cache:
        assert cache.get(TEXT) == segment(TEXT)
