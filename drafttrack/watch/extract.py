"""The text of a capture: the watch's rules (kind, ``--select``, ``--remove``, ``--ignore``)
applied to the fetched bytes, then the same ingest as ``drafttrack add``, then page noise
(relative timestamps, counters, ad slots) taken out, so noise never makes a version."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from drafttrack.ingest import Ingested, IngestError, ingest

KINDS = ("auto", "html", "pdf", "docx", "feed")
EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx"}
CONTENT_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
}
RULES_VERSION = 1
"""Bumped whenever the noise rules below change (part of the rules hash)."""

_NOISE_ELEMENTS = (
    "script, style, noscript, template, iframe, ins, input, meta, link, "
    "[class*='ad-slot'], [class*='adslot'], [class~='ad'], [class*='advert'], "
    "[id^='ad-'], [id^='ad_'], [id*='advert'], [class*='sponsor'], [data-ad], "
    "[class*='cookie-banner'], [id*='cookie-banner'], [aria-hidden='true'], [hidden]"
)
_NOISE_LINES = [
    # English relative and absolute "updated" stamps, page counters, generation times
    r"(?i)\b(?:last\s+)?(?:updated|modified|refreshed|published)\s*:?\s*"
    r"(?:\d+|an?|one|a few)\s+(?:seconds?|minutes?|mins?|hours?|days?)\s+ago\b\.?",
    r"(?i)\b(?:last\s+)?(?:updated|modified|refreshed)\s*(?:on|at)?\s*:?\s*"
    r"[0-9]{1,4}[-./][0-9]{1,2}[-./][0-9]{1,4}(?:[ T,]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"(?:\s*(?:UTC|GMT|CET|CEST|[AP]M))?)?\.?",
    r"(?i)\bpage\s+generated\s+in\s+[0-9.,]+\s*(?:ms|s|seconds?)\b\.?",
    r"(?i)\b(?:\d[\d,. ]*)\s+(?:views|visitors|readers)\b\.?",
    r"(?i)\b(?:you\s+are\s+visitor|visitor)\s+(?:number\s+|no\.?\s*)?#?\d[\d,.]*\.?",
    r"(?i)\b(?:request|trace|session)[\s-]?id\s*:?\s*[0-9a-f-]{8,}\b\.?",
    # German and French stamps
    r"(?i)\b(?:stand|zuletzt\s+aktualisiert|aktualisiert)\s*:?\s*(?:vor\s+\d+\s+"
    r"(?:sekunden|minuten|stunden|tagen)|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4}"
    r"(?:,?\s+[0-9]{1,2}:[0-9]{2}(?:\s*uhr)?)?)\.?",
    r"(?i)\b(?:mis\s+à\s+jour|actualisé)\s*(?:le|il\s+y\s+a)?\s*:?\s*(?:\d+\s+"
    r"(?:secondes?|minutes?|heures?|jours?)|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4})\.?",
    # Ukrainian
    r"(?i)\b(?:оновлено)\s*:?\s*\d+\s+(?:хвилин[иу]?|годин[иу]?|секунд[иу]?)\s+тому\.?",
]
_NOISE_RE = [re.compile(p) for p in _NOISE_LINES]


class Refused(Exception):
    """A capture that must not become a version, with a short machine reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Rules:
    """How a watch reads its page; hashed into each capture's provenance."""

    kind: str = "auto"
    select: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def sha256(self) -> str:
        """Hash of these rules with the rules' version (what ``reextract`` compares)."""
        payload = {"rules_version": RULES_VERSION, **asdict(self)}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


def check_rules(rules: Rules) -> str | None:
    """Why ``rules`` are unusable (an unknown kind, a bad selector or regex), or None."""
    if rules.kind not in KINDS:
        return f"unknown kind {rules.kind!r} (one of {', '.join(KINDS)})"
    from lxml.cssselect import CSSSelector, SelectorSyntaxError

    for sel in rules.select + rules.remove:
        try:
            CSSSelector(sel)
        except (SelectorSyntaxError, ValueError, NotImplementedError) as exc:
            return f"bad CSS selector {sel!r}: {exc}"
    for pattern in rules.ignore:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"bad --ignore pattern {pattern!r}: {exc}"
    return None


def kind_of(body: bytes, content_type: str, rules: Rules) -> str:
    """The kind to read a body as: the watch's choice, else its content, else its type."""
    if rules.kind != "auto":
        return rules.kind
    head = body[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    lowered = head[:512].lower()
    if lowered.startswith(b"<?xml") and (b"<rss" in lowered or b"<feed" in lowered):
        return "feed"
    if lowered.startswith(b"<rss") or lowered.startswith(b"<feed"):
        return "feed"
    return CONTENT_KINDS.get(content_type, "html")


def decode_html(body: bytes, content_type_header: str) -> str:
    """The page as text by its declared charset (header, else meta, else UTF-8); a body
    that does not decode, or decodes into mojibake, is refused as a wrong charset."""
    header = re.search(r"charset=[\"']?([\w.:-]+)", content_type_header, re.I)
    meta = None if header else re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.I)
    if header:
        charset = header.group(1)
    elif meta:
        charset = meta.group(1).decode("ascii", "replace")
    else:
        charset = "utf-8"
    try:
        text = body.decode(charset)
    except LookupError:
        raise Refused("charset", f"unknown charset {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise Refused("charset", f"body is not valid {charset} ({exc.reason})") from None
    mojibake = len(re.findall("[ÃÐÑâ][\u0080-\u00bf€™œ]", text))
    if mojibake >= 3 and mojibake * 200 > len(text):
        raise Refused("charset", f"text looks double-encoded (declared {charset})")
    if text.count("\ufffd") >= 3:
        raise Refused("charset", "text has replacement characters (wrong charset)")
    return text


def select_html(source: str, rules: Rules) -> bytes:
    """The parts of the page the rules keep, noise elements removed, as HTML bytes."""
    import lxml.html
    from lxml.cssselect import CSSSelector

    source = re.sub(r"^\s*<\?xml[^>]*>", "", source)
    try:
        root = lxml.html.document_fromstring(source)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise Refused("unreadable", f"unreadable HTML ({exc})") from None
    for sel in (_NOISE_ELEMENTS, *rules.remove):
        for element in CSSSelector(sel)(root):
            if element.getparent() is not None:
                element.drop_tree()
    parts = [root]
    if rules.select:
        parts = [el for sel in rules.select for el in CSSSelector(sel)(root)]
        if not parts:
            raise Refused("selector", f"no element matches {' , '.join(rules.select)}")
    body = b"".join(lxml.html.tostring(el, encoding="utf-8") for el in parts)
    if rules.select:
        body = b"<html><body>" + body + b"</body></html>"
    return body


def strip_noise(text: str, ignore: tuple[str, ...] = ()) -> str:
    """``text`` without page noise (timestamps, counters) and what ``ignore`` matches; lines
    left empty are dropped."""
    for rx in _NOISE_RE + [re.compile(p) for p in ignore]:
        text = rx.sub("", text)
    lines = [re.sub(r"[ \t]{2,}", " ", line).rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip(" \t*_-#>|·•"):
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def extract(body: bytes, content_type_header: str, rules: Rules) -> Ingested:
    """The text of a fetched body under ``rules`` (its ``format`` the watch kind it was read as);
    raises :class:`Refused`."""
    ctype = content_type_header.split(";")[0].strip().lower()
    kind = kind_of(body, ctype, rules)
    if kind == "feed":
        raise Refused("feed", "a feed has no text of its own (its entries are watched)")
    data, name = body, f"capture.{EXTENSIONS.get(kind, 'html')}"
    if kind == "html":
        data = select_html(decode_html(body, content_type_header), rules)
    try:
        ingested = ingest(data, name)
    except IngestError as exc:
        message = str(exc)
        reason = "no-text-layer" if "no text layer" in message else "unreadable"
        if "no text found" in message or "is empty" in message:
            reason = "too-short"
        raise Refused(reason, message) from None
    text = strip_noise(ingested.text, rules.ignore)
    return Ingested(text, kind, ingested.extension, list(ingested.warnings))
