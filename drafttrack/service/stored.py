"""A document's stored versions as the lineage builder and quote index read them (metadata at
once, texts in one git call when first needed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from repo_store import Store, Version


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
        """The version's text (texts are streamed by one git call from the first use on)."""
        return self._batch.text(self._blob)


class _TextBatch:
    """Texts of a document's versions, read together by blob id, in order, as they are needed
    (one git process streams them all: the first text is at hand before the last is read)."""

    def __init__(self, store: Store, blobs: list[str]) -> None:
        self.store = store
        self.blobs = blobs
        self.texts: dict[str, str] = {}
        self._read = 0
        self._stream: Iterator[bytes] | None = None

    def text(self, blob: str) -> str:
        found = self.texts.get(blob)
        if found is not None:
            return found
        preloaded = self.store.preloaded_text(blob)
        if preloaded is not None:
            return preloaded.decode("utf-8")
        if self._stream is None:
            self._stream = self.store.io.stream_objects(self.blobs)
        for data in self._stream:
            name = self.blobs[self._read]
            self._read += 1
            self.texts[name] = data.decode("utf-8")
            if name == blob:
                return self.texts[name]
        raise KeyError(blob)


def stored_versions(store: Store, doc: str, *, translations: bool = True) -> list[StoredText]:
    """DOC's versions in draft order (``translations`` False: those in DOC's own language only);
    their texts are read lazily, all in one git call."""
    pairs = store.version_texts(doc)
    if not translations:
        language = store.document(doc).language
        pairs = [p for p in pairs if not is_translation(p[0].provenance.get("language"), language)]
    batch = _TextBatch(store, [blob for _v, blob in pairs])
    return [
        StoredText(v.to_json(), v.provenance.get("text_sha256"), blob, batch) for v, blob in pairs
    ]


def is_translation(version_language: object, document_language: object) -> bool:
    """A version recorded in another language than its document's (both named): a translation,
    compared by meaning (``diff``), kept out of the document's lineages."""
    return bool(version_language and document_language) and version_language != document_language


def lineage_versions(store: Store, doc: str) -> list[StoredText]:
    """DOC's versions in its own language, in draft order: what its lineages are built from. A
    translation would read as every clause removed and others added; it is compared by meaning
    instead (``diff``, the compare page)."""
    return stored_versions(store, doc, translations=False)


def own_language_versions(store: Store, doc: str) -> list[Version]:
    """DOC's versions in its own language, in draft order: the columns of its lineages (trace,
    history, the flow)."""
    language = store.document(doc).language
    return [
        v for v in store.versions(doc) if not is_translation(v.provenance.get("language"), language)
    ]
