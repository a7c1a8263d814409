"""``drafttrack watch …``: watch official sources, each real change recorded as a version."""

from __future__ import annotations

import json
import re
import signal
import threading

import click

from drafttrack.cli.base import StorePath, cli, pass_store
from drafttrack.service.watching import (
    DEFAULT_EVERY_S,
    KINDS,
    MIN_HOST_GAP_S,
    Watch,
    WatchError,
    Watching,
)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> int:
    """``90s``, ``15m``, ``1h``, ``2d`` (or plain seconds) as seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd]?)\s*", value)
    if not match:
        raise WatchError(f"--every {value!r}: use a number with s, m, h or d (e.g. 1h)")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]


@cli.group()
def watch() -> None:
    """Watch pages, documents and feeds; record every real change of their text."""


@watch.command("add")
@click.argument("doc")
@click.argument("url")
@click.option("--every", default=f"{DEFAULT_EVERY_S // 3600}h", help="Poll interval (6h).")
@click.option("--select", multiple=True, help="CSS selector of the text (several allowed).")
@click.option("--remove", multiple=True, help="CSS selector of parts to drop (several allowed).")
@click.option("--outlet", help="Outlet recorded as the source (default: the URL's host).")
@click.option("--kind", type=click.Choice(KINDS), default="auto", help="How to read the URL.")
@click.option("--label-format", help="strftime format of new versions' labels.")
@click.option("--ignore", multiple=True, help="Regular expression of text to ignore.")
@click.option("--notify", help="URL to POST a JSON summary of each substantive change to.")
@click.option(
    "--feed-into",
    type=click.Choice(["entry", "feed"]),
    default="entry",
    help="For a feed: a document per entry, or every entry into DOC.",
)
@click.option("--ignore-robots", is_flag=True, help="Fetch even where robots.txt disallows.")
@pass_store
def watch_add(store_path: StorePath, /, doc: str, url: str, **opts: object) -> None:
    """Watch URL for DOC; prints the watch id."""
    with store_path.open() as store:
        added = Watching(store).add(
            Watch(
                id="",
                document=doc,
                url=url,
                every_s=parse_every(str(opts["every"])),
                kind=str(opts["kind"]),
                select=tuple(opts["select"]),  # type: ignore[arg-type]
                remove=tuple(opts["remove"]),  # type: ignore[arg-type]
                ignore=tuple(opts["ignore"]),  # type: ignore[arg-type]
                outlet=opts["outlet"],  # type: ignore[arg-type]
                label_format=opts["label_format"],  # type: ignore[arg-type]
                notify=opts["notify"],  # type: ignore[arg-type]
                obey_robots=not opts["ignore_robots"],
                feed_into=str(opts["feed_into"]),
            )
        )
    click.echo(added.id)


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@pass_store
def watch_list(store_path: StorePath, as_json: bool) -> None:
    """List the watches with their status, last and next check."""
    with store_path.open() as store:
        entries = Watching(store).listing()
    if as_json:
        click.echo(json.dumps({"watches": entries}, ensure_ascii=False, indent=2))
        return
    for e in entries:
        click.echo(
            f"{e['id']}\t{e['status']}\t{e['document']}\t{e['url']}\t"
            f"last {e['last_check'] or '-'}\tnext {e['next_check'] or 'now'}\t"
            f"failures {e['failures']}"
        )


@watch.command("show")
@click.argument("watch_id")
@pass_store
def watch_show(store_path: StorePath, watch_id: str) -> None:
    """Show a watch's settings, state and recent failed checks."""
    with store_path.open() as store:
        watching = Watching(store)
        found = watching.get(watch_id)
        entry = next(e for e in watching.listing() if e["id"] == watch_id)
        failures = watching.failures(watch_id)[-5:]
    click.echo(json.dumps({**found.to_json(), **entry}, ensure_ascii=False, indent=2))
    for f in failures:
        click.echo(f"failed {f['fetched_at']}: {f['reason']}: {f['detail']}")


def _set_paused(store_path: StorePath, watch_id: str, paused: bool) -> None:
    with store_path.open() as store:
        Watching(store).set_paused(watch_id, paused)
    click.echo(f"{watch_id} {'paused' if paused else 'resumed'}")


@watch.command("pause")
@click.argument("watch_id")
@pass_store
def watch_pause(store_path: StorePath, watch_id: str) -> None:
    """Stop checking a watch until resumed."""
    _set_paused(store_path, watch_id, True)


@watch.command("resume")
@click.argument("watch_id")
@pass_store
def watch_resume(store_path: StorePath, watch_id: str) -> None:
    """Check a paused watch again."""
    _set_paused(store_path, watch_id, False)


@watch.command("remove")
@click.argument("watch_id")
@pass_store
def watch_remove(store_path: StorePath, watch_id: str) -> None:
    """Stop watching (the versions it recorded stay)."""
    with store_path.open() as store:
        Watching(store).remove(watch_id)
    click.echo(f"{watch_id} removed")


@watch.command("accept")
@click.argument("watch_id")
@pass_store
def watch_accept(store_path: StorePath, watch_id: str) -> None:
    """Confirm that the next, much shorter text of a watch is real; checks it next run."""
    with store_path.open() as store:
        Watching(store).accept(watch_id)
    click.echo(f"{watch_id}: the next capture may be short")


@watch.command("reextract")
@click.argument("doc")
@pass_store
def watch_reextract(store_path: StorePath, doc: str) -> None:
    """Re-read DOC's archived captures with the watches' current rules (technical versions)."""
    with store_path.open() as store:
        made = Watching(store).reextract(doc)
    for version in made:
        click.echo(f"{version.id}\t{version.label}\ttechnical")
    if not made:
        click.echo("no text changed")


@watch.command("run")
@click.option("--once", is_flag=True, help="Check what is due, then exit (for cron).")
@click.option(
    "--gap",
    type=click.FloatRange(min=0.0),
    default=MIN_HOST_GAP_S,
    show_default=True,
    help="Minimum seconds between two requests to one host.",
)
@pass_store
def watch_run(store_path: StorePath, once: bool, gap: float) -> None:
    """Check the watches that are due; without --once, loop until stopped (SIGTERM: finish
    the current fetch, then exit)."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while True:
            with store_path.open() as store:
                watching = Watching(store, min_gap_s=gap)
                for report in watching.run_due(stop):
                    line = f"{report.watch}\t{report.outcome}"
                    if report.version:
                        line += f"\t{report.version}"
                    if report.reason:
                        line += f"\t{report.reason}: {report.detail}"
                    click.echo(line)
                due = watching.next_due()
                wait = 60.0 if due is None else due - watching.clock.now()
            if once or stop.wait(max(1.0, min(wait, 300.0))):
                return
    finally:
        signal.signal(signal.SIGTERM, previous)
