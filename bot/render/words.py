"""A person's words quoted inside a card: every further line indented.

Owners write what they like, line breaks included: unindented, a line of theirs such as
"状态：已解决，无需处理" reads as one of the card's own lines (status, work order, tags). Each
line after the first starts with a full-width indent, so the card's lines are the only ones
at the margin. Every kind of line break a client shows counts (CR, U+2028, ...); blank lines
are dropped and the indent is one character, so 2000 characters of line breaks cannot grow
the card past Telegram's 4096 and cut its own last lines (deadline, status). Direction
overrides, embeddings and isolates (U+202A-E, U+2066-9) are dropped: an owner's "\u202e"
would show the rest of the line reversed; direction marks (U+200E/F) stay, they reorder
nothing but neutral characters.
"""

from __future__ import annotations

import re

INDENT = "\u3000"  # an ideographic space: as wide as a Chinese character
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def quoted(text: str) -> str:
    """Return words to quote in a card: no blank line, every line after the first indented."""
    lines = [line for line in _REORDERING.sub("", text).splitlines() if line.strip()]
    return ("\n" + INDENT).join(lines)
