"""/forget: an owner erases their personal data (ratings stay, anonymously)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of /forget."""
    router = Router(name="forget")

    @router.message(Command("forget"))
    async def forget(
        message: Message, bot: Bot, conversation: Conversation, command: CommandObject
    ) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is not None:
            await perform(bot, await conversation.on_command(who, "forget", command.args or ""))

    return router
