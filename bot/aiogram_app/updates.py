"""Turn an aiogram `Message` or `CallbackQuery` into the runtime-neutral `Event`."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from bot.runtime.events import Event
from bot.runtime.parse import parse_callback, parse_message


def message_to_event(message: Message, bot_username: str | None = None) -> Event | None:
    """Parse a message (None for anonymous channel posts and commands to another bot)."""
    return parse_message(message, content=str(message.content_type), bot_username=bot_username)


def callback_to_event(query: CallbackQuery) -> Event | None:
    """Parse a button tap."""
    return parse_callback(query)
