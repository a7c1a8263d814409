"""Quote attribution: which clause, and so which versions, a quote from a report comes from.

``entries`` gathers each distinct clause text with its versions; ``attribute`` ranks them for a
quote with two matchers behind one interface: ``lexical`` (same language, typos tolerated) and
``semantic`` (two multilingual encoders voting, loaded on first use), with cognates, names and
numbers shared across languages (``cognates``) as further evidence. No git, HTTP or store access
here.
"""

from drafttrack.quote.attribute import (
    DEFAULT_TOP,
    MAX_QUOTE_CHARS,
    Attributor,
    Match,
    QuoteError,
    attribute,
    check_quote,
)
from drafttrack.quote.embedder import EXTRA_HINT, Embedder, load_embedder, load_second_embedder
from drafttrack.quote.entries import Entry, build_entries
from drafttrack.quote.language import detect_language

__all__ = [
    "DEFAULT_TOP", "EXTRA_HINT", "MAX_QUOTE_CHARS", "Attributor", "Embedder", "Entry", "Match",
    "QuoteError", "attribute", "build_entries", "check_quote", "detect_language", "load_embedder",
    "load_second_embedder",
]  # fmt: skip
