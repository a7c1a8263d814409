"""``drafttrack demo``: build the sample store from the packaged demo texts."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import click

from drafttrack.cli.base import cli
from drafttrack.ingest import ingest
from repo_store import Store


def demo_manifest() -> dict[str, Any]:
    """The packaged manifest of demo documents and versions (in the order they were added)."""
    text = resources.files("drafttrack").joinpath("demo_data/manifest.json").read_text("utf-8")
    return json.loads(text)


def build_demo_store(path: Path) -> Store:
    """Create a store at ``path`` and add the demo versions in arrival order.

    A version that surfaced late is placed with ``before`` at its draft position, exactly as a
    user would with ``drafttrack add --before``.
    """
    store = Store.init(path)
    data_dir = resources.files("drafttrack").joinpath("demo_data")
    for doc in demo_manifest()["documents"]:
        placed: list[tuple[int, str]] = []  # (draft position, label) of versions added so far
        for entry in doc["versions_in_order_added"]:
            raw = data_dir.joinpath(entry["file"]).read_bytes()
            received = ingest(raw, entry["file"])
            later = sorted(p for p in placed if p[0] > entry["position"])
            source = entry.get("source") or {}
            store.add_version(
                doc["slug"],
                received.text,
                label=entry["label"],
                title=doc.get("title"),
                language=doc.get("language"),
                outlet=source.get("outlet"),
                via=source.get("via") or [],
                url=source.get("url"),
                reported_on=entry.get("reported_on"),
                drafted_on=entry.get("drafted_on"),
                completeness=entry.get("completeness"),
                note=entry.get("note"),
                original=raw,
                original_name=Path(entry["file"]).name,
                original_ext=received.extension,
                before=later[0][1] if later else None,
                extra={"format": received.format},
            )
            placed.append((entry["position"], entry["label"]))
    return store


def fresh_demo_store() -> Store:
    """A new demo store in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="drafttrack-demo-")) / "store"
    return build_demo_store(folder)


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
                source = v.provenance.get("source") or {}
                via = f" via {', '.join(source['via'])}" if source.get("via") else ""
                click.echo(f"  {v.position}. {v.label}: {source.get('outlet') or '?'}{via}")
        click.echo("")
    run_server(store.git_dir, "127.0.0.1", port, 4, open_browser=not no_browser)
