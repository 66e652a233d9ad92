"""Turn an aiogram `Message` or `CallbackQuery` into the runtime-neutral `Event`."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message, User

from bot.conversation import Inbound
from bot.runtime.events import Event, message_event


def _inbound(user: User | None, chat_id: int | None) -> Inbound | None:
    if user is None:
        return None
    return Inbound(user_id=user.id, chat_id=chat_id if chat_id is not None else user.id,
                   language_code=user.language_code)


def message_to_event(message: Message) -> Event | None:
    """Parse a message (None for anonymous channel posts)."""
    who = _inbound(message.from_user, message.chat.id)
    if who is None:
        return None
    contact = message.contact
    return message_event(
        who, message_id=message.message_id, text=message.text,
        phone=contact.phone_number if contact is not None else None,
        contact_user_id=contact.user_id if contact is not None else None,
        content=str(message.content_type),
    )


def callback_to_event(query: CallbackQuery) -> Event | None:
    """Parse a button tap."""
    message = query.message
    who = _inbound(query.from_user, message.chat.id if message is not None else None)
    if who is None:
        return None
    return Event(who, "callback", callback_id=query.id, data=query.data,
                 message_id=message.message_id if message is not None else None)
