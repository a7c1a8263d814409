"""``drafttrack demo``: build the sample store from the packaged demo texts."""

from __future__ import annotations

import click

from drafttrack.cli.base import cli
from drafttrack.service.demo import fresh_demo_store
from drafttrack.wording import outlet_chain


@cli.command()
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-browser", is_flag=True, help="Do not open the viewer in a browser.")
def demo(port: int, no_browser: bool) -> None:
    """Build the sample store from the demo texts and open it in the viewer."""
    from drafttrack.cli.web_cmds import run_server

    store = fresh_demo_store()
    with store:
        click.echo(f"demo store: {store.git_dir}")
        click.echo(f"try: drafttrack --store {store.git_dir} log paris-declaration")
        for doc in store.documents():
            click.echo("")
            click.echo(f"{doc.title} ({doc.slug})")
            for v in store.versions(doc.slug):
                source = outlet_chain(v.provenance.get("source"), unknown="?")
                click.echo(f"  {v.position}. {v.label}: {source}")
        click.echo("")
        pages = [f"/d/{doc.slug}" for doc in store.documents()]  # reports linked: seconds
    run_server(store.git_dir, "127.0.0.1", port, 4, open_browser=not no_browser, warm=pages)
