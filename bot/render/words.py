"""A person's words quoted inside a card: every further line indented.

Owners write what they like, line breaks included: unindented, a line of theirs such as
"状态：已解决，无需处理" reads as one of the card's own lines (status, work order, tags). Each
line after the first starts with a full-width indent, so the card's lines are the only ones
at the margin. Every kind of line break a client shows counts (CR, U+2028, ...).
"""

from __future__ import annotations

INDENT = "\u3000\u3000"  # two ideographic spaces: the usual indent of a Chinese paragraph


def quoted(text: str) -> str:
    """Return words to quote in a card: one line each, every line after the first indented."""
    return ("\n" + INDENT).join(text.splitlines())
