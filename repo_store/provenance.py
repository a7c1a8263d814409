"""What a version's provenance says, and its place in the draft order, as values.

Every way of adding a version (the CLI, the upload form, the demo builder, folder import) builds
a :class:`Provenance` and a :class:`Placement`; :meth:`Provenance.checked` validates the fields
in one place before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from repo_store import names
from repo_store.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who reported a text, when, how complete it is; every field optional."""

    label: str | None = None
    outlet: str | None = None
    via: tuple[str, ...] = ()
    url: str | None = None
    reported_on: str | None = None
    drafted_on: str | None = None
    completeness: str | None = None
    note: str | None = None

    @classmethod
    def of(
        cls,
        *,
        label: str | None = None,
        outlet: str | None = None,
        via: Sequence[str] = (),
        url: str | None = None,
        reported_on: str | None = None,
        drafted_on: str | None = None,
        completeness: str | None = None,
        note: str | None = None,
    ) -> Provenance:
        """A provenance from optional fields (``via`` any sequence of outlets)."""
        return cls(label, outlet, tuple(via), url, reported_on, drafted_on, completeness, note)

    def checked(self) -> CheckedProvenance:
        """The fields validated and normalised; raises InvalidName / InvalidValue."""
        if self.label is not None:
            names.check_label(self.label)
        source = {
            "outlet": names.check_text_field("outlet", self.outlet, limit=300),
            "via": [
                v for v in (names.check_text_field("via", x, limit=300) for x in self.via) if v
            ],
            "url": names.check_url(self.url),
        }
        fields = {
            "reported_on": names.check_date("reported date", self.reported_on),
            "drafted_on": names.check_date("drafted date", self.drafted_on),
            "completeness": names.check_completeness(self.completeness),
            "note": names.check_note(self.note),
        }
        return CheckedProvenance(self.label, source, fields)


@dataclass(frozen=True, slots=True)
class CheckedProvenance:
    """A validated provenance as it is written: the label, ``source`` {outlet, via, url} and
    the other fields (reported_on, drafted_on, completeness, note)."""

    label: str | None
    source: dict[str, Any]
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new version goes in the draft order: before or after REF, else at the end."""

    before: str | None = None
    after: str | None = None

    def __post_init__(self) -> None:
        if self.before and self.after:
            raise InvalidValue("give --before or --after, not both")


@dataclass(frozen=True, slots=True)
class Original:
    """The file as received: its bytes, the name to record (None: none) and the extension to
    keep it under."""

    data: bytes | None = None
    name: str | None = None
    ext: str = "md"
