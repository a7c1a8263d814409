"""Limits on what a query may ask, the same for the CLI, the pages and the API."""

from __future__ import annotations

from drafttrack.errors import DrafttrackError

MAX_PHRASE = 500
"""Longest phrase a trace may follow (characters, outer white space removed)."""

MAX_TOP = 50
"""The most matches one quote query may ask for."""


class LimitExceeded(DrafttrackError):
    """A query asks for more than the limits allow (or for a count that is not a number)."""


def check_phrase(phrase: str) -> str:
    """The phrase with outer white space removed; refused when longer than ``MAX_PHRASE``."""
    phrase = phrase.strip()
    if len(phrase) > MAX_PHRASE:
        raise LimitExceeded(f"the phrase is longer than {MAX_PHRASE} characters")
    return phrase


def check_top(top: str | int) -> int:
    """How many matches to list, from 1 to ``MAX_TOP``; refused otherwise."""
    try:
        count = int(top)
    except ValueError:
        raise LimitExceeded("top must be a number") from None
    if not 1 <= count <= MAX_TOP:
        raise LimitExceeded(f"top must be between 1 and {MAX_TOP}")
    return count
