"""Bounds for converting untrusted files: zip checks, XML without DTDs, limited subprocesses.

A DOCX is a zip of XML parts, so a crafted one can be a zip bomb, carry ``../`` names or
declare entities; a PDF can expand to gigabytes. :func:`open_zip` refuses the first kinds before
anything is decompressed, and :func:`run_limited` runs a converter in a child process (forked from
a warm converter server) with an address-space limit (``RLIMIT_AS``) and a wall-clock timeout,
so a file that explodes costs one bounded process, never the CLI or the viewer.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from typing import Any

from drafttrack.ingest import Ingested, IngestError
from drafttrack.ingest.converter_server import ChildTimedOut, ConverterServer, ServerGone

MAX_ZIP_ENTRIES = 2000
"""Most entries a DOCX may hold (real ones hold a few dozen)."""
MAX_ZIP_TOTAL = 256 * 1024 * 1024
"""Largest total uncompressed size declared by a DOCX."""
MAX_ZIP_RATIO = 200
"""Largest compression ratio of one entry larger than :data:`RATIO_FLOOR` (bombs reach 1000+)."""
RATIO_FLOOR = 1024 * 1024
MEMORY_LIMIT_MB = int(os.environ.get("DRAFTTRACK_INGEST_MEMORY_MB", "2048"))
"""Address-space limit of a conversion process."""
TIME_LIMIT_S = float(os.environ.get("DRAFTTRACK_INGEST_TIMEOUT", "120"))
"""Wall-clock limit of a conversion process."""
FORMATS_HINT = (
    "reinstall drafttrack, which depends on them "
    "(pip install -e . in its checkout, or pip install drafttrack)"
)

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def missing_extra(what: str) -> IngestError:
    """The one-line error for a format whose libraries are missing from this environment."""
    return IngestError(f"{what} needs format libraries that are missing here: {FORMATS_HINT}")


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open a zip after checking entry count, declared sizes, ratios and entry names."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise IngestError(f"{name}: corrupt zip container (not a readable Word file)") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise IngestError(f"{name}: zip holds {len(infos)} entries (limit {MAX_ZIP_ENTRIES})")
    total = 0
    for info in infos:
        parts = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise IngestError(f"{name}: zip entry with an unsafe name ({info.filename!r})")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
            raise IngestError(
                f"{name}: zip entry {info.filename!r} expands {ratio:.0f}-fold (zip bomb refused)"
            )
    if total > MAX_ZIP_TOTAL:
        raise IngestError(
            f"{name}: zip expands to {total // (1024 * 1024)} MiB "
            f"(limit {MAX_ZIP_TOTAL // (1024 * 1024)} MiB; zip bomb refused)"
        )
    return archive


def read_entry(archive: zipfile.ZipFile, entry: str, name: str) -> bytes:
    """One entry's bytes, never more than it declared, refusing XML with a DTD or entities."""
    info = archive.getinfo(entry)
    try:
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise IngestError(f"{name}: corrupt zip entry {entry!r} ({exc})") from None
    if len(data) > info.file_size:
        raise IngestError(f"{name}: zip entry {entry!r} is larger than it declares")
    if entry.endswith((".xml", ".rels")) and _DTD.search(data[:4096]):
        raise IngestError(f"{name}: {entry} declares a DTD or entities (refused)")
    return data


def check_zip_parts(data: bytes, name: str) -> None:
    """Check a zip and every XML part in it (see :func:`open_zip`, :func:`read_entry`)."""
    with open_zip(data, name) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                read_entry(archive, info.filename, name)


# --- conversion in a bounded child process ---------------------------------------------------


_server: ConverterServer | None = None
_server_pid = 0
_server_guard = threading.Lock()


def run_limited(module: str, data: bytes, name: str) -> Ingested:
    """Run ``module.convert_unbounded(data, name)`` in a child process with memory/time limits.

    The child is forked from a warm converter server (:mod:`.converter_server`); when the server
    is busy with another thread's file, or cannot run, a fresh interpreter does the same job.
    """
    server = _warm_server()
    if server is not None and server.lock.acquire(blocking=False):
        try:
            reply = server.convert(module, name, MEMORY_LIMIT_MB, data, TIME_LIMIT_S)
        except ChildTimedOut:
            raise IngestError(
                f"{name}: conversion took longer than {TIME_LIMIT_S:g} s (refused)"
            ) from None
        except ServerGone:
            reply = None
        finally:
            server.lock.release()
        if reply is not None:
            if "died" in reply:
                raise IngestError(
                    f"{name}: conversion exceeded the memory limit of {MEMORY_LIMIT_MB} MiB "
                    "(refused)"
                )
            return _ingested(reply)
    return _run_interpreter(module, data, name)


def _warm_server() -> ConverterServer | None:
    """This process's converter server, started on first use and again if it ended."""
    global _server, _server_pid
    with _server_guard:
        if _server is not None and _server_pid == os.getpid() and _server.alive():
            return _server
        if _server is not None and _server_pid == os.getpid():
            _server.close()  # it ended: release its pipes before starting another
        try:
            _server, _server_pid = ConverterServer(), os.getpid()
        except OSError:
            _server = None
        else:
            atexit.register(_server.close)
        return _server


def _run_interpreter(module: str, data: bytes, name: str) -> Ingested:
    """:func:`run_limited` in a fresh interpreter."""
    code = "import sys; from drafttrack.ingest.bounded import child; sys.exit(child(sys.argv[1:]))"
    cmd = [sys.executable, "-c", code, module, name, str(MEMORY_LIMIT_MB)]
    try:
        proc = subprocess.run(
            cmd, input=data, capture_output=True, timeout=TIME_LIMIT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise IngestError(
            f"{name}: conversion took longer than {TIME_LIMIT_S:g} s (refused)"
        ) from None
    try:
        reply: dict[str, Any] = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if proc.returncode < 0 or b"MemoryError" in proc.stderr:
            raise IngestError(
                f"{name}: conversion exceeded the memory limit of {MEMORY_LIMIT_MB} MiB (refused)"
            ) from None
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise IngestError(f"{name}: conversion failed ({last[0]})") from None
    return _ingested(reply)


def _ingested(reply: dict[str, Any]) -> Ingested:
    if "error" in reply:
        raise IngestError(reply["error"])
    return Ingested(
        text=reply["text"],
        format=reply["format"],
        extension=reply["extension"],
        warnings=list(reply["warnings"]),
    )
