"""Adding a version from a received file: the one path of ``drafttrack add``, the upload form,
the demo builder and every source to come (ingest, record with provenance, warm the cache)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafttrack.ingest import Ingested, ingest
from drafttrack.segment_cache import warm
from repo_store import AddResult, Original, Placement, Provenance, Store

AT_END = Placement()


@dataclass(frozen=True, slots=True)
class Received:
    """A file as received: its bytes, the name it came under (its extension helps tell the
    format) and whether that name is worth recording (not for stdin or pasted text)."""

    data: bytes
    name: str
    record_name: bool = True


@dataclass(slots=True)
class Added:
    """What adding a version recorded, with what ingesting the file noticed."""

    result: AddResult
    format: str
    warnings: list[str] = field(default_factory=list)


def add_received(
    store: Store,
    doc: str,
    received: Received,
    provenance: Provenance,
    placement: Placement = AT_END,
    *,
    title: str | None = None,
    language: str | None = None,
    extra: dict[str, Any] | None = None,
    extracted: Ingested | None = None,
) -> Added:
    """Ingest ``received``, record it as a version of DOC (created on first use) in one commit,
    and segment it now so that comparisons with it find its clauses cached. ``extra`` adds
    provenance fields (a watch's ``capture`` and ``technical``); ``extracted`` is the text already
    read from ``received`` by the same ingest under a watch's rules (then not ingested again)."""
    ingested = extracted if extracted is not None else ingest(received.data, received.name)
    result = store.add_version(
        doc,
        ingested.text,
        provenance,
        placement=placement,
        title=title,
        language=language,
        original=Original(
            received.data, received.name if received.record_name else None, ingested.extension
        ),
        extra={"format": ingested.format, **(extra or {})},
    )
    warm(store.cache_dir, ingested.text)
    return Added(result, ingested.format, list(ingested.warnings))
