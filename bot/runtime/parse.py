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

# Telegram's service messages (the Bot API's field names, which both frameworks mirror): a
# pin, an auto-delete timer, a wallpaper, a gift... happened in the chat; nobody wrote.
SERVICE_FIELDS = frozenset({
    "new_chat_members", "left_chat_member", "chat_owner_left", "chat_owner_changed",
    "new_chat_title", "new_chat_photo", "delete_chat_photo", "group_chat_created",
    "supergroup_chat_created", "channel_chat_created", "message_auto_delete_timer_changed",
    "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message", "successful_payment",
    "refunded_payment", "users_shared", "user_shared", "chat_shared", "gift", "unique_gift",
    "gift_upgrade_sent", "connected_website", "write_access_allowed", "passport_data",
    "proximity_alert_triggered", "boost_added", "chat_background_set", "checklist_tasks_done",
    "checklist_tasks_added", "direct_message_price_changed", "forum_topic_created",
    "forum_topic_edited", "forum_topic_closed", "forum_topic_reopened",
    "general_forum_topic_hidden", "general_forum_topic_unhidden", "giveaway_created",
    "giveaway_completed", "managed_bot_created", "paid_message_price_changed",
    "poll_option_added", "poll_option_deleted", "suggested_post_approved",
    "suggested_post_approval_failed", "suggested_post_declined", "suggested_post_paid",
    "suggested_post_refunded", "video_chat_scheduled", "video_chat_started",
    "video_chat_ended", "video_chat_participants_invited", "web_app_data",
    "community_chat_added", "community_chat_removed", "community_chat_joined",
})


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
    if forwarded_from_itself(message, bot_username):
        # The survey card forwarded back is not the owner's words: kept, it became their
        # comment ("意见：📋 满意度回访 …") or a complaint.
        return None
    contact = message.contact
    if text is None and contact is None and is_service(message):
        return None  # "you pinned the survey card" is no message to answer
    event = message_event(
        who, message_id=message.message_id, text=text,
        phone=contact.phone_number if contact is not None else None,
        contact_user_id=contact.user_id if contact is not None else None,
        content=content,
    )
    return replace(event, attachment=attachment) if attachment and event.text else event


def is_service(message: object) -> bool:
    """Tell whether a message is Telegram's note that something happened (a pin, a timer).

    A field this framework version does not know is still seen: aiogram keeps it as an
    extra attribute, PTB in `api_kwargs`.
    """
    extra = getattr(message, "api_kwargs", None) or {}
    return any(getattr(message, name, None) or name in extra for name in SERVICE_FIELDS)


def forwarded_from_itself(message: object, bot_username: str | None) -> bool:
    """Tell whether a message is one of this bot's own, forwarded back to it."""
    origin = getattr(message, "forward_origin", None)
    sender = getattr(origin, "sender_user", None)
    username = getattr(sender, "username", None)
    return (bot_username is not None and getattr(sender, "is_bot", False) is True
            and isinstance(username, str) and username.lower() == bot_username.lower())


def parse_callback(query: _Query) -> Event | None:
    """Parse a button tap."""
    message = query.message
    who = _inbound(query.from_user, _chat_id(message) if message is not None else None)
    if who is None:
        return None
    return Event(who, "callback", callback_id=query.id, data=query.data,
                 message_id=message.message_id if message is not None else None)
