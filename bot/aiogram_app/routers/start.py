"""/start (with an optional invite token) and /help."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of /start and /help."""
    router = Router(name="start")

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject, bot: Bot,
                    conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is not None:
            await perform(bot, await conversation.on_command(who, "start", command.args or ""))

    @router.message(Command("help"))
    async def help_(message: Message, bot: Bot, conversation: Conversation) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is not None:
            await perform(bot, await conversation.on_command(who, "help"))

    return router
