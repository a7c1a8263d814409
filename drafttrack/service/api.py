"""drafttrack's Python API, for notebooks and scripts: the service calls behind the CLI, typed.

    from drafttrack.service.api import open_store

    with open_store("drafts", create=True) as drafts:
        drafts.add("declaration", text="1. The parties shall meet.", label="Draft")
        drafts.add("declaration", text="1. The parties may meet.", label="Final")
        diff = drafts.compare("declaration", "Draft", "Final")
        diff.summary.modified                    # 1
        diff.as_dict()                           # the ``diff --json`` object, unchanged

Every call answers what the matching command answers (``compare`` is ``diff --json``, ``trace``
is ``trace --json``, ``quote`` is ``quote --json``), as typed objects whose ``as_dict()`` gives
the contract's plain dict. Bad input raises :class:`drafttrack.errors.DrafttrackError` or
:class:`repo_store.StoreError` (both listed in ``USER_ERRORS``) with the message the CLI prints;
the store is then left as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from drafttrack.errors import DrafttrackError
from drafttrack.service.compare import compare_versions, comparison_report, version_pair
from drafttrack.service.errors import USER_ERRORS
from drafttrack.service.limits import check_top
from drafttrack.service.lineages import document_lineages
from drafttrack.service.versions import Received, add_received
from repo_store import Placement, Provenance, Store, Version

__all__ = [
    "USER_ERRORS",
    "Change",
    "Diff",
    "DocumentInfo",
    "DraftStore",
    "QuoteMatch",
    "Summary",
    "Trace",
    "VersionInfo",
    "WordOp",
    "open_store",
]


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One version: its id, label, place in draft order and where the text came from."""

    id: str
    label: str
    position: int
    outlet: str | None
    via: tuple[str, ...]
    url: str | None
    reported_on: str | None
    drafted_on: str | None
    completeness: str | None
    data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def of(cls, version: Version) -> VersionInfo:
        data = version.to_json()
        source = data.get("source") or {}
        return cls(
            data["id"], data["label"], data["position"], source.get("outlet"),
            tuple(source.get("via") or ()), source.get("url"), data.get("reported_on"),
            data.get("drafted_on"), data.get("completeness"), data,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """The contract's Version object (as in ``log --json``)."""
        return dict(self.data)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document of the store with its number of versions."""

    slug: str
    title: str
    versions: int


@dataclass(frozen=True, slots=True)
class Added:
    """A version just recorded: the version, what it repeats (if its text is not new) and what
    reading the file noticed."""

    version: VersionInfo
    identical_to: VersionInfo | None
    format: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WordOp:
    """One step of a word-level diff inside a modified clause."""

    op: str
    """``equal``, ``insert`` or ``delete``."""
    text: str


@dataclass(frozen=True, slots=True)
class DiffClause:
    """A clause as a comparison shows it."""

    key: str
    number: str | None
    path: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One change between two versions, in reading order of the newer one."""

    kind: str
    """``unchanged``, ``modified``, ``added``, ``removed``, ``split`` or ``merged``."""
    moved: bool
    renumbered: bool
    editorial: bool
    old: tuple[DiffClause, ...]
    new: tuple[DiffClause, ...]
    similarity: float
    words: tuple[WordOp, ...]
    editorial_kinds: tuple[str, ...]

    @classmethod
    def of(cls, data: dict[str, Any]) -> Change:
        return cls(
            data["kind"], bool(data["moved"]), bool(data["renumbered"]), bool(data["editorial"]),
            tuple(_clause(c) for c in data["old"]), tuple(_clause(c) for c in data["new"]),
            float(data["similarity"]), tuple(WordOp(w["op"], w["text"]) for w in data["words"]),
            tuple(data.get("editorial_kinds") or ()),
        )  # fmt: skip

    @property
    def substantive(self) -> bool:
        """A change of wording (not unchanged, not editorial only)."""
        return self.kind != "unchanged" and not self.editorial


def _clause(data: dict[str, Any]) -> DiffClause:
    return DiffClause(data["key"], data.get("number"), tuple(data.get("path") or ()), data["text"])


@dataclass(frozen=True, slots=True)
class Summary:
    """How many changes of each kind a comparison found."""

    unchanged: int
    modified: int
    added: int
    removed: int
    split: int
    merged: int
    moved: int
    renumbered: int
    editorial: int


@dataclass(frozen=True, slots=True)
class Diff:
    """Two versions compared clause by clause (``diff --json`` as objects)."""

    document: str
    old: VersionInfo
    new: VersionInfo
    summary: Summary
    changes: tuple[Change, ...]
    data: dict[str, Any] = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The ``diff --json`` object, exactly as the command prints it."""
        return self.data

    def substantive(self) -> list[Change]:
        """The changes of wording, editorial ones and unchanged clauses left out."""
        return [c for c in self.changes if c.substantive]


@dataclass(frozen=True, slots=True)
class Trace:
    """The life of the clauses that ever held a phrase (``trace --json`` as an object)."""

    document: str
    query: str
    first_seen: str | None
    last_seen: str | None
    gone_in: str | None
    gone_how: str | None
    events: tuple[dict[str, Any], ...]
    timeline: tuple[dict[str, Any], ...]
    data: dict[str, Any] = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The ``trace --json`` object."""
        return self.data


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """A clause a quote may come from, with the versions whose text holds it."""

    document: str
    key: str
    number: str | None
    text: str
    versions: tuple[str, ...]
    score: float
    matcher: str
    data: dict[str, Any] = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """One match of the ``quote --json`` object."""
        return self.data


class DraftStore:
    """A drafttrack store opened for reading and recording; close it (or use ``with``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the store's git processes."""
        self.store.close()

    @property
    def path(self) -> Path:
        """Where the store is."""
        return self.store.git_dir

    def documents(self) -> list[DocumentInfo]:
        """The documents, with their number of versions."""
        return [
            DocumentInfo(d.slug, d.title, len(self.store.versions(d.slug)))
            for d in self.store.documents()
        ]

    def versions(self, doc: str) -> list[VersionInfo]:
        """DOC's versions in draft order."""
        return [VersionInfo.of(v) for v in self.store.versions(doc)]

    def version(self, doc: str, ref: str | int) -> VersionInfo:
        """A version by id (or unique prefix), label, 1-based position, ``first`` or ``latest``."""
        return VersionInfo.of(self.store.resolve(doc, str(ref)))

    def text(self, doc: str, ref: str | int) -> str:
        """A version's normalised text (Markdown)."""
        version = self.store.resolve(doc, str(ref))
        return self.store.read_text(doc, version.id)

    def add(
        self,
        doc: str,
        file: str | os.PathLike[str] | None = None,
        *,
        text: str | None = None,
        label: str | None = None,
        outlet: str | None = None,
        via: tuple[str, ...] | list[str] = (),
        url: str | None = None,
        reported_on: str | None = None,
        drafted_on: str | None = None,
        completeness: str | None = None,
        note: str | None = None,
        before: str | None = None,
        after: str | None = None,
        title: str | None = None,
        language: str | None = None,
    ) -> Added:
        """Record a version of DOC (created on first use), as ``add`` does: FILE (Markdown,
        text, HTML, DOCX or PDF, kept as the original) or ``text`` (Markdown or plain text, as
        ``add DOC -`` reads it), with its provenance and place in the draft order."""
        if (file is None) == (text is None):
            raise DrafttrackError("give a file or text=…, not both or neither")
        if text is not None:
            received = Received(text.encode("utf-8"), "-", record_name=False)
        else:
            path = Path(file)  # type: ignore[arg-type]
            try:
                received = Received(path.read_bytes(), path.name)
            except OSError as exc:
                raise DrafttrackError(f"cannot read {path}: {exc.strerror or exc}") from None
        provenance = Provenance.of(
            label=label, outlet=outlet, via=via, url=url, reported_on=reported_on,
            drafted_on=drafted_on, completeness=completeness, note=note,
        )  # fmt: skip
        added = add_received(
            self.store, doc, received, provenance, Placement(before, after),
            title=title, language=language,
        )  # fmt: skip
        same = added.result.identical_to
        return Added(
            VersionInfo.of(added.result.version),
            VersionInfo.of(same) if same else None,
            added.format,
            tuple(added.warnings),
        )

    def compare(self, doc: str, old: str | int | None = None, new: str | int | None = None) -> Diff:
        """OLD and NEW of DOC compared clause by clause (``diff --json``); NEW defaults to the
        latest version, OLD to the one before NEW in draft order."""
        old_v, new_v = version_pair(
            self.store, doc, None if old is None else str(old), None if new is None else str(new)
        )
        data = comparison_report(doc, old_v, new_v, compare_versions(self.store, old_v, new_v))
        return Diff(
            data["document"], VersionInfo.of(old_v), VersionInfo.of(new_v),
            Summary(**{k: int(data["summary"][k]) for k in Summary.__dataclass_fields__}),
            tuple(Change.of(c) for c in data["changes"]), data,
        )  # fmt: skip

    def trace(self, doc: str, phrase: str, *, fuzzy: bool = False) -> Trace:
        """The life of every clause of DOC that ever held PHRASE (``trace --json``)."""
        from drafttrack.trace import trace_lineages

        with document_lineages(self.store, doc) as lineages:
            data = trace_lineages(lineages, phrase, fuzzy)
        return Trace(
            data["document"], data["query"], data["first_seen"], data["last_seen"],
            data["gone_in"], data["gone_how"], tuple(data["events"]), tuple(data["timeline"]),
            data,
        )  # fmt: skip

    def quote(self, text: str, *, doc: str | None = None, top: int = 5) -> list[QuoteMatch]:
        """The clauses (of DOC, or of every document) a quote from a report may come from, best
        first, in any language (``quote --json``'s matches)."""
        from drafttrack.quote.attribute import check_quote
        from drafttrack.service.quote import quote_attributor, quote_json

        query = check_quote(text)
        matches = quote_attributor(self.store, doc).attribute(query, check_top(top))
        return [
            QuoteMatch(
                m["document"],
                m["key"],
                m.get("number"),
                m["text"],
                tuple(m["versions"]),
                float(m["score"]),
                m["matcher"],
                m,
            )  # fmt: skip
            for m in quote_json(query, matches)["matches"]
        ]

    def export(
        self,
        doc: str,
        old: str | int,
        new: str | int,
        fmt: str,
        path: str | os.PathLike[str] | None = None,
        *,
        changes_only: bool = False,
        context: int | None = None,
        title: str | None = None,
        paper: str = "a4",
    ) -> bytes:
        """A report of OLD against NEW (html, md, json, docx or pdf) as ``export`` writes it;
        written to PATH too when given."""
        from drafttrack.export import ExportOptions
        from drafttrack.service.reports import version_report

        options = ExportOptions(
            changes_only=changes_only, context=context, title=title, paper=paper
        )
        data = version_report(self.store, doc, str(old), str(new), fmt, options)
        if path is not None:
            from drafttrack.service.reports import write_atomically

            write_atomically(Path(path), data)
        return data


def open_store(path: str | os.PathLike[str], *, create: bool = False) -> DraftStore:
    """The store at PATH (``create``: make an empty one there first, as ``init`` does)."""
    return DraftStore(Store.init(path) if create else Store.open(path))
