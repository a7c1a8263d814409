"""Segment a whole text: front matter, then the Markdown walk over the text at once or chunk by
chunk through a memo, then the words no clause took kept in place."""

from __future__ import annotations

from drafttrack import coverage
from drafttrack.errors import InputTooLarge
from drafttrack.model import Clause
from drafttrack.rejoin import rejoin
from drafttrack.segment.memo import (
    _START,
    BlockMemo,
    Parsed,
    _needs_parse,
    _parse_chunks,
    _placed,
    _Unchunkable,
    _unchunkable,
    chunks,
)
from drafttrack.segment.source import _FRONT_MATTER, MAX_INPUT_CHARS, _called, _front_matter
from drafttrack.segment.walk import _parser, _recover_uncovered, _State, _walk


def segment(text: str, memo: BlockMemo | None = None) -> list[Clause]:
    """The clauses of ``text`` in reading order, keyed ``c1``, ``c2``, …

    With ``memo``, the text is parsed chunk by chunk and chunks parsed before are not parsed
    again (the result is the same as without).
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLarge(f"text of {len(text):,} characters exceeds {MAX_INPUT_CHARS:,}")
    text = rejoin(text.replace("\r\n", "\n").replace("\r", "\n"))
    clauses: list[Clause] = []
    offset = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        clauses.extend(_front_matter(fm.group(1)))
        offset = fm.group(0).count("\n")
        text = text[fm.end() :]
    lines = text.split("\n")
    state = _State(offset=offset, clauses=clauses)
    covered = None
    front = len(clauses)
    lost: list[coverage.Span] = []
    guarded = False
    if memo is not None and not _unchunkable(text):
        try:
            covered, guarded = _chunked(text, lines, state, memo, lost)
        except _Unchunkable:
            del clauses[front:]
            lost.clear()
            state = _State(offset=offset, clauses=clauses)
    if covered is None:
        covered = _walk(_parser().parse(text), lines, state)
    _recover_uncovered(lines, covered, state)
    if not guarded:  # chunks without stray lines were each guarded when first walked
        body = clauses[front:]
        lost += coverage.guard(lines, body, offset)
        clauses[front:] = body
    if lost:
        coverage.report(_called(lines), sorted(lost))
    for i, clause in enumerate(clauses, 1):
        clause.key = f"c{i}"
    return clauses


def uncovered_stretches(text: str, clauses: list[Clause]) -> list[coverage.Span]:
    """The stretches of ``text`` (0-based line spans) with words none of ``clauses``, its
    segmentation, has (front matter is checked by ``_front_matter``, which keeps every line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    offset = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        offset = fm.group(0).count("\n")
        text = text[fm.end() :]
    body = [c for c in clauses if c.kind != "front_matter"]
    return coverage.uncovered(text.split("\n"), body, offset)


def _chunked(
    text: str, lines: list[str], state: _State, memo: BlockMemo, lost: list[coverage.Span]
) -> tuple[set[int], bool]:
    """``_walk`` over the whole text, done chunk by chunk through ``memo``, and whether each
    chunk went through the guard (none has stray lines); the stretches of chunks read as plain
    paragraphs are added to ``lost``.

    Chunks the memo has not seen are parsed together, each run of consecutive ones in one go
    (markdown-it's set-up per parse costs more than a short chunk's parsing), and the tokens are
    cut at the chunk boundaries: a first version is parsed about as fast as whole.
    """
    covered: set[int] = set()
    clauses, offset = state.clauses, state.offset
    walked = _START
    guarded = True
    end = len(lines)
    spans = chunks(lines)
    chunk_texts = [text[a:b] for _s, _t, a, b in spans]
    unseen = [_needs_parse(t, memo) for t in chunk_texts]
    run: dict[int, Parsed] = {}
    for i, (start, stop, _a, _b) in enumerate(spans):
        parsed = None
        if unseen[i]:
            if i not in run:  # the first chunk of a run
                last = i
                while last + 1 < len(spans) and unseen[last + 1]:
                    last += 1
                found = _parse_chunks(chunk_texts[i : last + 1], last + 1 < len(spans), memo)
                run = dict(enumerate(found, i))
            parsed = run[i]
        walked = memo.walk(chunk_texts[i], stop < end, walked, parsed)
        clauses += _placed(walked, start + offset, offset)
        covered.update(map(start.__add__, walked.covered))
        lost += [(a + start + offset, b + start + offset) for a, b in walked.lost]
        guarded = guarded and not walked.stray
    state.headings = list(walked.headings)
    state.heading_context = None
    return covered, guarded
