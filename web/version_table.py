"""The document page's version list: filtered (outlet, date range, substantive changes only;
technical re-extractions hidden unless asked for) and paginated, each row with its change
volume against the version before."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from flask import abort

from drafttrack.history_flow import Changes
from repo_store import Version

PAGE = 100
"""Rows per page: above this many versions the list is paginated."""
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(slots=True)
class Row:
    """One version in the list."""

    version: Version
    previous: Version | None
    changes: Changes | None


@dataclass(slots=True)
class Table:
    """One page of the filtered list, and what the filter form shows."""

    rows: list[Row]
    total: int
    """Rows matching the filters (all pages)."""
    page: int
    pages: int
    outlets: list[str]
    filters: dict[str, str] = field(default_factory=dict)
    technical: int = 0
    """Versions marked ``technical`` (a watch's re-extraction), hidden unless asked for."""


def outlet_of(v: Version) -> str:
    """The outlet a version came from ("" when unknown)."""
    return str((v.provenance.get("source") or {}).get("outlet") or "")


def date_of(v: Version) -> str:
    """The date a version is known by: drafted, else reported, else added ("" when none)."""
    p = v.provenance
    return str(p.get("drafted_on") or p.get("reported_on") or p.get("added_at") or "")[:10]


def _is_date(value: str) -> bool:
    """A year, year-month or full date (``2026``, ``2026-01``, ``2026-01-31``) that exists."""
    if not DATE.fullmatch(value):
        return False
    parts = [*map(int, value.split("-")), 1, 1][:3]
    try:
        dt.date(*parts)
    except ValueError:
        return False
    return True


def _filters(args: Any) -> dict[str, str]:
    out = {}
    for name in ("outlet", "from", "to"):
        value = str(args.get(name, "")).strip()
        if value:
            if name != "outlet" and not _is_date(value):
                abort(400, f"'{name}' must be a date such as 2026-01-31")
            out[name] = value[:200]
    for flag in ("substantive", "technical"):
        if args.get(flag):
            out[flag] = "1"
    return out


def is_technical(v: Version) -> bool:
    """A version recorded by re-reading an archived capture under changed rules: not a change of
    the text, so hidden from "what changed" unless asked for."""
    return bool(v.provenance.get("technical"))


def version_table(versions: list[Version], changes: list[Changes | None], args: Any) -> Table:
    """The page ``args['page']`` of ``versions`` (draft order) after the filters in ``args``."""
    filters = _filters(args)
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        abort(400, "'page' must be a number")
    rows = [
        Row(v, versions[i - 1] if i else None, changes[i] if i < len(changes) else None)
        for i, v in enumerate(versions)
    ]
    technical = sum(is_technical(v) for v in versions)
    if technical and "technical" not in filters:
        rows = [r for r in rows if not is_technical(r.version)]
    if "outlet" in filters:
        rows = [r for r in rows if outlet_of(r.version) == filters["outlet"]]
    if "from" in filters:
        rows = [r for r in rows if date_of(r.version) and date_of(r.version) >= filters["from"]]
    if "to" in filters:
        end = filters["to"] + "\uffff"  # a month or year includes its days
        rows = [r for r in rows if date_of(r.version) and date_of(r.version) <= end]
    if "substantive" in filters:
        rows = [r for r in rows if r.changes is not None and r.changes.substantive]
    pages = max(1, -(-len(rows) // PAGE))
    if not 1 <= page <= pages:
        abort(400 if page < 1 else 404, f"there is no page {page} (pages 1 to {pages})")
    outlets = sorted({outlet_of(v) for v in versions} - {""})
    chunk = rows[(page - 1) * PAGE : page * PAGE]
    return Table(chunk, len(rows), page, pages, outlets, filters, technical)
