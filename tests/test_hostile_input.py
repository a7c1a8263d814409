"""Hostile input: fuzzed and pathological texts through ingest → segment → align → word diff,
and hostile names at the store's door.

Properties: no crash (only the engine's own errors), no hang (an alarm far above normal run time
per MB of input guards every call), no text lost (every word of a version is in its clauses;
every clause is in exactly one change; word diffs rebuild both sides exactly).
"""

from __future__ import annotations

import os
import signal
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafttrack.align import align
from drafttrack.compare import compare
from drafttrack.errors import DrafttrackError
from drafttrack.ingest import IngestError, ingest
from drafttrack.normalize import words
from drafttrack.segment import segment
from drafttrack.worddiff import apply_new, apply_old, word_diff
from repo_store import InvalidName, Provenance, Store, StoreError
from tests.conftest import CliRun, snapshot

T = TypeVar("T")
HANG_SECONDS_PER_MB = 60

# Markdown punctuation, typographic quotes, scripts, bidi and zero-width characters, NUL.
PIECES = st.sampled_from(
    [
        "# ", "## ", "1. ", "(a) ", "- ", "* ", "> ", "| a | b |\n|---|---|\n", "```", "~~~",
        "[", "]", "(", ")", "<", ">", "<script>alert(1)</script>", "&amp;", "&#0;", "\\", "`",
        "**", "_", "---\n", "\n", "\n\n", "    ", "\t", "„Zitat“", "«citation»", "“quote”",
        "Стаття 5", "Artikel 5", "§ 3", "e\u0301", "\u202e", "\u200b", "\ufeff", "\x00",
        "word", "Wort", "слово", "mot", "1.2.3", "Article 12.", "?", "!", "…", "—", "\r\n",
    ]
)  # fmt: skip
HOSTILE_TEXT = st.lists(PIECES, max_size=60).map("".join)
ANY_TEXT = st.text(max_size=300)
FULL = os.environ.get("DRAFTTRACK_FULL") == "1"
SCALE = 10 if FULL else 1
"""CI runs each pathological document at a size that finishes in about a second or less;
DRAFTTRACK_FULL=1 runs them ten times larger."""
PATHOLOGICAL = {
    "nested quotes": "> " * (2000 * SCALE) + "deep\n",
    "nested lists": "".join("  " * i + "- item\n" for i in range(40 * SCALE)),
    "brackets": "[" * (2000 * SCALE) + "x" + "]" * (2000 * SCALE),
    "emphasis": "*a " * (5000 * SCALE),
    "backticks": "`" * (10000 * SCALE),
    "one long line": "Wort " * (20000 * SCALE),
    "many headings": "#\n" * (1000 * SCALE),
    "table": "|"
    + "a|" * (100 * SCALE)
    + "\n|"
    + "-|" * (100 * SCALE)
    + "\n"
    + ("|" + "b|" * (100 * SCALE) + "\n") * 20,
    "html": "<div>" * (2000 * SCALE) + "text" + "</div>" * (2000 * SCALE),
    "links": "[a](" * (2000 * SCALE),
    "numbers": "".join(f"{i}. clause {i}\n" for i in range(1000 * SCALE)),
}


@contextmanager
def no_hang(size_bytes: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when a call takes absurdly long for its input."""
    seconds = max(20, int(HANG_SECONDS_PER_MB * size_bytes / 1_000_000) + 20)

    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s for {size_bytes} bytes: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def guarded(fn: Callable[[], T], size: int) -> T:
    with no_hang(size):
        return fn()


def _clause_words(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for clause in segment(text):
        found.update(words(clause.text))
        found.update(words(clause.number or ""))
        for part in clause.path:
            found.update(words(part))
    return found


def _check_pipeline(old: str, new: str) -> None:
    size = len(old.encode()) + len(new.encode())
    old_clauses = guarded(lambda: segment(old), size)
    new_clauses = guarded(lambda: segment(new), size)
    assert not Counter(words(old)) - _clause_words(old), "segmentation lost words"
    changes = guarded(lambda: align(old_clauses, new_clauses), size)
    seen_old = [id(c) for ch in changes for c in ch.old]
    seen_new = [id(c) for ch in changes for c in ch.new]
    assert len(seen_old) == len(set(seen_old)) == len(old_clauses)
    assert len(seen_new) == len(set(seen_new)) == len(new_clauses)
    comparison = guarded(lambda: compare(old, new), size)
    assert sum(comparison.summary()[k] for k in ("unchanged", "modified", "added", "removed")) <= (
        len(comparison.changes)
    )
    for change in comparison.changes:
        if change.kind == "modified" and len(change.old) == len(change.new) == 1:
            ops = guarded(lambda c=change: word_diff(c.old[0].text, c.new[0].text), size)
            assert apply_old(ops) == change.old[0].text
            assert apply_new(ops) == change.new[0].text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_hostile_markdown_through_the_whole_engine(old: str, new: str) -> None:
    _check_pipeline(old, new)


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
def test_any_unicode_through_the_whole_engine(old: str, new: str) -> None:
    _check_pipeline(old, new)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.md", "a.txt", "a.html", "a.docx", "-"]))
def test_ingest_of_random_bytes_converts_or_refuses_cleanly(data: bytes, name: str) -> None:
    try:
        received = guarded(lambda: ingest(data, name), len(data))
    except (IngestError, DrafttrackError):
        return
    assert received.text.strip()
    assert "\r" not in received.text and received.text.endswith("\n")


@settings(max_examples=100, deadline=None)
@given(HOSTILE_TEXT.filter(lambda t: t.strip(" \n\t\x00\ufeff\u200b") != ""))
def test_ingest_of_markdown_keeps_every_word(text: str) -> None:
    try:
        received = guarded(lambda: ingest(text.encode("utf-8"), "draft.md"), len(text) * 4)
    except IngestError:
        return  # e.g. nothing but invisible characters
    expected = Counter(words(unicodedata.normalize("NFC", text)))
    assert not expected - Counter(words(received.text))


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_documents_finish_and_lose_nothing(name: str) -> None:
    text = PATHOLOGICAL[name]
    shorter = text[: len(text) // 2]
    try:
        _check_pipeline(shorter, text)
    except DrafttrackError:
        pass  # a refusal (too large, too many clauses) is an answer, not a crash


# -- names at the store's door ------------------------------------------------------------------
BAD_DOCS = [
    "../x", "..", "x/../../y", "/etc/passwd", "a/b", "C:\\x", "x\0y", "a" * 65, "", " ", "-x",
    ".git", ".hidden", "HEAD", "head", "refs", "objects", "hooks", "x.lock", "con", "nul", "aux",
    "com1", "lpt9", "con.txt", "Upper", "ünï", "x\n", "x y", "drafttrack.json", "readme.md",
]  # fmt: skip
BAD_LABELS = [
    "", " x", "x ", "a\0b", "line\nbreak", "\u202eevil", "x" * 121, "12", "latest", "first",
]  # fmt: skip


@pytest.mark.parametrize("doc", BAD_DOCS)
def test_hostile_document_names_are_refused(doc: str, store_path: Path) -> None:
    before = snapshot(store_path)
    with Store.open(store_path) as store, pytest.raises(InvalidName):
        store.add_version(doc, "Text.\n")
    assert snapshot(store_path) == before


@pytest.mark.parametrize("label", BAD_LABELS)
def test_hostile_labels_are_refused(label: str, store_path: Path) -> None:
    before = snapshot(store_path)
    with Store.open(store_path) as store, pytest.raises(StoreError):
        store.add_version("doc", "Text.\n", Provenance(label=label))
    assert snapshot(store_path) == before


@pytest.mark.parametrize("doc", [d for d in BAD_DOCS if "\0" not in d and d])
def test_hostile_document_names_on_the_command_line(
    doc: str, store_path: Path, tmp_path: Path, cli_run: CliRun
) -> None:
    text = tmp_path / "t.md"
    text.write_text("Text.\n", encoding="utf-8")
    before = snapshot(store_path)
    result = cli_run("--store", store_path, "add", "--", doc, text)
    assert result.code == 2
    assert result.err.startswith("error: ") and result.err.count("\n") == 1
    assert snapshot(store_path) == before
    assert not (tmp_path / "x").exists() and not Path("/etc/passwd.lock").exists()
