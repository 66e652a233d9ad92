"""Text, entity and keyboard rules Telegram applies to message content."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.emulator.errors import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Telegram takes at most 100 buttons in an inline keyboard; more is "reply markup is too long"
# (REPLY_MARKUP_TOO_LONG, which telegram-bot-api words so). Long texts and data can hit the
# same refusal with fewer buttons; its byte limit is not published, so only the count is kept.
MAX_INLINE_BUTTONS = 100
HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "tg-spoiler", "span", "blockquote", "tg-emoji",
    }
)
_COMMAND_RE = re.compile(r"(?:(?<=\s)|^)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)?([^<>]*)>")
_MD_ESCAPE_RE = re.compile(r"\\(.)")
_MD_MARKS_RE = re.compile(r"(\|\||[*_~`])")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, as Telegram counts offsets."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """Return the bot_command entities Telegram attaches to a user's text."""
    entities = []
    for match in _COMMAND_RE.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


def plain_text(text: str, parse_mode: str | None) -> str:
    """Return the text a person sees once the parse mode's markup is applied."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return html.unescape(_TAG_RE.sub("", text))
    if mode in ("markdown", "markdownv2"):
        # Protect escaped characters, drop the markers, then restore them.
        parts = _MD_ESCAPE_RE.split(text)
        out = []
        for index, part in enumerate(parts):
            out.append(part if index % 2 else _MD_MARKS_RE.sub("", _MD_LINK_RE.sub(r"\1", part)))
        return "".join(out)
    return text


def check_html(text: str) -> None:
    """Reject HTML that Telegram would refuse to parse, with its error text."""
    stack: list[str] = []
    position = 0
    for match in _TAG_RE.finditer(text):
        _check_bare_lt(text, position, match.start())
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        offset = len(text[: match.start()].encode())
        if name not in HTML_TAGS:
            kind = "end" if closing else "start"
            raise bad_request(
                f'can\'t parse entities: Unsupported {kind} tag "{name}" at byte offset {offset}'
            )
        if not closing:
            stack.append(name)
            continue
        if not stack or stack[-1] != name:
            expected = stack[-1] if stack else "nothing"
            raise bad_request(
                f'can\'t parse entities: Unmatched end tag at byte offset {offset}, expected '
                f'"</{expected}>", found "</{name}>"'
            )
        stack.pop()
    _check_bare_lt(text, position, len(text))
    if stack:
        raise bad_request(
            f'can\'t parse entities: Can\'t find end tag corresponding to start tag "{stack[-1]}"'
        )


def check_markdown_v2(text: str) -> None:
    """Reject MarkdownV2 with an unescaped character that is never markup there."""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            # Code spans and blocks only need ` and \ escaped inside.
            fence = "```" if text.startswith("```", index) else "`"
            end = text.find(fence, index + len(fence))
            index = len(text) if end < 0 else end + len(fence)
            continue
        if char == "(" and index > 0 and text[index - 1] == "]":
            end = text.find(")", index)
            index = len(text) if end < 0 else end + 1
            continue
        at_line_start = index == 0 or text[index - 1] == "\n"
        if char in ".!#+-={}" or (char == ">" and not at_line_start):
            raise bad_request(
                f"can't parse entities: Character '{char}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        index += 1


def _check_bare_lt(text: str, start: int, end: int) -> None:
    index = text.find("<", start, end)
    if index >= 0:
        offset = len(text[:index].encode())
        raise bad_request(
            "can't parse entities: Unexpected end of name token at byte offset " f"{offset}"
        )


def check_text(text: str | None, parse_mode: str | None, *, caption: bool = False) -> str:
    """Validate message text or caption and return what the person will see."""
    if caption:
        if not text:
            return ""
    elif text is None or not text.strip():
        raise bad_request("message text is empty")
    if (parse_mode or "").lower() == "html":
        check_html(text)
    elif (parse_mode or "").lower() == "markdownv2":
        check_markdown_v2(text)
    elif parse_mode and parse_mode.lower() not in ("markdown", "markdownv2"):
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    shown = plain_text(text, parse_mode)
    if not caption and not shown.strip():
        raise bad_request("message text is empty")
    limit = MAX_CAPTION if caption else MAX_TEXT
    if utf16_len(shown) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return shown


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a reply_markup object the way Telegram does and return it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be "
                              "an Array of Arrays")
        for row in rows:
            for button in row:
                _check_inline_button(button)
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        return markup
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("field \"keyboard\" of the ReplyKeyboardMarkup should be an Array "
                              "of Arrays")
        return markup
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not (1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA):
        raise bad_request("BUTTON_DATA_INVALID")
    kinds = {"callback_data", "url", "login_url", "switch_inline_query", "web_app", "pay",
             "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
             "callback_game", "copy_text"}
    if not kinds & button.keys():
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the markup if it is an inline keyboard (the only kind a Message carries)."""
    if markup and "inline_keyboard" in markup:
        return markup
    return None
