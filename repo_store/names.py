"""Validation of the user strings that become file names or labels in the store."""

from __future__ import annotations

import re
import unicodedata

from repo_store.errors import InvalidName, InvalidValue

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_RESERVED_SLUGS = {
    "drafttrack.json",
    "readme.md",
    "head",
    "refs",
    "objects",
    "hooks",
    "info",
    "logs",
}
_RESERVED_LABELS = {"first", "latest"}
MAX_LABEL = 120
MAX_FIELD = 2000
DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
COMPLETENESS = ("full", "partial", "excerpt")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in text)


def check_slug(slug: str) -> str:
    """A document slug: lower-case letters, digits, '.', '_', '-'; safe as a path and a git name."""
    if not slug:
        raise InvalidName("document name is empty")
    if not SLUG_RE.fullmatch(slug) or ".." in slug:
        raise InvalidName(
            f"invalid document name {slug!r}: use 1-64 lower-case letters, digits, "
            "'.', '_' or '-', "
            "starting and ending with a letter or digit"
        )
    stem = slug.split(".")[0]
    if slug.endswith(".lock") or slug in _RESERVED_SLUGS or stem in _WINDOWS_RESERVED:
        raise InvalidName(f"invalid document name {slug!r}: reserved name")
    return slug


def check_label(label: str) -> str:
    """A version label: one line of printable text, not a number or a reserved word."""
    label = unicodedata.normalize("NFC", label)
    if not label.strip():
        raise InvalidName("version label is empty")
    if label != label.strip():
        raise InvalidName(f"version label {label!r} has leading or trailing white space")
    if len(label) > MAX_LABEL:
        raise InvalidName(f"version label is longer than {MAX_LABEL} characters")
    if _has_control(label):
        raise InvalidName(f"version label {label!r} contains control characters")
    if label.isdigit():
        raise InvalidName(f"version label {label!r} is a number, which would read as a position")
    if label.casefold() in _RESERVED_LABELS:
        raise InvalidName(f"version label {label!r} is a reserved word")
    return label


def check_text_field(name: str, value: str | None, *, limit: int = MAX_FIELD) -> str | None:
    """A one-line provenance field (outlet, title): no control characters, bounded length."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        return None
    if len(value) > limit:
        raise InvalidValue(f"{name} is longer than {limit} characters")
    if _has_control(value):
        raise InvalidValue(f"{name} {value[:40]!r} contains control characters")
    return value


def check_note(value: str | None) -> str | None:
    """A free-text note: may span lines, no other control characters."""
    if value is None or not value.strip():
        return None
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    if len(value) > 20_000:
        raise InvalidValue("note is longer than 20000 characters")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise InvalidValue("note contains control characters")
    return value


def check_date(name: str, value: str | None) -> str | None:
    """An ISO date: YYYY-MM-DD, or YYYY-MM / YYYY when only that much is known."""
    if value is None or value == "":
        return None
    if not DATE_RE.fullmatch(value):
        raise InvalidValue(f"{name} {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    parts = [int(p) for p in value.split("-")]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    import datetime

    try:
        datetime.date(parts[0], month, day)
    except ValueError:
        raise InvalidValue(f"{name} {value!r} is not a valid calendar date") from None
    return value


def check_url(value: str | None) -> str | None:
    """A source URL: http(s) only, one line."""
    if value is None or value == "":
        return None
    if _has_control(value) or " " in value or len(value) > 2000:
        raise InvalidValue(f"URL {value[:60]!r} contains spaces or control characters")
    lower = value.lower()
    if not (lower.startswith("http://") or lower.startswith("https://")) or len(value) < 10:
        raise InvalidValue(f"URL {value[:60]!r} is not an http(s) URL")
    return value


def check_completeness(value: str | None) -> str:
    """full | partial | excerpt (default full)."""
    if value is None:
        return "full"
    if value not in COMPLETENESS:
        raise InvalidValue(f"completeness {value!r} is not one of {', '.join(COMPLETENESS)}")
    return value


LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


def check_language(name: str, value: str | None) -> str | None:
    """A language code (``uk``, ``de``, ``pt-BR``), lower-cased; None when not given."""
    if value is None or value == "":
        return None
    if not LANGUAGE_RE.fullmatch(value):
        raise InvalidValue(f"{name} must be a language code such as uk or de, not {value!r}")
    return value.lower()
