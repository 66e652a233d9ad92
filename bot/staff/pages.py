"""Split long outputs into pages under Telegram's 4096-character limit, never mid-row.

A text is cut at blank lines (between sections and tables) when it can be; a table longer
than a page is cut between rows and its first line (the header) repeats on the next page.
"""

from __future__ import annotations

import html

PAGE_CHARS = 3500  # leaves room for the page footer and HTML escaping of a few characters


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip() == "":
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _size(lines: list[str]) -> int:
    return sum(len(html.escape(line)) + 1 for line in lines)


def paginate(text: str, limit: int = PAGE_CHARS) -> list[str]:
    """Return the pages of a text, each at most `limit` characters once HTML-escaped."""
    pages: list[list[str]] = [[]]
    for block in _blocks(text):
        pieces = [block]
        if _size(block) > limit:
            pieces = _split_block(block, limit)
        for piece in pieces:
            current = pages[-1]
            extra = ([""] if current else []) + piece
            if current and _size(current) + _size(extra) > limit:
                pages.append(list(piece))
            else:
                current.extend(extra)
    return ["\n".join(p) for p in pages if p] or [""]


def _split_block(block: list[str], limit: int) -> list[list[str]]:
    header, rows = block[0], block[1:]
    pieces: list[list[str]] = [[header]]
    for row in rows:
        if _size(pieces[-1]) + _size([row]) > limit:
            pieces.append([header])
        pieces[-1].append(row[: limit - len(header) - 2])
    return pieces
