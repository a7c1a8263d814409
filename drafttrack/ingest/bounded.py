"""The conversion inside a bounded child: set the address-space limit, convert, reply.

Run in a child forked from the converter server (:mod:`.converter_server`) or in a fresh
interpreter (:func:`child`, the fallback of :func:`drafttrack.ingest.safety.run_limited`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from drafttrack.ingest import Ingested, IngestError


def child(argv: list[str]) -> int:
    """Entry point of a fresh-interpreter child: convert stdin, print one JSON reply."""
    module, name, memory_mb = argv
    reply = convert_bounded(module, name, memory_mb, sys.stdin.buffer.read())
    sys.stdout.write(json.dumps(reply, ensure_ascii=True))
    return 0


def convert_bounded(module: str, name: str, memory_mb: str, data: bytes) -> dict[str, Any]:
    """In a child process: set the address-space limit, convert ``data``, return the reply."""
    import importlib
    import resource

    # Import the libraries first: the limit bounds the conversion of the file, and a library that
    # fails to load under it would otherwise read as a missing optional dependency.
    for library in getattr(importlib.import_module(module), "PRELOAD", ()):
        try:
            importlib.import_module(library)
        except ImportError:
            pass  # reported as a missing extra by the conversion itself
    limit = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        convert: Callable[[bytes, str], Ingested] = importlib.import_module(
            module
        ).convert_unbounded
        result = convert(data, name)
        return {
            "text": result.text,
            "format": result.format,
            "extension": result.extension,
            "warnings": result.warnings,
        }
    except IngestError as exc:
        return {"error": str(exc)}
    except MemoryError:
        return {"error": f"{name}: conversion exceeded the memory limit of {memory_mb} MiB"}
    except RecursionError:
        return {"error": f"{name}: the file nests too deeply (refused)"}
    except Exception as exc:  # a library's own error on a malformed file
        kind = module.rsplit(".", 1)[-1].upper()
        return {"error": f"{name}: unreadable {kind} file ({type(exc).__name__}: {exc})"}
