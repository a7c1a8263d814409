"""A document's stored versions as the lineage builder and quote index read them (CLI and
viewer glue: metadata at once, texts in one git call when first needed)."""

from __future__ import annotations

from typing import Any

from repo_store import Store


class StoredText:
    """A stored version for the lineage builder: metadata now, text read only if needed."""

    __slots__ = ("_batch", "_blob", "meta", "text_sha")

    def __init__(
        self, meta: dict[str, Any], text_sha: str | None, blob: str, batch: _TextBatch
    ) -> None:
        self.meta = meta
        self.text_sha = text_sha
        self._blob = blob
        self._batch = batch

    @property
    def text(self) -> str:
        """The version's text (all texts are read in one git call on first use)."""
        return self._batch.text(self._blob)


class _TextBatch:
    """Texts of a document's versions, read together by blob id when the first is needed."""

    def __init__(self, store: Store, blobs: list[str]) -> None:
        self.store = store
        self.blobs = blobs
        self.texts: dict[str, str] | None = None

    def text(self, blob: str) -> str:
        if self.texts is None:
            data = self.store.io.read_objects(self.blobs)
            self.texts = {b: d.decode("utf-8") for b, d in zip(self.blobs, data, strict=True)}
        return self.texts[blob]


def stored_versions(store: Store, doc: str) -> list[StoredText]:
    """DOC's versions in draft order; their texts are read lazily, all in one git call."""
    pairs = store.version_texts(doc)
    batch = _TextBatch(store, [blob for _v, blob in pairs])
    return [
        StoredText(v.to_json(), v.provenance.get("text_sha256"), blob, batch) for v, blob in pairs
    ]
