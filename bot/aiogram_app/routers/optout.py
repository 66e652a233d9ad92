"""/stop: opt out of surveys."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of /stop."""
    router = Router(name="optout")

    @router.message(Command("stop"))
    async def stop(message: Message, bot: Bot, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is not None:
            await perform(bot, await conversation.on_command(who, "stop"))

    return router
