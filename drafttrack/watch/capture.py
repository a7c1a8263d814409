"""From a fetch to a decision: refused (a failed check), unchanged, reverted to an earlier
version of the watch, or a new text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from drafttrack.ingest import Ingested
from drafttrack.watch import quality
from drafttrack.watch.extract import Refused, Rules, extract
from drafttrack.watch.fetch import Fetched


@dataclass(frozen=True, slots=True)
class Decision:
    """What a capture means: ``refused`` (with ``reason``), ``not-modified``, ``unchanged``,
    ``reverted`` (to ``version``), or ``new`` (with its ``extracted`` text)."""

    outcome: str
    reason: str = ""
    detail: str = ""
    version: str | None = None
    extracted: Ingested | None = None


def text_key(text: str) -> str:
    """What two captures must share to be the same text: white space runs folded."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def judge(
    fetched: Fetched,
    rules: Rules,
    history: Sequence[tuple[str, str]],
    *,
    last_raw_sha256: str | None = None,
    accepted: bool = False,
) -> Decision:
    """Decide what ``fetched`` means against the watch's ``history`` of (version id, text),
    oldest first; the last entry is the version the watch last recorded."""
    if fetched.error is None and fetched.status == 304:
        return Decision("not-modified")
    try:
        quality.check_response(fetched)
        if last_raw_sha256 is not None and fetched.sha256 == last_raw_sha256 and history:
            return Decision("unchanged", version=history[-1][0])
        extracted = extract(fetched.body, fetched.headers.get("content-type", ""), rules)
        previous = history[-1][1] if history else None
        quality.check_text(extracted.text, previous, accepted=accepted)
    except Refused as refused:
        return Decision("refused", refused.reason, refused.detail)
    key = text_key(extracted.text)
    if history and text_key(history[-1][1]) == key:
        return Decision("unchanged", version=history[-1][0], extracted=extracted)
    for version_id, text in reversed(history[:-1]):
        if text_key(text) == key:
            return Decision("reverted", version=version_id, extracted=extracted)
    return Decision("new", extracted=extracted)
