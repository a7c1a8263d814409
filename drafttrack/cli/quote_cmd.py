"""``drafttrack quote``: which clauses, and so which versions, a reported quote comes from."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.progress import Progress
from drafttrack.cli.store_cmds import describe_source, echo_json
from drafttrack.quote import DEFAULT_TOP, EXTRA_HINT, Match, QuoteError, check_quote
from drafttrack.service.quote import MAX_TOP, quote_attributor, quote_json
from drafttrack.wording import UNKNOWN_SOURCE
from repo_store import Version


def describe(query: str, matches: Sequence[Match], versions: dict[str, list[Version]]) -> str:
    """A sentence a reporter can use, then the ranked matches with their versions' sources."""
    if not matches:
        return f"No clause matches “{query}”."
    best = matches[0]
    doc_versions = versions[best.entry.document]
    held = [v for v in doc_versions if v.label in best.entry.versions]
    lacking = [_lacking(v) for v in doc_versions if v.label not in best.entry.versions]
    where = _clause_name(best)
    if lacking:
        verb = "lacks" if len(lacking) == 1 else "lack"
        tail = f"; {_join(lacking)} {verb} it."
    else:
        tail = "; every version has it."
    lines = [
        f"“{query}” most likely quotes {where} of {best.entry.document} "
        f"({best.matcher} match, score {best.score:.2f}). This wording is in "
        f"{_join([v.label for v in held])}{tail}",
        "",
    ]
    for rank, m in enumerate(matches, 1):
        lines.append(f"{rank}. {m.score:.2f} {m.matcher:8} {m.entry.document} {_clause_name(m)}")
        lines.append(f"   {m.entry.text}")
        by_label = {v.label: v for v in versions[m.entry.document]}
        for label in m.entry.versions:
            source = describe_source(by_label[label]) if label in by_label else UNKNOWN_SOURCE
            lines.append(f"   - {label}: {source}")
    return "\n".join(lines)


def _lacking(version: Version) -> str:
    """A version without the wording; a partial text's silence proves nothing, so say so."""
    if version.completeness == "full":
        return version.label
    return f"{version.label} ({version.completeness} text)"


def _clause_name(m: Match) -> str:
    parts = [p for p in m.entry.path[1:] if p] if len(m.entry.path) > 1 else list(m.entry.path)
    if m.entry.number:
        parts.append(m.entry.number)
    return "clause " + (" › ".join(parts) if parts else m.entry.key)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _read_stdin_quotes() -> list[str]:
    data = sys.stdin.buffer.read()
    if b"\x00" in data:
        raise QuoteError("standard input is binary, not text (one quote a line expected)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise QuoteError("standard input is not UTF-8 text (one quote a line expected)") from None
    quotes = [line.strip() for line in text.splitlines() if line.strip()]
    if not quotes:
        raise QuoteError("no quote on standard input (one quote a line expected)")
    for line in quotes:
        check_quote(line)
    return quotes


@cli.command("quote")
@click.argument("text", metavar="TEXT|-")
@click.option("--doc", metavar="DOC", help="Search only this document (default: all).")
@click.option(
    "--top",
    type=click.IntRange(1, MAX_TOP),
    default=DEFAULT_TOP,
    show_default=True,
    help="How many matches to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@pass_store
def quote_cmd(store_path: StorePath, text: str, doc: str | None, top: int, as_json: bool) -> None:
    """Which clauses (and so which versions) TEXT, a quote from a report, comes from.

    The quote may be in another language than the draft, partial or with typos. With TEXT
    "-", reads one quote a line from standard input and prints one JSON object a line.
    """
    quotes = _read_stdin_quotes() if text == "-" else [check_quote(text)]
    with store_path.open() as store:
        with Progress("building the quote index", "windows") as progress:
            attributor = quote_attributor(store, doc, progress=progress)
        if attributor.semantic is None:
            click.echo(f"note: lexical matching only; {EXTRA_HINT}", err=True)
        for query in quotes:
            matches = attributor.attribute(query, top)
            if text == "-":
                click.echo(json.dumps(quote_json(query, matches), ensure_ascii=False))
            elif as_json:
                echo_json(quote_json(query, matches))
            else:
                slugs = {m.entry.document for m in matches}
                click.echo(describe(query, matches, {s: store.versions(s) for s in slugs}))
