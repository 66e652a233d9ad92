"""Turn the shared Bot API markup (`bot.runtime.markup`) into aiogram types."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.runtime import markup as shared
from surveys.outbox.ports import Keyboard, OutgoingMessage

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
_TYPES: dict[shared.MarkupKind, type[Markup]] = {
    "inline_keyboard": InlineKeyboardMarkup,
    "keyboard": ReplyKeyboardMarkup,
    "remove_keyboard": ReplyKeyboardRemove,
}


def _typed(data: dict[str, Any] | None) -> Markup | None:
    return None if data is None else _TYPES[shared.markup_kind(data)].model_validate(data)


def inline_markup(buttons: Keyboard | None) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard, or None when there are no buttons."""
    data = shared.inline_markup(buttons)
    return None if data is None else InlineKeyboardMarkup.model_validate(data)


def message_markup(message: OutgoingMessage) -> Markup | None:
    """Return the markup a new message carries (see `bot.runtime.markup`)."""
    return _typed(shared.message_markup(message))
