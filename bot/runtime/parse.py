"""Parse a framework's message or button tap into an `Event`, for both runtimes.

aiogram and PTB both mirror the Bot API's field names (`from_user`, `chat.id`, `contact`,
`message_id`, `data`), so the parsing is written once against those shapes; an adapter
only names what an unreadable message carried.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from bot.conversation.actions import Inbound
from bot.runtime.events import Event, for_another_bot, message_event


class _User(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def language_code(self) -> str | None: ...


class _Chat(Protocol):
    @property
    def id(self) -> int: ...


class _Contact(Protocol):
    @property
    def phone_number(self) -> str: ...
    @property
    def user_id(self) -> int | None: ...


class _AnyMessage(Protocol):  # also an inaccessible (too old) message under a button
    @property
    def chat(self) -> _Chat: ...
    @property
    def message_id(self) -> int: ...


class _Message(_AnyMessage, Protocol):
    @property
    def from_user(self) -> _User | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def caption(self) -> str | None: ...
    @property
    def contact(self) -> _Contact | None: ...


class _Query(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def from_user(self) -> _User: ...
    @property
    def data(self) -> str | None: ...
    @property
    def message(self) -> _AnyMessage | None: ...


_NO_CHAT = object()  # what a malformed update names instead of a chat id


def _chat_id(message: _AnyMessage) -> object:
    chat: _Chat | None = message.chat  # PTB builds a message without one from bad JSON
    return chat.id if chat is not None and isinstance(chat.id, int) else _NO_CHAT


def _inbound(user: _User | None, chat_id: object) -> Inbound | None:
    # PTB does not check types: a null or text id is nobody to answer. chat_id None is a
    # tap on an inline message, answered in the person's own chat.
    if user is None or not isinstance(user.id, int):
        return None
    if chat_id is not None and not isinstance(chat_id, int):
        return None
    return Inbound(user_id=user.id, chat_id=chat_id if chat_id is not None else user.id,
                   language_code=user.language_code)


def parse_message(message: _Message, *, content: str,
                  bot_username: str | None = None) -> Event | None:
    """Parse a message (None for anonymous senders and for commands to another bot).

    A photo, video or file with a caption is read as its caption's text: the caption is the
    owner's words ("厨房又漏水了" under a photo of the leak), and the event names what came
    with them (`attachment`) so the owner can be told it was not kept.
    """
    who = _inbound(message.from_user, _chat_id(message))
    text, attachment = message.text, None
    caption = getattr(message, "caption", None)  # a malformed update may carry anything
    if text is None and isinstance(caption, str) and caption.strip():
        text, attachment = caption, content
    if who is None or for_another_bot(text, bot_username):
        # '/stop@OtherBot' is that bot's business: acting on it would opt the owner out.
        return None
    contact = message.contact
    event = message_event(
        who, message_id=message.message_id, text=text,
        phone=contact.phone_number if contact is not None else None,
        contact_user_id=contact.user_id if contact is not None else None,
        content=content,
    )
    return replace(event, attachment=attachment) if attachment and event.text else event


def parse_callback(query: _Query) -> Event | None:
    """Parse a button tap."""
    message = query.message
    who = _inbound(query.from_user, _chat_id(message) if message is not None else None)
    if who is None:
        return None
    return Event(who, "callback", callback_id=query.id, data=query.data,
                 message_id=message.message_id if message is not None else None)
