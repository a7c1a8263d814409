"""Record what drafttrack shows (CLI text and JSON, viewer pages, API responses) into a folder,
so that a refactoring can be checked byte for byte with ``diff -r BEFORE AFTER``.

    python bench/record_outputs.py OUT --stores DIR --work DIR

``--stores``: where the two stores are kept between runs (built on the first run, reused after,
so that version ids stay the same): the demo store (loaded through ``drafttrack add``, the way
``tests/conftest.py`` loads it) and a generated store of 200 versions of ~2,000 words (the
``bench_trace.py --quick`` history, loaded through ``drafttrack import``). ``--work``: a fixed
folder the stores are copied into for each run (wiped first), so that recorded paths match.

Recorded for each store: ``docs``, ``log``, ``show``, ``diff`` (every format and flag),
``trace``, ``history``, ``search``, ``quote`` and ``export`` (md, json, html) in text and JSON;
the viewer's pages, reports, feeds and API answers through the Flask test client; error cases
(exit code and message, HTTP status and body). Writes are recorded on a fresh copy with a fixed
clock (``DRAFTTRACK_NOW``) and new version ids and commits masked: ``add`` from the CLI, the
upload form, ``import`` of a folder with a manifest, and the demo store builder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
NOW = "2026-01-01T00:00:00Z"

os.environ["DRAFTTRACK_NOW"] = NOW
os.environ["DRAFTTRACK_AUTHOR_NAME"] = "drafttrack recorder"
os.environ["DRAFTTRACK_AUTHOR_EMAIL"] = "recorder@drafttrack.invalid"
os.environ.pop("DRAFTTRACK_STORE", None)

from click.testing import CliRunner  # noqa: E402

from drafttrack.cli import main as cli_main  # noqa: E402

DEMO_PHRASES = ["support the force", "Koordinierungsgruppe", "Article", "shall"]
DEMO_QUOTES = [
    "the parties will support the force",
    "Die Koordinierungsgruppe tagt",
    "l'accord de paix",
]
MULTI_PHRASE = "annual review of every transfer of personal data"


def run(*args: str | Path, input: bytes | None = None) -> tuple[int, bytes, bytes]:
    """``drafttrack ARGS`` in this process: exit code, stdout, stderr."""
    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        code = cli_main([str(a) for a in args])
        return code, streams[0].getvalue(), streams[1].getvalue()


class Recorder:
    """Writes one file per recorded output under ``out``."""

    def __init__(self, out: Path, masks: dict[str, str] | None = None) -> None:
        self.out = out
        self.count = 0
        self.masks = masks or {}

    def mask(self, data: bytes) -> bytes:
        for old, new in self.masks.items():
            data = data.replace(old.encode(), new.encode())
        token = b'name="csrf_token" value="<CSRF>"'
        data = re.sub(rb'name="csrf_token" value="[^"]+"', token, data)
        return data

    def put(self, name: str, data: bytes) -> None:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.mask(data))
        self.count += 1

    def cli(self, name: str, store: Path, *args: str, input: bytes | None = None) -> bytes:
        code, out, err = run("--store", store, *args, input=input)
        self.put(name, f"exit {code}\n--- stdout\n".encode() + out + b"\n--- stderr\n" + err)
        return out

    def page(self, name: str, client: Any, url: str, **kw: Any) -> Any:
        response = client.get(url, **kw)
        head = f"GET {url}\nstatus {response.status_code}\ntype {response.mimetype}\n"
        for key in ("Location", "Content-Disposition"):
            if key in response.headers:
                head += f"{key}: {response.headers[key]}\n"
        self.put(name, head.encode() + b"---\n" + response.get_data())
        return response


def safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:60]


def build_stores(folder: Path) -> None:
    """The demo store (through ``drafttrack add``) and the 200-version generated store."""
    folder.mkdir(parents=True, exist_ok=True)
    demo = folder / "demo"
    if not demo.exists():
        from tests.conftest import load_demo, run_cli  # the tests' loader: one copy

        assert run("--store", demo, "init")[0] == 0
        load_demo(run_cli, demo)
    multi = folder / "multi"
    if not multi.exists():
        from bench_trace import history

        texts = folder / "multi-texts"
        texts.mkdir(exist_ok=True)
        for n, text in enumerate(history(2_000, 200, seed=2_200), 1):
            (texts / f"{n:05d}.md").write_text(text, "utf-8")
        assert run("--store", multi, "init")[0] == 0
        code, _, err = run("--store", multi, "import", "many", texts, "--title", "Many versions")
        assert code == 0, err


def versions_of(store: Path, doc: str) -> list[dict[str, Any]]:
    code, out, err = run("--store", store, "log", doc, "--json")
    assert code == 0, err
    return json.loads(out)["versions"]  # type: ignore[no-any-return]


def record_reads(rec: Recorder, store: Path, docs: dict[str, dict[str, Any]]) -> None:
    """Every read-only output of the CLI and the viewer over ``store``."""
    from web import create_app

    rec.cli("cli/docs.txt", store, "docs")
    rec.cli("cli/docs.json", store, "docs", "--json")
    app = create_app(store, {"TESTING": True, "SECRET_KEY": "recorder"})
    client = app.test_client()
    rec.page("web/index.html", client, "/")
    rec.page("web/feed.atom", client, "/feed.atom")
    rec.page("api/docs.json", client, "/api/docs")
    for doc, plan in docs.items():
        vs = versions_of(store, doc)
        ids = [v["id"] for v in vs]
        d = f"{doc}"
        rec.cli(f"cli/{d}/log.txt", store, "log", doc)
        rec.cli(f"cli/{d}/log.json", store, "log", doc, "--json")
        for i in plan["show"]:
            rec.cli(f"cli/{d}/show-{i}.txt", store, "show", doc, ids[i])
        rec.cli(f"cli/{d}/diff-default.txt", store, "diff", doc, "--no-color")
        for a, b in plan["pairs"]:
            old, new = ids[a], ids[b]
            p = f"{a}-{b}"
            for fmt in ("text", "json", "md", "html"):
                rec.cli(f"cli/{d}/diff-{p}.{fmt}", store, "diff", doc, old, new, "--format", fmt)
                for flag in ("--substantive-only", "--changes-only"):
                    rec.cli(
                        f"cli/{d}/diff-{p}{flag}.{fmt}",
                        store,
                        "diff",
                        doc,
                        old,
                        new,
                        "--format",
                        fmt,
                        flag,
                    )
            for fmt in ("md", "json", "html"):
                rec.cli(
                    f"cli/{d}/export-{p}.{fmt}",
                    store,
                    "export",
                    doc,
                    old,
                    new,
                    "--format",
                    fmt,
                    "-o",
                    "-",
                )
                rec.cli(
                    f"cli/{d}/export-{p}-ctx1.{fmt}",
                    store,
                    "export",
                    doc,
                    old,
                    new,
                    "--format",
                    fmt,
                    "-o",
                    "-",
                    "--context",
                    "1",
                    "--title",
                    "Ü „t“",
                )
                rec.page(f"web/{d}/export-{p}.{fmt}", client, f"/d/{doc}/export/{old}/{new}.{fmt}")
            base = f"/d/{doc}/compare/{old}/{new}"
            rec.page(f"web/{d}/compare-{p}.html", client, base)
            rec.page(f"web/{d}/compare-{p}-inline.html", client, base + "?view=inline")
            rec.page(
                f"web/{d}/compare-{p}-only.html", client, base + "?changes=only&editorial=hide"
            )
            rec.page(f"api/{d}/diff-{p}.json", client, f"/api/d/{doc}/diff/{old}/{new}")
        rec.page(f"web/{d}/compare-pick.txt", client, f"/d/{doc}/compare?new=latest")
        rec.page(f"web/{d}/document.html", client, f"/d/{doc}")
        rec.page(f"web/{d}/feed.atom", client, f"/d/{doc}/feed.atom")
        rec.page(f"api/{d}/log.json", client, f"/api/d/{doc}/log")
        for i in plan["show"]:
            rec.page(f"web/{d}/version-{i}.html", client, f"/d/{doc}/v/{ids[i]}")
        rec.page(f"web/{d}/version-latest-redirect.txt", client, f"/d/{doc}/v/latest")
        for phrase in plan["phrases"]:
            s = safe(phrase)
            rec.cli(f"cli/{d}/trace-{s}.txt", store, "trace", doc, phrase)
            rec.cli(f"cli/{d}/trace-{s}.json", store, "trace", doc, phrase, "--json")
            rec.cli(
                f"cli/{d}/trace-{s}-fuzzy.json", store, "trace", doc, phrase, "--json", "--fuzzy"
            )
            q = urllib.parse.quote(phrase)
            rec.page(f"web/{d}/trace-{s}.html", client, f"/d/{doc}/trace?q={q}")
            rec.page(f"api/{d}/trace-{s}.json", client, f"/api/d/{doc}/trace?q={q}")
        trace = json.loads(
            rec.cli(f"cli/{d}/trace-keys.json", store, "trace", doc, plan["phrases"][0], "--json")
        )
        keys = sorted({c["key"] for t in trace["timeline"] for c in t["clauses"]})[:3]
        for key in keys:
            rec.cli(f"cli/{d}/history-{key}.txt", store, "history", doc, key)
            rec.cli(f"cli/{d}/history-{key}.json", store, "history", doc, key, "--json")
            rec.page(f"web/{d}/history-{key}.html", client, f"/d/{doc}/history/{key}")
        long = "x" * 600
        rec.page(f"web/{d}/trace-long.html", client, f"/d/{doc}/trace?q={long}")
        rec.page(f"api/{d}/trace-long.json", client, f"/api/d/{doc}/trace?q={long}")
        rec.page(f"api/{d}/trace-empty.json", client, f"/api/d/{doc}/trace?q=")
        rec.cli(f"cli/{d}/err-unknown-ref.txt", store, "diff", doc, "nope", "latest")
        rec.cli(f"cli/{d}/err-first.txt", store, "diff", doc, "first", "first")
        rec.cli(f"cli/{d}/err-no-earlier.txt", store, "diff", doc, "x", "first")
        rec.page(f"web/{d}/err-unknown-ref.html", client, f"/d/{doc}/compare/nope/latest")
        rec.page(f"api/{d}/err-unknown-ref.json", client, f"/api/d/{doc}/diff/nope/latest")
    for phrase in ("shall", "Koordinierungsgruppe", MULTI_PHRASE):
        s = safe(phrase)
        rec.cli(f"cli/search-{s}.txt", store, "search", phrase)
        rec.cli(f"cli/search-{s}.json", store, "search", phrase, "--json")
        rec.cli(f"cli/search-{s}-fuzzy.json", store, "search", phrase, "--json", "--fuzzy")
    quotes = DEMO_QUOTES + [MULTI_PHRASE]
    for quote in quotes:
        s = safe(quote)
        rec.cli(f"cli/quote-{s}.txt", store, "quote", quote)
        rec.cli(f"cli/quote-{s}.json", store, "quote", quote, "--json", "--top", "3")
        q = urllib.parse.quote(quote)
        rec.page(f"web/quote-{s}.html", client, f"/quote?q={q}")
        rec.page(f"api/quote-{s}.json", client, f"/api/quote?q={q}&top=3")
    rec.cli("cli/quote-stdin.jsonl", store, "quote", "-", input="\n".join(quotes).encode())
    first_doc = next(iter(docs))
    rec.cli("cli/quote-doc.json", store, "quote", quotes[0], "--doc", first_doc, "--json")
    rec.page("web/quote-top-99.html", client, "/quote?q=shall&top=99")
    rec.page("api/quote-top-99.json", client, "/api/quote?q=shall&top=99")
    rec.page("web/quote-top-x.html", client, "/quote?q=shall&top=x")
    rec.page("api/quote-top-x.json", client, "/api/quote?q=shall&top=x")
    rec.page("api/quote-long.json", client, "/api/quote?q=" + "word " * 300)
    rec.page("web/quote-box.html", client, "/quote")
    rec.page("web/err-unknown-doc.html", client, "/d/nope")
    rec.page("api/err-unknown-doc.json", client, "/api/d/nope/log")
    rec.cli("cli/err-unknown-doc.txt", store, "log", "nope")
    rec.cli("cli/err-bad-slug.txt", store, "log", "../x")
    rec.cli("cli/err-quote-empty.txt", store, "quote", " ")


def ids_masks(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, str]:
    """New version ids mapped to stable names (by label)."""
    old = {v["id"] for v in before}
    return {v["id"]: f"<id:{v['label']}>" for v in after if v["id"] not in old}


def record_writes(rec: Recorder, store: Path, doc: str, work: Path) -> None:
    """``add`` (CLI and form), ``source add``, ``import`` and the demo builder, masked."""
    from web import create_app

    before = versions_of(store, doc)
    new_text = work / "neu-fassung.md"
    new_text.write_text("# Neue Fassung\n\nDie Parteien „unterstützen“ die Truppe.\n", "utf-8")
    code, out, err = run(
        "--store",
        store,
        "add",
        doc,
        new_text,
        "--label",
        "rec-cli",
        "--source",
        "Le Monde",
        "--via",
        "AFP",
        "--reported-on",
        "2026-01-02",
        "--after",
        "first",
        "--json",
    )
    after = versions_of(store, doc)
    rec.masks.update(ids_masks(before, after))
    data = json.loads(out) if code == 0 else {}
    if data:
        rec.masks[data["commit"]] = "<commit:rec-cli>"
    rec.put("writes/add-cli.txt", f"exit {code}\n".encode() + out + b"---\n" + err)
    bad = work / "binary.md"
    bad.write_bytes(b"\x00\x01\x02")
    rec.cli("writes/add-binary.txt", store, "add", doc, bad)
    rec.cli("writes/add-empty.txt", store, "add", doc, "-", input=b"  \n")
    rec.cli("writes/add-bad-date.txt", store, "add", doc, new_text, "--reported-on", "2026-13-01")
    rec.cli("writes/add-dup-label.txt", store, "add", doc, new_text, "--label", "rec-cli")
    code, out, err = run("--store", store, "add", doc, new_text, "--label", "rec-cli-2")
    rec.masks.update(ids_masks(after, versions_of(store, doc)))
    rec.put("writes/add-identical.txt", f"exit {code}\n".encode() + out + b"---\n" + err)
    rec.cli("writes/source-add.txt", store, "source", "add", doc, "rec-cli", "--outlet", "BBC")
    app = create_app(store, {"TESTING": True, "SECRET_KEY": "recorder"})
    client = app.test_client()
    form = client.get(f"/d/{doc}/add")
    rec.put("writes/form.html", form.get_data())
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.get_data(as_text=True))
    assert token
    fields = {
        "csrf_token": token.group(1),
        "label": "rec-form",
        "outlet": "Kyiv Post",
        "via": "Reuters\nAP",
        "reported_on": "2026-01-03",
        "placement": "end",
        "text": "# Форма\n\nСторони «підтримують» сили.\n",
    }
    before = versions_of(store, doc)
    response = client.post(f"/d/{doc}/add", data=fields)
    rec.masks.update(ids_masks(before, versions_of(store, doc)))
    rec.put(
        "writes/form-post.txt",
        f"{response.status_code} {response.headers.get('Location')}".encode(),
    )
    for name, extra in {
        "form-bad-date": {"reported_on": "yesterday", "label": "x1"},
        "form-dup-label": {"label": "rec-form"},
        "form-no-text": {"text": "", "label": "x2"},
        "form-no-ref": {"placement": "before", "label": "x3"},
    }.items():
        response = client.post(f"/d/{doc}/add", data={**fields, **extra})
        rec.put(f"writes/{name}.html", f"{response.status_code}\n".encode() + response.get_data())
    log = run("--store", store, "log", doc, "--json")[1]
    rec.put("writes/log-after.json", log)
    rec.cli("writes/log-after.txt", store, "log", doc)
    # import of a folder with a manifest into a fresh store
    folder = work / "import-folder"
    folder.mkdir()
    entries = []
    for n, (label, text) in enumerate([("a", "# A\n\nErster Satz.\n"), ("b", "# A\n\nZweiter.\n")]):
        (folder / f"{label}.md").write_text(text, "utf-8")
        entries.append(
            {
                "file": f"{label}.md",
                "label": label,
                "position": 2 - n,
                "source": {"outlet": "Spiegel", "via": ["dpa"]},
                "reported_on": "2026-01-0" + str(n + 1),
                "completeness": "full",
            }
        )
    (folder / "manifest.json").write_text(json.dumps({"title": "Import", "versions": entries}))
    fresh = work / "import-store"
    run("--store", fresh, "init")
    code, out, err = run("--store", fresh, "import", "imp", folder, "--json")
    imported = versions_of(fresh, "imp")
    rec.masks.update({v["id"]: f"<id:imp:{v['label']}>" for v in imported})
    if code == 0:
        rec.masks[json.loads(out)["commit"]] = "<commit:import>"
    rec.put("writes/import.txt", f"exit {code}\n".encode() + out + b"---\n" + err)
    rec.put("writes/import-log.json", run("--store", fresh, "log", "imp", "--json")[1])
    (folder / "manifest.json").write_text(json.dumps([{"file": "zz.md"}]))
    rec.cli("writes/import-missing-file.txt", fresh, "import", "imp2", folder)
    # the demo builder
    try:
        from drafttrack.service.demo import build_demo_store
    except ImportError:  # before the service layer
        from drafttrack.cli.demo_cmd import build_demo_store  # type: ignore[no-redef]
    built = work / "built-demo"
    build_demo_store(built).close()
    for slug in ("paris-declaration", "koordinierungsgruppe"):
        vs = versions_of(built, slug)
        rec.masks.update({v["id"]: f"<id:demo:{slug}:{v['label']}>" for v in vs})
        rec.put(f"writes/demo-{slug}-log.json", run("--store", built, "log", slug, "--json")[1])
        rec.put(f"writes/demo-{slug}-log.txt", run("--store", built, "log", slug)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the recordings into (wiped)")
    parser.add_argument("--stores", type=Path, required=True, help="where the stores are kept")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (wiped)")
    args = parser.parse_args()
    build_stores(args.stores)
    for folder in (args.out, args.work):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for name in ("demo", "multi"):
        shutil.copytree(args.stores / name, args.work / name)
    rec = Recorder(args.out / "demo")
    demo_docs = {
        "paris-declaration": {
            "show": [0, 2],
            "pairs": [(0, 1), (1, 2), (0, 2)],
            "phrases": DEMO_PHRASES[:1] + DEMO_PHRASES[2:],
        },
        "koordinierungsgruppe": {
            "show": [0, 1],
            "pairs": [(0, 1)],
            "phrases": DEMO_PHRASES[1:2] + DEMO_PHRASES[3:],
        },
    }
    record_reads(rec, args.work / "demo", demo_docs)
    multi = Recorder(args.out / "multi")
    multi_docs = {
        "many": {
            "show": [0, 199],
            "pairs": [(0, 1), (98, 99), (119, 120), (0, 199)],
            "phrases": [MULTI_PHRASE, "personal data"],
        }
    }
    record_reads(multi, args.work / "multi", multi_docs)
    writes = Recorder(args.out / "demo")
    record_writes(writes, args.work / "demo", "paris-declaration", args.work)
    print(f"recorded {rec.count + multi.count + writes.count} outputs into {args.out}")


if __name__ == "__main__":
    main()
