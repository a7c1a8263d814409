"""Plain-text renderings of trace, history and search results (the JSON contract objects).

A trace is a compact timeline: one line a version with its state and source (outlet, relays,
reported date), and under a version where something happened, the event with its word-level
change (``[-deleted-]{+inserted+}``).
"""

from __future__ import annotations

from typing import Any

from drafttrack.worddiff import word_diff
from drafttrack.wording import timeline_source

MARKS = {"present": "●", "reworded": "◐", "unknown": "?", "absent": "·"}
EXCERPT = 160


def describe(version: dict[str, Any]) -> str:
    """ "Outlet via A, B, reported 2026-01-07" for a contract Version object."""
    return timeline_source(version)


def words_text(ops: list[dict[str, str]]) -> str:
    """Word operations as ``[-old-]{+new+}`` inline marks."""
    out = []
    for op in ops:
        if op["op"] == "equal":
            out.append(op["text"])
        elif op["op"] == "delete":
            out.append(f"[-{op['text']}-]")
        else:
            out.append(f"{{+{op['text']}+}}")
    return "".join(out)


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _where(clause: dict[str, Any]) -> str:
    parts = [p for p in clause.get("path", []) if p][-1:]
    if clause.get("number"):
        parts.append(str(clause["number"]))
    return " › ".join(parts)


def _change(event: dict[str, Any]) -> str:
    before = " ".join(c["text"] for c in event["before"])
    after = " ".join(c["text"] for c in event["after"])
    if before and after and before != after:
        return words_text([op.to_json() for op in word_diff(before, after)])
    return _excerpt(after or before)


def render_trace(result: dict[str, Any]) -> str:
    """The compact timeline of a ``trace`` result."""
    lines = [f'{result["document"]}: "{result["query"]}"']
    events: dict[str, list[dict[str, Any]]] = {}
    for event in result["events"]:
        events.setdefault(event["version"]["id"], []).append(event)
    width = max((len(str(t["version"]["label"])) for t in result["timeline"]), default=5)
    for entry in result["timeline"]:
        v = entry["version"]
        state = entry["state"]
        near = f" ~{entry['match']:.0%}" if entry.get("match") not in (None, 0.0, 1.0) else ""
        lines.append(
            f"{v['position']:>4}. {v['label']:<{width}}  {MARKS[state]} {state:<8}{near}  "
            f"{describe(v)}"
        )
        for event in events.get(v["id"], []):
            clauses = event["after"] or event["before"]
            where = _where(clauses[0]) if clauses else ""
            lines.append(f"        {event['type']}: {where}: {_change(event)}")
    lines.append(
        f"first seen: {result['first_seen'] or '-'}; last seen: {result['last_seen'] or '-'}; "
        + (
            f"gone in: {result['gone_in']} ({result['gone_how']})"
            if result["gone_in"]
            else ("still there" if result["last_seen"] else "never found")
        )
    )
    if any(t["state"] == "unknown" for t in result["timeline"]):
        lines.append("? unknown: a partial text without the clause (it proves no absence)")
    return "\n".join(lines)


def render_history(result: dict[str, Any]) -> str:
    """One clause through every version, with word changes."""
    lines = [f"{result['document']}: clause {result['key']} ({result['query']})"]
    for row in result["versions"]:
        v = row["version"]
        head = f"{v['position']:>4}. {v['label']}  {MARKS[row['state']]} {row['state']}"
        lines.append(f"{head}  {describe(v)}")
        if row["words"]:
            lines.append(f"        {words_text(row['words'])}")
        elif row["clauses"]:
            where = _where(row["clauses"][0])
            text = " ".join(c["text"] for c in row["clauses"])
            lines.append(f"        {where}: {text}" if where else f"        {text}")
    return "\n".join(lines)


def render_search(result: dict[str, Any]) -> str:
    """Search hits, best first: document, clause, versions."""
    if not result["matches"]:
        return f'no clause holds "{result["query"]}"'
    lines = []
    for m in result["matches"]:
        score = f"{m['score']:.0%} " if result.get("fuzzy") else ""
        where = " › ".join([*m["path"][-1:], *([m["number"]] if m["number"] else [])])
        versions = ", ".join(m["versions"][:6]) + (" …" if len(m["versions"]) > 6 else "")
        lines.append(f"{score}{m['document']} {m['key']} {where}")
        lines.append(f"    {_excerpt(m['text'])}")
        lines.append(f"    in: {versions}")
    return "\n".join(lines)
