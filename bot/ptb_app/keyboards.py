"""Turn the shared Bot API markup (`bot.runtime.markup`) into PTB types."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.runtime import markup as shared
from surveys.outbox.ports import Keyboard, OutgoingMessage

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def _reply_keyboard(data: dict[str, Any]) -> ReplyKeyboardMarkup:
    # PTB's ReplyKeyboardMarkup.de_json would leave the buttons as dicts.
    rows = [[KeyboardButton.de_json(b) for b in row] for row in data["keyboard"]]
    return ReplyKeyboardMarkup(rows, **{k: v for k, v in data.items() if k != "keyboard"})


def inline_markup(buttons: Keyboard | None) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard, or None when there are no buttons."""
    data = shared.inline_markup(buttons)
    return None if data is None else InlineKeyboardMarkup.de_json(data)


def message_markup(message: OutgoingMessage) -> Markup | None:
    """Return the markup a new message carries (see `bot.runtime.markup`)."""
    data = shared.message_markup(message)
    if data is None:
        return None
    kind = shared.markup_kind(data)
    if kind == "inline_keyboard":
        return InlineKeyboardMarkup.de_json(data)
    if kind == "keyboard":
        return _reply_keyboard(data)
    return ReplyKeyboardRemove.de_json(data)
