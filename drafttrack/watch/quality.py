"""Is a capture the text, or a failure dressed as one? Checks on the raw response (status,
size, block and challenge pages, login and cookie walls) and on the extracted text (too short,
much shorter than before). A refused capture is a failed check, never a version.

The block-page signals follow the ones EDGI's web-monitoring-processing weighs in its snapshot
quality estimate: WAF headers, short 403s, redirects to captcha or "unblock" pages, and pages
whose visible text is a challenge or a sign-in form.
"""

from __future__ import annotations

import re

from drafttrack.watch.extract import Refused
from drafttrack.watch.fetch import Fetched

MIN_BODY_BYTES = 64
MIN_TEXT_CHARS = 100
SHRINK_RATIO = 0.5

_BLOCK_HEADERS = {
    "cf-mitigated": "Cloudflare challenge (cf-mitigated)",
    "x-amzn-waf-action": "AWS WAF action",
    "x-datadome": "DataDome bot protection",
    "x-sucuri-block": "Sucuri firewall block",
}
_BLOCK_URL = re.compile(
    r"(?i)(captcha|/unblock|blocked|challenge|/cdn-cgi/|distil_r_|perimeterx|/sorry/|"
    r"access[-_]denied|bot[-_]?check|validate\.perfdrive)"
)
_LOGIN_URL = re.compile(r"(?i)(/login|/signin|/sign-in|/sso/|/auth/|/account/|/session/new)")
_CHALLENGE_TEXT = re.compile(
    r"(?i)(checking your browser|attention required|just a moment\.\.\.|verify you are (a )?human|"
    r"are you a robot|enable javascript and cookies to continue|access denied|request blocked|"
    r"unusual traffic|ddos protection by|please complete the security check|"
    r"pardon our interruption|captcha)"
)
_WALL_TEXT = re.compile(
    r"(?i)(please (log|sign) ?in to (continue|view|access)|you must be logged in|"
    r"sign in to continue|subscribe to (continue|read)|"
    r"(accept|allow) (all )?cookies to (continue|view|see)|this content is blocked until you "
    r"accept|bitte melden sie sich an|veuillez vous connecter)"
)
_PASSWORD_FORM = re.compile(rb"(?i)<input[^>]+type=[\"']?password")


def check_response(fetched: Fetched) -> None:
    """Raise :class:`Refused` when the raw response cannot be a capture of the text."""
    if fetched.error:
        raise Refused(fetched.error, fetched.detail)
    status = fetched.status or 0
    for header, what in _BLOCK_HEADERS.items():
        if header in fetched.headers:
            raise Refused("blocked", f"{what}: {fetched.headers[header]}")
    if "cloudflare" in fetched.headers.get("server", "").lower() and status in (403, 503):
        raise Refused("blocked", f"Cloudflare {status}")
    if status == 403 and len(fetched.body) < 4096:
        raise Refused("blocked", f"short 403 ({len(fetched.body)} bytes): a block page")
    if status in (404, 410):
        raise Refused("gone", f"HTTP {status}")
    if not 200 <= status < 300:
        raise Refused("status", f"HTTP {status}")
    for hop in fetched.redirects:
        path = hop.split("://", 1)[-1]
        if _BLOCK_URL.search(path):
            raise Refused("blocked", f"redirected to a block or captcha page: {hop}")
        if _LOGIN_URL.search(path):
            raise Refused("login-wall", f"redirected to a sign-in page: {hop}")
    if len(fetched.body.strip()) < MIN_BODY_BYTES:
        raise Refused("empty", f"body of {len(fetched.body.strip())} bytes")
    head = fetched.body[:200_000]
    if fetched.content_type in ("text/html", "application/xhtml+xml", ""):
        text = _visible_text(head)
        challenge = _CHALLENGE_TEXT.search(text) if len(text) < 3000 else None
        if challenge:
            raise Refused("blocked", f"challenge page: {challenge.group(0)!r}")
        if len(text) < 3000 and (_WALL_TEXT.search(text) or _PASSWORD_FORM.search(head)):
            raise Refused("login-wall", "a sign-in or cookie wall instead of the text")


def check_text(text: str, previous: str | None, *, accepted: bool = False) -> None:
    """Raise :class:`Refused` when the extracted text is too short, or less than half the
    previous version's, unless the user ``accepted`` it (``watch accept``)."""
    size = len(text.strip())
    if accepted:
        return
    if size < MIN_TEXT_CHARS:
        raise Refused("too-short", f"{size} characters of text (fewer than {MIN_TEXT_CHARS})")
    if previous is not None and size < SHRINK_RATIO * len(previous.strip()):
        raise Refused(
            "shrunk",
            f"{size} characters, under half the previous {len(previous.strip())} "
            "(confirm with `watch accept`)",
        )


def _visible_text(body: bytes) -> str:
    text = re.sub(rb"(?is)<(script|style|noscript)[^>]*>.*?</\1>", b" ", body)
    text = re.sub(rb"(?s)<[^>]+>", b" ", text)
    return re.sub(r"\s+", " ", text.decode("utf-8", "replace")).strip()
