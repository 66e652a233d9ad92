"""Everything else (stickers, photos, voice, files...) gets a polite refusal."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the catch-all router."""
    router = Router(name="fallback")

    @router.message()
    async def other(message: Message, bot: Bot, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is not None:
            kind = str(message.content_type)
            await perform(bot, await conversation.on_unsupported(who, kind))

    return router
