"""Editorial or substantive: does a change alter what the text says?

A change is editorial when all it changes is white space or line wrapping, quote, dash or
apostrophe style, punctuation, letter case, Markdown emphasis or link syntax, or clause
numbering. Re-wrapping is no change at all (segmentation already joins wrapped lines).
A move, an addition or a removal is always substantive.
"""

from __future__ import annotations

from drafttrack.align import body
from drafttrack.model import Change, Clause
from drafttrack.normalize import editorial_form


def is_editorial(change: Change) -> bool:
    """True when ``change`` alters only the form of the text, not its words or order."""
    if change.moved or change.kind in ("added", "removed"):
        return False
    if change.kind == "unchanged":
        return change.renumbered
    for part in (body, _text):
        old = " ".join(editorial_form(part(c)) for c in change.old)
        new = " ".join(editorial_form(part(c)) for c in change.new)
        if old == new:
            return True
    return False


def _text(clause: Clause) -> str:
    return clause.text
