"""Word-level diff of one clause against its counterpart, with diff-match-patch.

Each token (a word, a run of white space, or one other character) is mapped to one code point,
diff-match-patch diffs the two code-point strings with ``Diff_Timeout = 0`` (exact and
deterministic; inputs are single clauses, so work is bounded by clause size), semantic cleanup
runs on the token strings, and only then are tokens decoded, so a mark never splits a word.

When the optional ``fast-diff-match-patch`` package (the same algorithm's C++ build, extra
``drafttrack[fast]``) is installed, it computes the same diff several times faster; the tests
check that both give identical results.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

try:
    import fast_diff_match_patch as _fast
except ImportError:  # the optional accelerator is not installed
    _fast = None

from drafttrack._marks import MARKS
from drafttrack.model import WordOp, WordOpName
from drafttrack.normalize import has_marks

_TOKEN = re.compile(rf"[\w{MARKS}]+|\s+|.", re.S)
_SIMPLE_TOKEN = re.compile(r"\w+|\s+|.", re.S)
_WORD_START = re.compile(rf"[\w{MARKS}]")

REWRITE_SHARE = 0.3
"""When less than this share of the words survives, a clause reads as whole old → whole new:
a redline of scattered "the", "of" and "and" kept between rewritten words helps no reader."""

_DIFF_EQUAL, _DIFF_INSERT, _DIFF_DELETE = 0, 1, -1
_NAMES: dict[int, WordOpName] = {
    _DIFF_EQUAL: "equal",
    _DIFF_INSERT: "insert",
    _DIFF_DELETE: "delete",
}
_FAST_OPS = {"=": _DIFF_EQUAL, "+": _DIFF_INSERT, "-": _DIFF_DELETE}


def tokens(text: str) -> list[str]:
    """Split ``text`` losslessly into words, white-space runs and single other characters."""
    return (_TOKEN if has_marks(text) else _SIMPLE_TOKEN).findall(text)


def _encode(a: list[str], b: list[str]) -> tuple[str, str, list[str]]:
    """Map each distinct token to a code point, skipping the surrogate range U+D800–U+DFFF."""
    table: dict[str, str] = {}
    symbols: list[str] = []

    def code(tok: str) -> str:
        sym = table.get(tok)
        if sym is None:
            n = len(symbols) + 1
            if n >= 0xD800:
                n += 0x800
            if n > 0x10FFFF:
                raise ValueError("too many distinct tokens for one clause diff")
            sym = table[tok] = chr(n)
            symbols.append(tok)
        return sym

    return "".join(map(code, a)), "".join(map(code, b)), symbols


def _decode_index(sym: str) -> int:
    n = ord(sym)
    return (n - 0x800 if n > 0xDFFF else n) - 1


def word_diff(old: str, new: str) -> list[WordOp]:
    """Word-level operations turning ``old`` into ``new`` (equal, delete, insert runs)."""
    if old == new:
        return [WordOp("equal", old)] if old else []
    a, b, symbols = _encode(tokens(old), tokens(new))
    diffs = diff_symbols(a, b)
    decoded = [
        WordOp(_NAMES[op], "".join(symbols[_decode_index(s)] for s in chunk)) for op, chunk in diffs
    ]
    ops = _merge(decoded)
    if _kept_share(ops) < REWRITE_SHARE:
        return [op for op in (WordOp("delete", old), WordOp("insert", new)) if op.text]
    return ops


def diff_symbols(a: str, b: str, *, pure: bool = False) -> list[tuple[int, str]]:
    """diff-match-patch's exact diff of two strings with semantic cleanup, as (op, text) pairs
    (op -1 delete, 0 equal, 1 insert); through the C++ build when installed, unless ``pure``."""
    if _fast is not None and not pure:
        out = _fast.diff(a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=False)
        return [(_FAST_OPS[op], text) for op, text in out]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs: list[tuple[int, str]] = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


def _merge(ops: list[WordOp]) -> list[WordOp]:
    """Join white-space-only equal runs into the changes around them; deletes before inserts."""
    out: list[WordOp] = []
    i = 0
    while i < len(ops):
        if ops[i].op == "equal":
            out.append(ops[i])
            i += 1
            continue
        dels: list[str] = []
        ins: list[str] = []
        while i < len(ops):
            op = ops[i]
            if op.op == "delete":
                dels.append(op.text)
            elif op.op == "insert":
                ins.append(op.text)
            elif not op.text.strip() and i + 1 < len(ops) and ops[i + 1].op != "equal":
                dels.append(op.text)
                ins.append(op.text)
            else:
                break
            i += 1
        if dels and ins:
            out.extend(_trim_common_space("".join(dels), "".join(ins)))
        elif dels:
            out.append(WordOp("delete", "".join(dels)))
        elif ins:
            out.append(WordOp("insert", "".join(ins)))
    return _coalesce(out)


def _trim_common_space(d: str, i: str) -> list[WordOp]:
    """Keep white space shared at both ends of a replacement as equal text."""
    lead = len(d) - len(d.lstrip())
    lead = min(lead, len(i) - len(i.lstrip()))
    lead_text = d[:lead] if d[:lead] == i[:lead] else ""
    d, i = d[len(lead_text) :], i[len(lead_text) :]
    trail = min(len(d) - len(d.rstrip()), len(i) - len(i.rstrip()))
    trail_text = d[len(d) - trail :] if trail and d[len(d) - trail :] == i[len(i) - trail :] else ""
    if trail_text:
        d, i = d[: -len(trail_text)], i[: -len(trail_text)]
    ops = [WordOp("equal", lead_text), WordOp("delete", d), WordOp("insert", i)]
    ops.append(WordOp("equal", trail_text))
    return [op for op in ops if op.text]


def _coalesce(ops: list[WordOp]) -> list[WordOp]:
    """Merge neighbouring runs of the same kind."""
    out: list[WordOp] = []
    for op in ops:
        if out and out[-1].op == op.op:
            out[-1] = WordOp(op.op, out[-1].text + op.text)
        else:
            out.append(op)
    return out


def _kept_share(ops: list[WordOp]) -> float:
    """Share of words that survive unchanged, relative to the longer side."""
    kept = sum(len(_words(op.text)) for op in ops if op.op == "equal")
    old = kept + sum(len(_words(op.text)) for op in ops if op.op == "delete")
    new = kept + sum(len(_words(op.text)) for op in ops if op.op == "insert")
    longest = max(old, new)
    return kept / longest if longest else 1.0


def _words(text: str) -> list[str]:
    return [t for t in tokens(text) if _WORD_START.match(t)]


def apply_old(ops: list[WordOp]) -> str:
    """The old text the operations start from."""
    return "".join(op.text for op in ops if op.op != "insert")


def apply_new(ops: list[WordOp]) -> str:
    """The new text the operations produce."""
    return "".join(op.text for op in ops if op.op != "delete")
