"""Template filters: links only for http(s) URLs, and small formatting helpers.

None of them marks text as safe: Jinja's autoescaping escapes every value they return.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup, escape

from drafttrack.render_rows import full_number
from drafttrack.wording import event_source, outlet_chain

COMPLETENESS_TEXT = {
    "full": "full text",
    "partial": "partial text, reconstructed from reporting",
    "excerpt": "excerpt only",
}


def http_url(value: Any) -> str | None:
    """The URL when it is a plain http(s) URL, else None (rendered as text, not a link)."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return None
    if any(ord(ch) < 32 or ch.isspace() for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


_TAGS = {"insert": ("<ins>", "</ins>"), "delete": ("<del>", "</del>")}


def redline(segments: Any) -> Markup:
    """Segments (objects or dicts with ``op`` and ``text``) as escaped text in <ins>/<del>.

    Every text is escaped here; only the two tags are markup. (A filter rather than a macro:
    the compare page of a long document calls it thousands of times.)
    """
    out = []
    for seg in segments or ():
        op, text = (seg["op"], seg["text"]) if isinstance(seg, dict) else (seg.op, seg.text)
        tags = _TAGS.get(op)
        out.append(f"{tags[0]}{escape(text)}{tags[1]}" if tags else str(escape(text)))
    return Markup("".join(out))


def side_html(side: Any) -> Markup:
    """One side of a compare row: its number (unless the text shows it) and redlined text."""
    body = redline(side.segments)
    if side.heading:
        return Markup(f'<strong class="clause-heading">{body}</strong>')
    number = side.number
    if number:
        return Markup(f'<span class="num">{escape(number)}</span> {body}')
    return body


def completeness_text(value: Any) -> str:
    """Reader-facing text for a completeness value."""
    return COMPLETENESS_TEXT.get(str(value or "full"), str(value))


def short_id(value: Any) -> str:
    """The first 7 characters of a version id."""
    return str(value)[:7]


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.jinja_env.globals["full_number"] = full_number
    app.jinja_env.filters.update(
        http_url=http_url,
        completeness_text=completeness_text,
        short_id=short_id,
        redline=redline,
        side_html=side_html,
        outlet_chain=outlet_chain,
        event_source=event_source,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
