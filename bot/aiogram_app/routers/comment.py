"""Plain text: a survey comment, an unknown command, or chatter."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of text messages."""
    router = Router(name="comment")

    @router.message(F.text)
    async def text(message: Message, bot: Bot, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is None or message.text is None:
            return
        await perform(bot, await conversation.on_text(who, text=message.text,
                                                      message_id=message.message_id))

    return router
