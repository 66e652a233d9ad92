"""A framework-free inbound event, and the one pipeline that routes it to both layers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.conversation.actions import AnswerCallback, Inbound
from bot.conversation.context import Context
from bot.conversation.core import Conversation
from bot.staff.actions import StaffAction
from bot.staff.callbacks import PREFIX as STAFF_PREFIX
from bot.staff.core import Staff
from surveys.outbox.reach import reachable_again
from surveys.people.identity import identify

_SPACE = re.compile(r"\s")
Kind = Literal["command", "contact", "text", "callback", "other"]


@dataclass(frozen=True)
class Event:
    """One thing a person did in chat, parsed from any runtime's update."""

    who: Inbound
    kind: Kind
    command: str = ""  # without the slash and @botname
    args: str = ""
    text: str = ""
    message_id: int | None = None
    phone: str = ""
    contact_user_id: int | None = None
    callback_id: str | None = None
    data: str | None = None
    content: str = "other"  # what an unreadable message carried (sticker, photo, ...)
    attachment: str | None = None  # the photo, video or file whose caption is `text`


def split_command(text: str, bot_username: str | None = None) -> tuple[str, str] | None:
    """Split '/cmd@bot args' into ('cmd', 'args'); None when not a command for this bot."""
    if not text.startswith("/") or len(text) < 2:
        return None
    # The command ends at any space: owners type its text on the next line, and a Chinese
    # input method in full-width mode types U+3000 for a space.
    head, _, args = _SPACE.sub(" ", text[1:], count=1).partition(" ")
    command, _, mention = head.partition("@")
    if not command or (mention and bot_username and mention.lower() != bot_username.lower()):
        return None
    return command, args.strip()


def for_another_bot(text: str | None, bot_username: str | None) -> bool:
    """Whether the text is a command addressed to another bot ('/stop@OtherBot')."""
    return (bool(text) and bot_username is not None and split_command(text or "") is not None
            and split_command(text or "", bot_username) is None)


def message_event(who: Inbound, *, message_id: int, text: str | None = None,
                  phone: str | None = None, contact_user_id: int | None = None,
                  content: str = "other") -> Event:
    """Classify a message: a contact, a command, plain text, or something unreadable."""
    if phone is not None:
        return Event(who, "contact", message_id=message_id, phone=phone,
                     contact_user_id=contact_user_id)
    if text is not None:
        parsed = split_command(text)
        if parsed is not None:
            return Event(who, "command", command=parsed[0], args=parsed[1], text=text,
                         message_id=message_id)
        return Event(who, "text", text=text, message_id=message_id)
    return Event(who, "other", message_id=message_id, content=content)


async def route(conv: Conversation, event: Event, staff: Staff | None = None
                ) -> list[StaffAction]:
    """Throttle once, load the sender's identity once, and call the entry points.

    The order both runtimes share (after `bot.runtime.handle` dropped a duplicate update):
    the rate limit comes before any database work, so a flood costs nothing; the identity
    (`surveys.people.identity`) is loaded once and both layers read it from the context.
    The staff layer (`bot.staff.Staff`: agents, managers, the owner's complaints) sees
    commands, texts and its own buttons first; None from it means "not mine", and the owner
    conversation answers. An invite /start also gives staff their command menu. A new
    command belongs in `Conversation.on_command` or `Staff.on_command`, never in an adapter.
    """
    who = event.who
    if who.chat_id != who.user_id:
        # Not the person's private chat (a group): owners' words, figures and reports must
        # never be said there, so the bot stays silent and only stops a button's spinner.
        return [AnswerCallback(event.callback_id)] if event.callback_id else []
    if (blocked := conv.admit(who, event.callback_id)) is not None:
        return list(blocked)
    me = await identify(db=conv.db, telegram_user_id=who.user_id)
    if me.unreachable:  # read with the identity: a write only while the mark is set
        await reachable_again(db=conv.db, chat_id=who.chat_id)  # they wrote: the chat is open
    ctx = conv.context(who, me)
    if event.attachment is not None:
        # The caption is read as the text it is; the photo itself is said not to be kept.
        note: list[StaffAction] = list(conv.attachment_not_kept(ctx))
        return note + await _route_words(conv, event, ctx, staff)
    return await _route_words(conv, event, ctx, staff)


async def _route_words(conv: Conversation, event: Event, ctx: Context, staff: Staff | None
                       ) -> list[StaffAction]:
    if event.kind == "command":
        if staff is not None:
            taken = await staff.on_command(ctx, event.command, event.args)
            if taken is not None:
                return taken
        actions: list[StaffAction] = list(await conv.on_command(ctx, event.command, event.args))
        if staff is not None and event.command.lower() == "start" and event.args:
            actions += await staff.after_start(ctx)
        return actions
    if event.kind == "contact":
        return list(await conv.on_contact(ctx, phone=event.phone,
                                          contact_user_id=event.contact_user_id))
    if event.kind == "text":
        if staff is not None:
            taken = await staff.on_text(ctx, text=event.text, message_id=event.message_id or 0)
            if taken is not None:
                return taken
        return list(await conv.on_text(ctx, text=event.text, message_id=event.message_id or 0))
    if event.kind == "callback":
        if staff is not None and (event.data or "").startswith(STAFF_PREFIX):
            return await staff.on_callback(ctx, callback_id=event.callback_id or "",
                                           data=event.data, message_id=event.message_id)
        return list(await conv.on_callback(ctx, callback_id=event.callback_id or "",
                                           data=event.data, message_id=event.message_id))
    return list(await conv.on_unsupported(ctx, event.content))
