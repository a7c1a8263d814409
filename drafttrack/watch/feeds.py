"""RSS and Atom feeds: the entries of fetched feed bytes (feedparser, no fetching of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from drafttrack.watch.fetch import check_url


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry: its id (the link when it has none), its absolute link and title."""

    id: str
    link: str
    title: str


def entries(body: bytes, base_url: str) -> list[Entry]:
    """The entries of a feed with an http(s) link, in feed order; raises ValueError for bytes
    that are no feed."""
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise ValueError("not an RSS or Atom feed")
    found = []
    for item in parsed.entries:
        link = str(item.get("link") or "").strip()
        if not link:
            continue
        link = urljoin(base_url, link)
        if check_url(link):
            continue
        found.append(Entry(str(item.get("id") or link).strip(), link, str(item.get("title", ""))))
    return found
