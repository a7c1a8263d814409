"""Editorial or substantive: does a change alter what the text says?

A change is editorial when all it changes is white space or line wrapping, quote, dash or
apostrophe style, punctuation, letter case, Markdown emphasis or link syntax, link targets, or
clause numbering. Re-wrapping is no change at all (segmentation already joins wrapped lines).
A move, an addition or a removal of text is always substantive. Front matter (a text's YAML
metadata block) is metadata, not text: any change to it alone — a key added, removed or given
a new value — is editorial of kind ``metadata``, unless the caller compares it as text.

``editorial_kinds`` names what an editorial change changed, compared on the visible text (see
``inline``): ``link-target``, ``formatting``, ``whitespace``, ``numbering``, ``quotes``,
``punctuation``, ``case``, or ``metadata`` (front matter) alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from drafttrack.align import body
from drafttrack.inline import Inline, joined, visible_text
from drafttrack.model import Change, Clause
from drafttrack.normalize import _STYLE_TABLE, editorial_form
from drafttrack.numbering import split_number, text_after_shown_number

KINDS = (
    "link-target", "formatting", "whitespace", "numbering", "quotes", "punctuation", "case",
    "metadata",
)  # fmt: skip
"""Every editorial kind, in the order a change lists them."""

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]+")


def is_metadata(change: Change) -> bool:
    """True when every clause ``change`` touches is front matter (metadata, not text)."""
    clauses = [*change.old, *change.new]
    return bool(clauses) and all(c.kind == "front_matter" for c in clauses)


def is_editorial(change: Change, *, front_matter_as_text: bool = False) -> bool:
    """True when ``change`` alters only the form of the text, not its words or order; a change
    of front matter alone is editorial (metadata) unless ``front_matter_as_text``."""
    if change.kind != "unchanged" and not front_matter_as_text and is_metadata(change):
        return True
    if change.moved or change.kind in ("added", "removed"):
        return False
    if change.kind == "unchanged":
        return change.renumbered
    for part in (body, _text, _visible_body):
        old = " ".join(editorial_form(part(c)) for c in change.old)
        new = " ".join(editorial_form(part(c)) for c in change.new)
        if old == new:
            return True
    return _number_moved_only(change)


def _text_editorial(change: Change) -> bool:
    """Editorial by the rules for text (a front-matter change compared as text)."""
    return is_editorial(change, front_matter_as_text=True)


def _number_moved_only(change: Change) -> bool:
    """A clause whose number moved from its text into a list marker (or back), words kept."""
    if len(change.old) != 1 or len(change.new) != 1:
        return False
    old, new = change.old[0], change.new[0]
    bare, numbered = (old, new) if old.number is None else (new, old)
    if bare.number is not None or numbered.number is None:
        return False
    rest = text_after_shown_number(bare.text, numbered.number)
    return rest is not None and editorial_form(rest) == editorial_form(_visible_body(numbered))


def editorial_kinds(change: Change) -> list[str]:
    """What an editorial change changed (empty for a substantive or no change), in ``KINDS``
    order."""
    if not change.editorial:
        return []
    if change.kind != "unchanged" and is_metadata(change) and not _text_editorial(change):
        return ["metadata"]
    found: set[str] = set()
    if change.renumbered or [c.number for c in change.old] != [c.number for c in change.new]:
        found.add("numbering")
    old = joined([c.text for c in change.old])
    new = joined([c.text for c in change.new])
    if old.targets != new.targets:
        found.add("link-target")
    if _formatting(old) != _formatting(new):
        found.add("formatting")
    a = " ".join(_visible_body(c) for c in change.old)
    b = " ".join(_visible_body(c) for c in change.new)
    found.update(_text_kinds(a, b))
    if not found:
        found.add("punctuation" if editorial_form(a) == editorial_form(b) else "formatting")
    return [k for k in KINDS if k in found]


def _formatting(inline: Inline) -> tuple[tuple[str, str], ...]:
    """Emphasis and code spans by the words they cover (white space runs made one space)."""
    return tuple((kind, " ".join(text.split())) for kind, text in inline.formatting)


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _style(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_STYLE_TABLE)


def _unpunctuated(text: str) -> str:
    return _PUNCT.sub("", text)


_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("quotes", _style),
    ("case", str.casefold),
    ("punctuation", _unpunctuated),
    ("whitespace", _collapse),
)
"""The text normalisations, in the order they are applied."""


def _text_kinds(old: str, new: str) -> list[str]:
    """The normalisations needed for ``old`` and ``new`` to read the same: each one without
    which they still differ (none when they differ even with all of them)."""
    if old == new or _normal(old) != _normal(new):
        return []
    return [name for name, _ in _STEPS if _normal(old, name) != _normal(new, name)]


def _normal(text: str, skip: str = "") -> str:
    for name, step in _STEPS:
        if name != skip:
            text = step(text)
    return text


def _visible_body(clause: Clause) -> str:
    """The visible text after the clause's number, if the visible text starts with one."""
    shown = visible_text(clause.text)
    number, rest = split_number(shown)
    return rest if number and rest.strip() else shown


def _text(clause: Clause) -> str:
    return clause.text
