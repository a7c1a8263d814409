"""How a version's source is said, in one place: the terminal, the pages, the feeds, the trace
and the reports all word it through these functions (from a contract Version object, or a
version's provenance: both carry ``source``, ``reported_on``, ``drafted_on``, ``completeness``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNKNOWN_SOURCE = "unknown source"

KIND_WORDS = {
    "unchanged": "unchanged", "modified": "reworded", "added": "added", "removed": "removed",
    "split": "split", "merged": "merged",
}  # fmt: skip
"""How a change's kind is said to a reader (the terminal, pages, exports): "modified" reads
"reworded"."""


def kind_word(kind: str) -> str:
    """A change kind as a reader sees it ("reworded" for ``modified``; others as they are)."""
    return KIND_WORDS.get(kind, kind)


def outlet_chain(source: Mapping[str, Any] | None, unknown: str = UNKNOWN_SOURCE) -> str:
    """ "Politico via RBK-Ukraine, Ukraine-Nachrichten": the outlet and the relays."""
    source = source or {}
    text = str(source.get("outlet") or unknown)
    if source.get("via"):
        text += " via " + ", ".join(source["via"])
    return text


def source_line(version: Mapping[str, Any]) -> str:
    """ "Outlet via A, B, reported 2026-01-07" (``log``, ``quote``)."""
    text = outlet_chain(version.get("source"))
    if version.get("reported_on"):
        text += f", reported {version['reported_on']}"
    return text


def timeline_source(version: Mapping[str, Any]) -> str:
    """A trace timeline's source: reported date (else drafted date) and "[partial text]"."""
    text = outlet_chain(version.get("source"))
    if version.get("reported_on"):
        text += f", reported {version['reported_on']}"
    elif version.get("drafted_on"):
        text += f", drafted {version['drafted_on']}"
    if (version.get("completeness") or "full") != "full":
        text += f" [{version['completeness']} text]"
    return text


def event_source(version: Mapping[str, Any]) -> str:
    """A trace event's source: outlet and relays, reported and drafted dates."""
    text = outlet_chain(version.get("source"))
    if version.get("reported_on"):
        text += f", reported {version['reported_on']}"
    if version.get("drafted_on"):
        text += f", drafted {version['drafted_on']}"
    return text


def report_source(version: Mapping[str, Any]) -> str:
    """A report's version line: "Politico via A; reported 2026-01-07; partial text; URL"."""
    source = version.get("source") or {}
    parts = [outlet_chain(source)]
    if version.get("reported_on"):
        parts.append(f"reported {version['reported_on']}")
    if version.get("drafted_on"):
        parts.append(f"drafted {version['drafted_on']}")
    if version.get("completeness") and version["completeness"] != "full":
        parts.append(f"{version['completeness']} text")
    if source.get("url"):
        parts.append(source["url"])
    return "; ".join(parts)


def also_reported(entry: Mapping[str, Any]) -> str:
    """ "BBC via AFP, reported 2026-01-08": another outlet's report of a version."""
    text = outlet_chain(entry, unknown="")
    if entry.get("reported_on"):
        text += f", reported {entry['reported_on']}"
    return text
