"""Clause bodies and match keys, remembered: what alignment compares of each clause text.

A clause's body is its text without its leading number; its match key is the body's editorial
form (equal keys: the clauses differ at most editorially). Both are memoised by text, since
consecutive versions share most of their clauses.
"""

from __future__ import annotations

from drafttrack.model import Clause
from drafttrack.normalize import editorial_form
from drafttrack.numbering import split_number


def body(clause: Clause) -> str:
    """The clause text without its leading number, the part compared across versions."""
    return _body(clause.text)


_BODIES: dict[str, str] = {}
_KEYS: dict[str, str] = {}
MEMO_LIMIT = 1 << 16
"""Texts whose body and match key are remembered (the memo is emptied when full)."""


def _body(text: str) -> str:
    found = _BODIES.get(text)
    if found is None:
        number, rest = split_number(text)
        found = rest if number and rest.strip() else text
        _remember(_BODIES, text, found)
    return found


def match_key(clause: Clause) -> str:
    """Equal keys mean the clauses differ at most editorially (and in their numbers)."""
    return _key(body(clause))


def _key(text: str) -> str:
    found = _KEYS.get(text)
    if found is None:
        found = editorial_form(text)
        _remember(_KEYS, text, found)
    return found


def _remember(memo: dict[str, str], text: str, value: str) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[text] = value


def match_key_of_body(text: str) -> str:
    """``match_key`` of a clause whose ``body`` is ``text``."""
    return _key(text)


def keys_of(text: str) -> tuple[str, str]:
    """The body and match key of a clause text, as alignment computes them."""
    found = _body(text)
    return found, _key(found)


def remember_keys(known: dict[str, tuple[str, str]]) -> None:
    """Take bodies and match keys computed elsewhere (``keys_of`` in another process)."""
    for text, (found, key) in known.items():
        _remember(_BODIES, text, found)
        _remember(_KEYS, found, key)
