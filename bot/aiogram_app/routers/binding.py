"""A shared phone contact binds the owner."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of contact messages."""
    router = Router(name="binding")

    @router.message(F.contact)
    async def contact(message: Message, bot: Bot, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is None or message.contact is None:
            return
        await perform(bot, await conversation.on_contact(
            who, phone=message.contact.phone_number, contact_user_id=message.contact.user_id))

    return router
