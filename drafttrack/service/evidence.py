"""Reports as evidence, on the store side: add a news report to a document (from a file or a
URL), remove it, and read it back linked sentence by sentence (``evidence_view`` has the JSON).

Adding checks everything before the one commit: the file is ingested (HTML news pages through
the article extraction, with the limits of every ingest), its language is detected or given and
must be one the matcher knows, relays must exist and make no cycle. A refused report leaves the
store exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafttrack.errors import DrafttrackError
from drafttrack.ingest import IngestError, ingest
from drafttrack.quote import detect_language
from drafttrack.quote.language import function_word_share
from drafttrack.service.versions import Received
from repo_store import Store
from repo_store.reports import NewReport, add_report, remove_report

MODEL_LANGUAGES = frozenset(
    "af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha "
    "he hi hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl "
    "no om or pa pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi "
    "xh yi zh".split()
)
"""The languages of the multilingual model's training data (XLM-R's 100, ISO 639-1): a report
in another language could only produce chance links, so it is refused."""

MIN_WORDS_TO_CHECK, MIN_SHARE = 8, 0.10
"""A detected language is believed only when at least 10 % of the words (of a text of 8 words or
more) are its frequent function words: real news text has 15–40 % (the demo reports 17 and
24 %, the Covenant translations 16–20 %); Klingon, detected as Spanish through one stray word,
has 8 %."""


class ReportError(DrafttrackError):
    """A report that cannot be recorded (no text, unknown language, unusable URL)."""


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the user says about a report (``report add`` options)."""

    outlet: str | None = None
    url: str | None = None
    published_on: str | None = None
    language: str | None = None
    relays: tuple[str, ...] = ()
    machine_translated: bool = False
    translator: str | None = None
    note: str | None = None
    any_doc: bool = False


def fetch_report(url: str) -> Received:
    """The page at ``url`` as received, through the watcher's fetcher (http/https only,
    redirects checked hop by hop, robots.txt obeyed, the body capped at 50 MB)."""
    from drafttrack.watch.fetch import Fetcher, check_url

    why = check_url(url)
    if why:
        raise ReportError(why)
    with Fetcher(min_gap_s=0.0) as fetcher:
        fetched = fetcher.fetch(url)
    if fetched.error:
        raise ReportError(fetched.detail or f"{url}: cannot be fetched ({fetched.error})")
    if not fetched.ok:
        raise ReportError(f"{url}: the server answered HTTP {fetched.status}")
    name = fetched.final_url.rsplit("/", 1)[-1].split("?")[0] or "page"
    if "." not in name:
        ext = {"text/html": "html", "text/plain": "txt", "application/pdf": "pdf"}
        name = f"{name}.{ext.get(fetched.content_type, 'html')}"
    return Received(fetched.body, name[:200])


def check_language(code: str | None, text: str) -> tuple[str, bool]:
    """The report's language (given, else detected) and whether it was detected."""
    if code:
        lang = code.strip().lower()
        if lang not in MODEL_LANGUAGES:
            shown = lang if len(lang) <= 20 else lang[:20] + "…"
            raise ReportError(
                f"language {shown!r} is not one the matcher knows; reports are linked in the "
                "model's 100 languages (give an ISO 639-1 code such as en, de, uk, ru, fr)"
            )
        return lang, False
    sample = text[:20_000]
    detected = detect_language(sample)
    share = function_word_share(sample, detected) if detected else None
    if len(sample.split()) >= MIN_WORDS_TO_CHECK and share is not None and share < MIN_SHARE:
        detected = None  # a guess from a stray letter or an apostrophe, not the language
    if detected is None or detected not in MODEL_LANGUAGES:
        raise ReportError(
            "cannot tell the report's language (or the matcher does not know it); "
            "give it with --language"
        )
    return detected, True


def add_report_received(
    store: Store, doc: str, received: Received | None, options: ReportOptions
) -> tuple[dict[str, object], str]:
    """Record a report of DOC (an existing document) in one commit; ``received`` None records
    a report known only through the reports that relay it (no text held: a chain's head)."""
    store.document(doc)
    if received is None:
        if not options.language:
            raise ReportError("a report without a file needs --language (and --outlet)")
        if not options.outlet:
            raise ReportError("a report without a file needs --outlet")
        text, fmt, ext, data = "", "none", "txt", b""
        language, detected = check_language(options.language, "")
    else:
        try:
            ingested = ingest(received.data, received.name)
        except IngestError:
            raise
        text, fmt, ext, data = ingested.text, ingested.format, ingested.extension, received.data
        language, detected = check_language(options.language, text)
    new = NewReport(
        text=text,
        original=data,
        original_name=received.name if received and received.record_name else None,
        extension=ext,
        format=fmt,
        language=language,
        language_detected=detected,
        outlet=options.outlet,
        url=options.url,
        published_on=options.published_on,
        relays=options.relays,
        machine_translated=options.machine_translated,
        translator=options.translator,
        note=options.note,
        scope="store" if options.any_doc else "document",
    )
    return add_report(store, doc, new)


def remove_report_ref(store: Store, doc: str, ref: str) -> tuple[dict[str, object], str]:
    """Remove report REF of DOC in one commit (history keeps it)."""
    return remove_report(store, doc, ref)
