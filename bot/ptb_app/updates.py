"""Turn a PTB `Update` into the runtime-neutral `Event` (None when nobody to answer)."""

from __future__ import annotations

from telegram import Message, Update

from bot.runtime.events import Event
from bot.runtime.parse import parse_callback, parse_message

# The content kinds we name in logs, in the order PTB's Message carries them.
_CONTENT = ("sticker", "photo", "voice", "video", "video_note", "animation", "audio",
            "document", "location", "venue", "poll", "dice", "game")


def _content(message: Message) -> str:
    return next((name for name in _CONTENT if getattr(message, name, None)), "other")


def to_event(update: Update, bot_username: str | None = None) -> Event | None:
    """Parse a message or a button tap into an Event, else None.

    Other updates, anonymous senders and commands to another bot give None.
    """
    if update.callback_query is not None:
        return parse_callback(update.callback_query)
    message = update.message
    if message is None:
        return None
    return parse_message(message, content=_content(message), bot_username=bot_username)
