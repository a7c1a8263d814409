"""Bad files are refused in one line (exit 2, store untouched); fetching stays within limits."""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafttrack.ingest import IngestError, ingest
from drafttrack.ingest.fetch import fetch
from tests.conftest import run_process, snapshot
from tests.formats_builders import DRAFTS, build_docx, build_pdf

pypdf = pytest.importorskip("pypdf", reason="pypdf (a dependency) is not installed")


def _rezip(
    data: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the zip ``data`` with entries replaced and ``extra`` entries added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(build_pdf(DRAFTS["en"], pages=1)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _exploding_pdf() -> bytes:
    """One page whose content stream inflates from ~80 KiB to 80 MiB (past pypdf's 75 MB cap)."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * (80 * 1024 * 1024))
    compressed = stream.flate_encode()
    page[pypdf.generic.NameObject("/Contents")] = writer._add_object(compressed)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


def bad_files() -> dict[str, tuple[str, bytes, str]]:
    """name → (file name, bytes, expected words in the one-line error)."""
    good = build_docx(DRAFTS["en"])
    return {
        "corrupt docx": ("draft.docx", good[: len(good) // 2], "corrupt zip"),
        "zip without document": (
            "draft.docx",
            _rezip(b"PK\x05\x06" + b"\0" * 18, {"a.txt": b"x"}),
            "not a Word document",
        ),  # fmt: skip
        "zip bomb": (
            "draft.docx",
            _rezip(good, {"word/media/bomb.bin": b"\0" * (40 << 20)}),
            "zip bomb refused",
        ),  # fmt: skip
        "many entries": (
            "draft.docx",
            _rezip(good, {f"x/{i}": b"" for i in range(2100)}),
            "entries",
        ),  # fmt: skip
        "path traversal": ("draft.docx", _rezip(good, {"../../evil.xml": b"<x/>"}), "unsafe name"),
        "entity expansion": (
            "draft.docx",
            _rezip(good, {}, replace={"word/document.xml": BILLION_LAUGHS}),
            "DTD",
        ),  # fmt: skip
        "encrypted pdf": ("draft.pdf", _encrypted_pdf(), "encrypted PDF"),
        "exploding pdf": ("draft.pdf", _exploding_pdf(), "expands past the size limit"),
        "png named docx": ("draft.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a Word"),
        "text named pdf": ("draft.pdf", b"just some words\n", "not a PDF"),
    }


@pytest.fixture(scope="module")
def bad() -> dict[str, tuple[str, bytes, str]]:
    return bad_files()


BAD_CASES = [
    "corrupt docx", "zip without document", "zip bomb", "many entries", "path traversal",
    "entity expansion", "encrypted pdf", "exploding pdf", "png named docx", "text named pdf",
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_file_refused_in_one_line_store_untouched(
    case: str, bad: dict[str, tuple[str, bytes, str]], store_path: Path, tmp_path: Path, cli_run
) -> None:
    file_name, data, words = bad[case]
    assert cli_run("--store", store_path, "add", "decl", "-", input=b"# D\n\n1. One.\n").code == 0
    before = snapshot(store_path)
    path = tmp_path / file_name
    path.write_bytes(data)
    result = cli_run("--store", store_path, "add", "decl", path)
    assert result.code == 2, result.out
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert words in result.err
    assert snapshot(store_path) == before


def test_memory_limit_bounds_the_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    """A conversion that allocates past the limit is refused in one line (tests/memory_hog.py
    stands in for a converter fed a file that explodes in memory)."""
    from drafttrack.ingest import IngestError, safety

    monkeypatch.setattr(safety, "MEMORY_LIMIT_MB", 256)
    with pytest.raises(IngestError) as caught:
        safety.run_limited("tests.memory_hog", b"%PDF-1.7 bomb", "bomb.pdf")
    message = str(caught.value)
    assert "memory limit of 256 MiB" in message and "\n" not in message


def test_time_limit_bounds_the_conversion(tmp_path: Path) -> None:
    file = tmp_path / "draft.docx"
    file.write_bytes(build_docx(DRAFTS["de"]))
    store = tmp_path / "store"
    assert run_process("--store", store, "init").returncode == 0
    before = snapshot(store)
    proc = run_process(
        "--store", store, "add", "d", file, env={"DRAFTTRACK_INGEST_TIMEOUT": "0.05"}
    )
    assert proc.returncode == 2 and proc.stderr.count(b"\n") == 1
    assert b"conversion took longer than 0.05 s" in proc.stderr
    assert snapshot(store) == before


# --- fetching --------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):  # 4 MiB without Content-Length, refused past the limit
                self.wfile.write(b"<p>" + b"x" * (64 * 1024) + b"</p>")
            return
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: expected
            pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local http.server on 127.0.0.1 (the only network these tests touch)."""
    from tests.test_ingest_formats import NEWS_PAGE

    _Handler.routes = {
        "/story.html": (200, "text/html; charset=utf-8", NEWS_PAGE.encode()),
        "/files/draft": (200, "application/pdf", build_pdf(DRAFTS["de"], pages=1)),
        "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_add_from_url_records_the_url(server: str, store_path: Path, cli_run) -> None:
    url = f"{server}/story.html"
    result = cli_run("--store", store_path, "add", "decl", "--from-url", url, "--source", "Daily")
    assert result.code == 0, result.err
    log = cli_run("--store", store_path, "log", "decl", "--json").out
    assert url in log and '"format": "html"' in log
    shown = cli_run("--store", store_path, "show", "decl", "latest").out
    assert "support the force in case of attack" in shown and "World news menu" not in shown


def test_fetch_names_a_file_by_its_content_type(server: str) -> None:
    fetched = fetch(f"{server}/files/draft")
    assert fetched.name == "draft.pdf" and fetched.content_type == "application/pdf"
    assert ingest(fetched.data, fetched.name).format == "pdf"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/image.png", "content type image/png"),
        ("/missing", "HTTP 404"),
        ("/redirect-file", "(only http and https|not allowed)"),
        ("/huge", "over the limit"),
    ],
)
def test_fetch_refusals(server: str, path: str, words: str) -> None:
    with pytest.raises(IngestError, match=words):
        fetch(f"{server}{path}", max_bytes=1024 * 1024)


def test_fetch_refuses_other_schemes_without_a_request(store_path: Path, cli_run) -> None:
    before = snapshot(store_path)
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,hi"):
        result = cli_run("--store", store_path, "add", "decl", "--from-url", url)
        assert result.code == 2 and "only http and https" in result.err
    assert snapshot(store_path) == before
