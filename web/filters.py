"""Template filters: links only for http(s) URLs, and small formatting helpers.

None of them marks text as safe: Jinja's autoescaping escapes every value they return.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup, escape

from drafttrack.inline import visible_text
from drafttrack.model import WordOp
from drafttrack.redline import formatted as clause_runs
from drafttrack.redline import redline_runs
from drafttrack.render_rows import full_number
from drafttrack.worddiff import apply_new, apply_old
from drafttrack.wording import UNKNOWN_SOURCE, event_source, outlet_chain

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
_MARK_TAGS = {"strong": "strong", "em": "em", "strike": "s", "code": "code"}


def redline(segments: Any) -> Markup:
    """Segments (objects or dicts with ``op`` and ``text``, optionally ``marks`` and
    ``target``) as escaped, formatted text in <ins>/<del>.

    Every text is escaped here; only tags are markup: <ins>/<del>, bold, italic, strike and
    code, and a link as its text — an <a> for an http(s) target, else a span — with the
    target in its title. A deletion directly followed by an insertion gets a space between,
    so the two words never read (or copy) as one. (A filter rather than a macro: the compare
    page of a long document calls it thousands of times.)
    """
    out = []
    previous: tuple[str, str] | None = None
    for seg in segments or ():
        if isinstance(seg, dict):
            op, text = seg["op"], seg["text"]
            marks, target = seg.get("marks") or (), seg.get("target")
        else:
            op, text = seg.op, seg.text
            marks, target = getattr(seg, "marks", ()), getattr(seg, "target", None)
        if previous and _glued(previous, op, text):
            out.append(" ")
        previous = (op, text)
        body = _formatted(str(escape(text)), marks, target)
        tags = _TAGS.get(op)
        out.append(f"{tags[0]}{body}{tags[1]}" if tags else body)
    return Markup("".join(out))


def _glued(previous: tuple[str, str], op: str, text: str) -> bool:
    p_op, p_text = previous
    if p_op != "delete" or op != "insert" or not p_text or not text:
        return False
    return not (p_text[-1].isspace() or text[0].isspace())


def _formatted(body: str, marks: Any, target: Any) -> str:
    """``body`` (escaped already) inside the tags of its formatting, innermost last."""
    for mark in reversed(tuple(marks)):
        tag = _MARK_TAGS.get(mark)
        if tag:
            body = f"<{tag}>{body}</{tag}>"
        elif mark == "link":
            title = escape(str(target or ""))
            url = http_url(target)
            if url:
                body = (
                    f'<a class="ref" href="{escape(url)}" title="{title}" '
                    f'rel="nofollow noopener noreferrer">{body}</a>'
                )
            else:
                body = f'<span class="ref" title="{title}">{body}</span>'
    return body


def inline_md(text: Any) -> Markup:
    """A clause's source text as formatted, escaped HTML (link text, not link syntax)."""
    return redline(clause_runs(str(text or "")))


def visible_words(ops: Any) -> list[Any]:
    """A word diff of source texts (dicts with ``op`` and ``text``) as formatted runs of the
    visible texts."""
    words = [WordOp(o["op"], o["text"]) for o in ops or ()]
    return list(redline_runs([apply_old(words)], [apply_new(words)], words))


def visible(text: Any) -> str:
    """What a reader sees of a clause's source text (no Markdown syntax)."""
    return visible_text(str(text or ""))


def side_html(side: Any) -> Markup:
    """One side of a compare row: its number (unless the text shows it) and redlined text."""
    body = redline(side.segments)
    if side.heading:
        return Markup(f'<strong class="clause-heading">{body}</strong>')
    number = side.number
    if number:
        return Markup(f'<span class="num">{escape(number)}</span> {body}')
    return body


def diverged_html(side: Any, divergences: Any, which: str) -> Markup:
    """One side of a cross-language pair with its divergences marked (``<mark>`` around each
    span, the other side's reading in the title)."""
    other = "new" if which == "old" else "old"
    parts = []
    for k, clause in enumerate(side.clauses):
        text = str(clause.text)
        spans = sorted(
            (d[f"{which}_span"][0], d[f"{which}_span"][1], d)
            for d in divergences or ()
            if d.get(f"{which}_span") and d.get(f"{which}_clause") == k
        )
        out, pos = [], 0
        for start, end, d in spans:
            if start < pos:
                continue
            title = f"{d['kind']}: {d.get(other) or 'nothing'} on the other side"
            out.append(escape(text[pos:start]))
            out.append(Markup('<mark class="divergence div-{}" title="{}">{}</mark>').format(
                d["kind"], title, text[start:end]))  # fmt: skip
            pos = end
        out.append(escape(text[pos:]))
        parts.append(Markup("").join(out))
    body = Markup(" ").join(parts)
    number = side.number
    return Markup('<span class="num">{}</span> ').format(number) + body if number else body


def completeness_text(value: Any) -> str:
    """Reader-facing text for a completeness value."""
    return COMPLETENESS_TEXT.get(str(value or "full"), str(value))


def short_id(value: Any) -> str:
    """The first 7 characters of a version id."""
    return str(value)[:7]


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.jinja_env.globals["full_number"] = full_number
    app.jinja_env.globals["UNKNOWN_SOURCE"] = UNKNOWN_SOURCE
    app.jinja_env.filters.update(
        http_url=http_url,
        completeness_text=completeness_text,
        short_id=short_id,
        redline=redline,
        inline_md=inline_md,
        visible=visible,
        visible_words=visible_words,
        side_html=side_html,
        diverged_html=diverged_html,
        outlet_chain=outlet_chain,
        event_source=event_source,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
