"""``drafttrack report``: news reports as evidence — add, list, show, remove."""

from __future__ import annotations

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.cli.store_cmds import echo_json, read_input
from drafttrack.service.evidence import (
    ReportOptions,
    add_report_received,
    fetch_report,
    remove_report_ref,
)
from drafttrack.service.evidence_view import report_json, reports_json
from drafttrack.service.versions import Received


@cli.group()
def report() -> None:
    """News reports about a document, each sentence linked to the clauses it vouches for."""


@report.command("add")
@click.argument("doc")
@click.argument("file", required=False)
@click.option("--from-url", "from_url", metavar="URL", help="Fetch the report from URL.")
@click.option("--outlet", help="Who published the report.")
@click.option("--url", help="The report's URL (http or https).")
@click.option("--published-on", metavar="DATE", help="When it was published (YYYY-MM-DD).")
@click.option("--language", help="Its language (ISO 639-1; detected when absent).")
@click.option(
    "--relays", multiple=True, metavar="REPORT", help="A report this one relays or translates."
)
@click.option("--machine-translated", is_flag=True, help="The report is a machine translation.")
@click.option("--translator", metavar="NAME", help="Who or what translated it (e.g. DeepL).")
@click.option("--note", help="A note on the report.")
@click.option("--any-doc", is_flag=True, help="Link it to the clauses of every document.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as linked (JSON).")
@pass_store
def report_add(
    store_path: StorePath,
    doc: str,
    file: str | None,
    from_url: str | None,
    outlet: str | None,
    url: str | None,
    published_on: str | None,
    language: str | None,
    relays: tuple[str, ...],
    machine_translated: bool,
    translator: str | None,
    note: str | None,
    any_doc: bool,
    as_json: bool,
) -> None:
    """Record FILE (- for stdin; or the page at --from-url; or nothing, for a report known
    only through those relaying it) as a report on DOC; prints its id and what it links."""
    if file and from_url:
        raise click.UsageError("give FILE or --from-url, not both")
    options = ReportOptions(
        outlet=outlet, url=url or from_url, published_on=published_on, language=language,
        relays=relays, machine_translated=machine_translated, translator=translator,
        note=note, any_doc=any_doc,
    )  # fmt: skip
    received: Received | None = None
    if from_url:
        received = fetch_report(from_url)
    elif file:
        data, name = read_input(file)
        received = Received(data, name, record_name=name != "-")
    with store_path.open() as store:
        record, _commit = add_report_received(store, doc, received, options)
        shown = report_json(store, doc, str(record["id"]))
    if as_json:
        echo_json(shown)
        return
    click.echo(record["id"])
    sentences = shown["sentences"]
    linked = sum(any(k["kind"] != "mentions" for k in s["links"]) for s in sentences)
    unmatched = sum(s["claim_unmatched"] for s in sentences)
    click.echo(
        f"{len(sentences)} sentences, {linked} linked to clauses, {unmatched} reported wording "
        "not in any stored version",
        err=True,
    )


@report.command("list")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_store
def report_list(store_path: StorePath, doc: str, as_json: bool) -> None:
    """The reports on DOC, with their relay chains and what they link."""
    with store_path.open() as store:
        data = reports_json(store, doc)
    if as_json:
        echo_json(data)
        return
    for r in data["reports"]:
        when = r["published_on"] or "undated"
        click.echo(
            f"{r['id']}  {when}  {r['chain_text']}  [{r['language']}]  "
            f"{r['linked']}/{r['sentences']} sentences linked, "
            f"{r['claims_unmatched']} not in any stored version"
        )
    if data["unmatched_claims"]:
        click.echo("\nreported wording not in any stored version:")
        for claim in data["unmatched_claims"]:
            click.echo(f"  {claim['report']} #{claim['index']}: {claim['text']}")


@report.command("show")
@click.argument("doc")
@click.argument("report_ref", metavar="REPORT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's shape).")
@pass_store
def report_show(store_path: StorePath, doc: str, report_ref: str, as_json: bool) -> None:
    """REPORT (id, or outlet when unique) of DOC, sentence by sentence with the clauses each
    quotes or paraphrases."""
    with store_path.open() as store:
        data = report_json(store, doc, report_ref)
    if as_json:
        echo_json(data)
        return
    meta = data["report"]
    click.echo(f"{meta['id']}: {data['chain_text']}")
    if meta["published_on"] or meta["url"]:
        click.echo(" ".join(x for x in (meta["published_on"], meta["url"]) if x))
    for s in data["sentences"]:
        if s["boilerplate"]:
            continue
        mark = "!" if s["claim_unmatched"] else ("*" if s["links"] else " ")
        click.echo(f"{mark} [{s['index']}] {s['text']}")
        for link in s["links"]:
            where = link["number"] or link["key"]
            click.echo(
                f"      {link['kind']} {where} ({link['score']:.2f}): {link['text']}\n"
                f"        in: {', '.join(link['versions'])}"
                + (f"; lacking: {', '.join(link['lacking'])}" if link["lacking"] else "")
            )
        if s["claim_unmatched"]:
            click.echo("      reported wording not in any stored version")
    for link in data["inherited"]:
        how = "through a translation" if link["through_translation"] else "relayed"
        click.echo(f"  via {link['from']} ({how}): {link['number'] or link['key']}: "
                   f"{link['sentence']}")  # fmt: skip


@report.command("remove")
@click.argument("doc")
@click.argument("report_ref", metavar="REPORT")
@pass_store
def report_remove(store_path: StorePath, doc: str, report_ref: str) -> None:
    """Remove REPORT from DOC (one commit; history keeps it)."""
    with store_path.open() as store:
        record, commit = remove_report_ref(store, doc, report_ref)
    click.echo(f"removed report {record['id']} in {commit[:12]}")
