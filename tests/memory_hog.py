"""A stand-in converter for the bounded-conversion tests: it allocates or sleeps on demand."""

from __future__ import annotations

import time

from drafttrack.ingest import Ingested


def convert_unbounded(data: bytes, name: str) -> Ingested:
    """Sleep for ``sleep``; otherwise allocate far more than any test's memory limit."""
    if data == b"sleep":
        time.sleep(30)
    hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
    return Ingested(text=str(len(hog)), format="pdf", extension="pdf")
