"""The fast path of the command line: warm commands answered before click, GitPython or the
engine are imported.

``answer(argv)`` handles only the plain forms: ``[--store PATH] trace DOC PHRASE [--json]
[--fuzzy]`` from a current index, and ``docs [--json]``, ``log DOC [--json]``, ``show DOC REF``
and ``diff DOC [OLD [NEW]] [--format text|json] [--substantive-only] [--changes-only]
[--no-color] [--front-matter-as-text]`` from the answers the normal path kept at this HEAD
(``drafttrack.cli.answers``). Otherwise (any other command or option, a stale or missing index
or answer, an output click would alter) it returns None and the normal command line runs. What
it prints is what the normal path prints, byte for byte (``tests/test_fast_path*.py`` compare
the two on real stores).
"""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

DEFAULT_STORE = "drafttrack-store"
"""``drafttrack.cli.base.DEFAULT_STORE`` (that module imports click)."""

DIFF_FLAGS = {"--substantive-only", "--changes-only", "--no-color", "--front-matter-as-text"}
FLAGS = {
    "trace": {"--json", "--fuzzy"},
    "docs": {"--json"},
    "log": {"--json"},
    "show": set(),
    "diff": DIFF_FLAGS | {"--format=text", "--format=json"},
}
"""Per command, the flags the fast path understands (``--no-cache`` means a cold trace)."""

ARGS = {"trace": (2, 2), "docs": (0, 0), "log": (1, 1), "show": (2, 2), "diff": (1, 3)}
"""Per command, how many arguments its plain form takes (fewest, most)."""

KEPT = ("docs", "log", "show", "diff")
"""Commands whose answers are kept per HEAD (``drafttrack.cli.answers``)."""


class Call:
    """A command line in the plain form the fast path handles (a plain class: ``dataclasses``
    costs a few milliseconds to import, a tenth of a warm answer)."""

    def __init__(self, store: str, command: str, words: list[str]) -> None:
        self.store = store
        self.command = command
        self.args: list[str] = []
        self.flags: set[str] = set()
        self.words = words
        """The command and its tokens as given (the key of a kept answer)."""


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
    call = Call(store, rest[0], list(rest))
    tokens = rest[1:]
    while tokens:
        token = tokens.pop(0)
        if token == "--format" and call.command == "diff" and tokens:
            token = f"--format={tokens.pop(0)}"
        if token.startswith("--format") and any(f.startswith("--format") for f in call.flags):
            return None  # given twice: click takes the last, let it
        if token in FLAGS[call.command]:
            call.flags.add(token)
        elif token.startswith("-"):
            return None  # --no-cache, --help, "--", a phrase starting with "-": click decides
        else:
            call.args.append(token)
    low, high = ARGS[call.command]
    return call if low <= len(call.args) <= high else None


def answer(argv: list[str]) -> int | None:
    """Run ``argv`` on the fast path and return the exit code, or None (nothing printed)."""
    call = parse(argv)
    if call is None:
        return None
    if call.command in KEPT:
        return kept_answer(call)
    from drafttrack.service.warm import warm_trace

    result = warm_trace(call.store, call.args[0], call.args[1], "--fuzzy" in call.flags)
    if result is None:
        return None
    if "--json" in call.flags:
        import json

        out = json.dumps(result, ensure_ascii=False, indent=2)
    else:
        from drafttrack.trace_render import render_trace

        out = render_trace(result)
    return echo(out + "\n")


def is_utf8(stream: object) -> bool:
    """Whether ``stream`` is a text stream encoding UTF-8 (what click would write unchanged)."""
    encoding = getattr(stream, "encoding", None)
    if stream is None or not encoding:
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def stream_encoding(stream: object) -> str | None:
    """``encoding/errors`` of a UTF-8 text stream with a binary buffer, else None."""
    if not is_utf8(stream) or getattr(stream, "buffer", None) is None:
        return None
    return f"utf-8/{getattr(stream, 'errors', None)}"


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (as click asks)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:
        return True  # a closed stream: let the normal path meet it


def answer_place(call: Call) -> tuple[Path, str] | None:
    """The store's derived-data folder and its HEAD, read from the files, when both are plain
    (HEAD a commit the files show); else None."""
    from repo_store import refs

    git_dir = refs.git_dir_of(call.store)
    if git_dir is None or not refs.plain_refs(git_dir):
        return None
    head = refs.branch_head(git_dir)
    if head is None or not refs.is_commit(git_dir, head):
        return None
    return git_dir / refs.CACHE_NAME, head


def kept_answer(call: Call) -> int | None:
    """Print the answer kept for ``call`` at the store's HEAD, or None when there is none."""
    from drafttrack.cli import answers

    stream = sys.stdout
    encoding = stream_encoding(stream)
    place = answer_place(call)
    if encoding is None or place is None:
        return None
    key = answers.answer_key(call.words, encoding, is_terminal(stream))
    data = answers.lookup(place[0], place[1], key)
    if data is None:
        return None
    try:
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0


def echo(out: str) -> int | None:
    """Write ``out`` as ``click.echo`` would, or None when click would change it (a stream that
    is not UTF-8, ANSI escapes it strips off a non-terminal) or there is no stdout."""
    stream = sys.stdout
    if not is_utf8(stream) or "\x1b" in out:
        return None
    try:
        stream.write(out)
        stream.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return 0
