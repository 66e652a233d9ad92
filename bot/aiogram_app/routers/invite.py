"""/start with an invite token: bind (owner conversation), then give staff their menu."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.aiogram_app.staff_context import with_staff
from bot.aiogram_app.staff_replies import perform_staff
from bot.conversation import Conversation
from bot.staff import Staff


def build() -> Router:
    """Return the router of deep-link /start."""
    router = Router(name="invite")

    @router.message(CommandStart(deep_link=True))
    async def start(message: Message, command: CommandObject, bot: Bot,
                    conversation: Conversation, staff: Staff) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is None:
            return
        await perform(bot, await conversation.on_command(who, "start", command.args or ""))
        await perform_staff(bot, await staff.after_start(who))

    return with_staff(router)
