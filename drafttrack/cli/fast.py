"""The fast path of the command line: a warm ``trace`` answered before click, GitPython or the
engine are imported.

``answer(argv)`` handles only the plain forms (``[--store PATH] trace DOC PHRASE [--json]
[--fuzzy]``) and only when the service can answer from a current index; otherwise (any other
command or option, a stale or missing index, an output click would alter) it returns None and
the normal command line runs. What it prints is what the normal path prints, byte for byte
(``tests/test_fast_path.py`` compares the two on real stores).
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from dataclasses import dataclass, field

DEFAULT_STORE = "drafttrack-store"
"""``drafttrack.cli.base.DEFAULT_STORE`` (that module imports click)."""

FLAGS = {"trace": {"--json", "--fuzzy"}}
"""Per command, the flags the fast path understands (``--no-cache`` means a cold trace)."""


@dataclass
class Call:
    """A command line in the plain form the fast path handles."""

    store: str
    command: str
    args: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def parse(argv: list[str]) -> Call | None:
    """``argv`` as a :class:`Call`, or None for anything but the plain forms."""
    store = os.environ.get("DRAFTTRACK_STORE", DEFAULT_STORE)
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if opt == "--store" and rest:
            store = rest.pop(0)
        elif opt.startswith("--store="):
            store = opt.removeprefix("--store=")
        else:
            return None
    if not rest or rest[0] not in FLAGS:
        return None
    call = Call(store, rest.pop(0))
    for token in rest:
        if token in FLAGS[call.command]:
            call.flags.add(token)
        elif token.startswith("-"):
            return None  # --no-cache, --help, "--", a phrase starting with "-": click decides
        else:
            call.args.append(token)
    return call


def answer(argv: list[str]) -> int | None:
    """Run ``argv`` on the fast path and return the exit code, or None (nothing printed)."""
    call = parse(argv)
    if call is None or call.command != "trace" or len(call.args) != 2:
        return None
    from drafttrack.service.warm import warm_trace

    result = warm_trace(call.store, call.args[0], call.args[1], "--fuzzy" in call.flags)
    if result is None:
        return None
    if "--json" in call.flags:
        out = json.dumps(result, ensure_ascii=False, indent=2)
    else:
        from drafttrack.trace_render import render_trace

        out = render_trace(result)
    return echo(out + "\n")


def echo(out: str) -> int | None:
    """Write ``out`` as ``click.echo`` would, or None when click would change it (a stream that
    is not UTF-8, ANSI escapes it strips off a non-terminal) or there is no stdout."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    if stream is None or not encoding or "\x1b" in out:
        return None
    try:
        if codecs.lookup(encoding).name != "utf-8":
            return None
    except LookupError:
        return None
    try:
        stream.write(out)
        stream.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0
