"""Fit a text into one Telegram message: 4096 UTF-16 code units (a caption 1024, a tap's
answer 200).

Telegram counts after parsing the markup, in UTF-16 code units: an emoji, or a Chinese
character outside the basic plane (𠮷), counts twice. A longer text is refused for good
("message is too long"), so an owner's long words would never reach their reader. Both
adapters cut such a text instead: between characters, never inside an HTML tag or entity,
with the tags left open closed again and the cut marked "…".
"""

from __future__ import annotations

import html
import logging
import re

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_TOAST = 200  # a tap's answer (answerCallbackQuery text)
MARK = "…"
_HTML_TOKEN = re.compile(r"<(/?)([A-Za-z][\w-]*)?[^<>]*>|&#?\w+;|.", re.DOTALL)


def units(text: str) -> int:
    """Return the length of text in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, parse_mode: str | None = None, *, caption: bool = False) -> str:
    """Return the text unchanged if Telegram takes it, else cut to fit and marked "…"."""
    limit = MAX_CAPTION if caption else MAX_TEXT
    if 2 * len(text) <= limit:  # a code point is at most two units; markup is not counted
        return text
    html_mode = (parse_mode or "").lower() == "html"
    cut = _cut_html(text, limit) if html_mode else _cut_plain(text, limit)
    if cut != text:
        log.warning("a %s of %d characters was cut to fit one Telegram message",
                    "caption" if caption else "text", len(text))
    return cut


def fit_caption(caption: str | None) -> str | None:
    """Return a file's caption cut to Telegram's 1024 units (None stays None)."""
    return fit(caption, caption=True) if caption else caption


def fit_toast(text: str | None) -> str | None:
    """Return a tap's answer cut to Telegram's 200 units (a longer one is refused, so lost)."""
    return _cut_plain(text, MAX_TOAST) if text else text


def _cut_plain(text: str, limit: int) -> str:
    if units(text) <= limit:
        return text
    budget, kept = limit - units(MARK), 0
    for index, char in enumerate(text):
        kept += 2 if ord(char) > 0xFFFF else 1
        if kept > budget:
            return text[:index].rstrip() + MARK
    return text


def _cut_html(text: str, limit: int) -> str:
    tokens = list(_HTML_TOKEN.finditer(text))
    if sum(_shown(t) for t in tokens) <= limit:
        return text
    budget, kept = limit - units(MARK), 0
    open_tags: list[str] = []
    for token in tokens:
        shown = _shown(token)
        if kept + shown > budget:
            closing = "".join(f"</{name}>" for name in reversed(open_tags))
            return text[:token.start()] + MARK + closing
        kept += shown
        if token.group(2):  # a tag: keep the stack of those still open
            name = token.group(2).lower()
            if not token.group(1):
                open_tags.append(name)
            elif open_tags and open_tags[-1] == name:
                open_tags.pop()
    return text


def _shown(token: re.Match[str]) -> int:
    """Return the UTF-16 units a token shows once Telegram has parsed the HTML."""
    if len(token.group(0)) > 1 and token.group(0).startswith("<"):
        return 0
    return units(html.unescape(token.group(0)))
