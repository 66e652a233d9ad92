"""A person's words quoted inside a card: every further line indented.

Owners write what they like, line breaks included: unindented, a line of theirs such as
"状态：已解决，无需处理" reads as one of the card's own lines (status, work order, tags). Each
line after the first starts with a full-width indent, so the card's lines are the only ones
at the margin. Every kind of line break a client shows counts (CR, U+2028, ...). Direction
overrides, embeddings and isolates (U+202A-E, U+2066-9) are dropped: an owner's "\u202e"
would show the rest of the line reversed; direction marks (U+200E/F) stay, they reorder
nothing but neutral characters.
"""

from __future__ import annotations

import re

INDENT = "\u3000\u3000"  # two ideographic spaces: the usual indent of a Chinese paragraph
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def quoted(text: str) -> str:
    """Return words to quote in a card: one line each, every line after the first indented."""
    return ("\n" + INDENT).join(_REORDERING.sub("", text).splitlines())
