"""Turn a PTB `Update` into the runtime-neutral `Event` (None when nobody to answer)."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.conversation import Inbound
from bot.runtime.events import Event, message_event

# The content kinds we name in logs, in the order PTB's Message carries them.
_CONTENT = ("sticker", "photo", "voice", "video", "video_note", "animation", "audio",
            "document", "location", "venue", "poll", "dice", "game")


def _inbound(user: User | None, chat_id: int | None) -> Inbound | None:
    if user is None:
        return None
    return Inbound(user_id=user.id, chat_id=chat_id if chat_id is not None else user.id,
                   language_code=user.language_code)


def _content(message: Message) -> str:
    return next((name for name in _CONTENT if getattr(message, name, None)), "other")


def to_event(update: Update) -> Event | None:
    """Parse a message or a button tap; other updates (and anonymous senders) give None."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        who = _inbound(query.from_user, message.chat.id if message is not None else None)
        if who is None:
            return None
        return Event(who, "callback", callback_id=query.id, data=query.data,
                     message_id=message.message_id if message is not None else None)
    message = update.message
    if message is None:
        return None
    who = _inbound(message.from_user, message.chat.id)
    if who is None:
        return None
    contact = message.contact
    return message_event(
        who, message_id=message.message_id, text=message.text,
        phone=contact.phone_number if contact is not None else None,
        contact_user_id=contact.user_id if contact is not None else None,
        content=_content(message),
    )
