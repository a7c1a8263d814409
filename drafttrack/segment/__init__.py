"""Split a version's Markdown (or pasted plain text) into clauses.

markdown-it-py's block tokens give the structure: headings open paths, and paragraphs, list items
(nested), table rows, block quotes and code blocks become clauses, each with its source lines
(``token.map``). Clause numbers come from list markers or from the text (see ``numbering``).
Plain text without Markdown structure is split at numbered lines; very long paragraphs are split
into sentences. Every word of the input ends up in some clause's number or text.

One job per module: ``source`` (size limit, front matter), ``sentences`` (squashing, plain-text
parts, sentences), ``plain`` (blocks read without parsing), ``prose`` (indented prose or code),
``walk`` (block tokens to clauses), ``memo`` (chunks and the memo of their walks), ``text`` (a
whole text), ``relayout`` (the next version, reusing the chunks it shares).
"""

from drafttrack.segment.memo import FOLLOWED, BlockMemo, Parsed, chunk_texts, chunks
from drafttrack.segment.prose import CODE_SHARE, CODE_SYNTAX_WEIGHT
from drafttrack.segment.relayout import EMPTY_LAYOUT, Block, Layout, relayout
from drafttrack.segment.sentences import LONG_PARAGRAPH, squash
from drafttrack.segment.source import MAX_INPUT_CHARS
from drafttrack.segment.text import segment, uncovered_stretches
from drafttrack.segment.walk import PSEUDO_HEADING_LEVEL

__all__ = [
    "CODE_SHARE",
    "CODE_SYNTAX_WEIGHT",
    "EMPTY_LAYOUT",
    "FOLLOWED",
    "LONG_PARAGRAPH",
    "MAX_INPUT_CHARS",
    "PSEUDO_HEADING_LEVEL",
    "Block",
    "BlockMemo",
    "Layout",
    "Parsed",
    "chunk_texts",
    "chunks",
    "relayout",
    "segment",
    "squash",
    "uncovered_stretches",
]
