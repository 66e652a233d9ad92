"""Texts the staff layer takes: a relayed reply, an appeal reason, an owner's complaint."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.aiogram_app.staff_context import with_staff
from bot.aiogram_app.staff_replies import perform_staff
from bot.conversation import Conversation
from bot.staff import Staff


def build() -> Router:
    """Return the router of staff texts (others pass on to the survey comment router)."""
    router = Router(name="staff_text")

    @router.message(F.text)
    async def text(message: Message, bot: Bot, staff: Staff, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is None or message.text is None:
            return
        # Per-user rate limit before any work (a flood must not open a complaint per line).
        # A text passed on to the comment router is counted again there: two tokens, which
        # a person typing never notices.
        if (blocked := conversation.admit(who)) is not None:
            await perform(bot, blocked)
            return
        actions = await staff.on_text(who, text=message.text, message_id=message.message_id)
        if actions is None:
            raise SkipHandler
        await perform_staff(bot, actions)

    return with_staff(router)
