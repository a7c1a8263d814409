"""A stand-in converter for the bounded-conversion tests: it allocates or sleeps on demand."""

from __future__ import annotations

import os
import signal
import time

from drafttrack.ingest import Ingested


def convert_unbounded(data: bytes, name: str) -> Ingested:
    """Sleep for ``sleep``, die by a signal for ``die``, echo ``echo:…``; otherwise allocate far
    more than any test's memory limit."""
    if data == b"sleep":
        time.sleep(30)
    if data == b"die":
        os.kill(os.getpid(), signal.SIGKILL)
    if data.startswith(b"echo:"):
        return Ingested(text=data[5:].decode("utf-8"), format="pdf", extension="pdf")
    hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
    return Ingested(text=str(len(hog)), format="pdf", extension="pdf")
