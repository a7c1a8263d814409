"""``drafttrack serve``: the viewer, served by waitress (a production WSGI server)."""

from __future__ import annotations

import os
import threading
import webbrowser
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from drafttrack.cli import serve_log
from drafttrack.cli.base import StorePath, cli, pass_store
from repo_store import Store

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def build_app(store_path: Path, host: str, *, read_only: bool = False) -> Flask:
    """The viewer for ``store_path`` as it will listen on ``host``; unsafe setups refused."""
    from web import ConfigError, create_app, ephemeral_secret
    from web.security import is_loopback

    with Store.open(store_path):
        pass
    secret = os.environ.get("DRAFTTRACK_SECRET_KEY")
    if not secret and is_loopback(host):
        secret = ephemeral_secret()
    try:
        return create_app(store_path, SECRET_KEY=secret, BIND_HOST=host, READ_ONLY=read_only)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def run_server(
    store_path: Path,
    host: str,
    port: int,
    workers: int,
    *,
    read_only: bool = False,
    open_browser: bool = False,
    log_level: str = "warning",
    warm: Sequence[str] = (),
) -> None:
    """Serve the viewer until interrupted; optionally open it in the browser.

    Logging goes to stderr at ``log_level`` without ever blocking (see ``serve_log``). The
    pages in ``warm`` (paths) are computed once in the background as the server starts.
    """
    import waitress
    from flask.logging import default_handler

    from web.security import write_mode

    serve_log.configure(log_level, workers)
    app = build_app(store_path, host, read_only=read_only)
    app.logger.removeHandler(default_handler)  # Flask's writes to stderr directly (blocking)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    writes = {
        "open": "writes from this machine (CSRF-protected forms)",
        "token": "writes need the operator's write token",
        "off": "read-only",
    }[write_mode(app)]
    click.echo(f"drafttrack viewer: {url}  (store {store_path}; {writes}; {workers} workers)")
    if open_browser:
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    from web.views import export_formats

    # Load the report libraries (WeasyPrint takes a second or two) before the first page needs
    # the list of working formats, without delaying the start.
    threading.Thread(target=export_formats, daemon=True).start()
    if warm:
        threading.Thread(target=warm_pages, args=(app, url, warm), daemon=True).start()
    waitress.serve(app, host=host, port=port, threads=workers, ident="drafttrack", _quiet=True)


def warm_pages(app: Flask, base_url: str, paths: Sequence[str]) -> None:
    """Request ``paths`` once through ``app`` as a visitor at ``base_url`` would: the derived data
    they need (report links, clause vectors, the pages themselves) is then cached, in memory and
    in the store's cache folder, before the first visitor opens them. Best effort: a page that
    fails is left to the visitor, who gets the same answer and error page."""
    client = app.test_client()
    for path in paths:
        try:
            client.get(path, base_url=base_url)
        except Exception:  # noqa: BLE001 - warming must never stop or disturb the server
            return


@cli.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker threads serving requests (waitress).",
)
@click.option("--read-only", is_flag=True, help="Refuse all writes (forms hidden).")
@click.option("--follow", metavar="REMOTE", help="A read-only replica: keep pulling REMOTE.")
@click.option("--every", default="60s", show_default=True, help="How often --follow pulls.")
@click.option(
    "--log-level",
    type=click.Choice(serve_log.LEVELS),
    default="warning",
    show_default=True,
    help="Least severe log lines written to stderr (errors are always written).",
)
@pass_store
def serve(
    store_path: StorePath,
    host: str,
    port: int,
    workers: int,
    read_only: bool,
    follow: str | None,
    every: str,
    log_level: str,
) -> None:
    """Serve the viewer for --store (read-only beyond loopback unless a write token is set).

    Beyond 127.0.0.1, writes need DRAFTTRACK_WRITE_TOKEN and DRAFTTRACK_SECRET_KEY.
    """
    if follow:
        from drafttrack.cli.remote_cmds import parse_every, start_follower

        start_follower(store_path.path, follow, parse_every(every))
        read_only = True
    run_server(store_path.path, host, port, workers, read_only=read_only, log_level=log_level)
