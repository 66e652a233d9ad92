"""Agent, manager and complaint commands: /me /appeal /report /agent /complaints /appeals
/export /chart /complain /cancel, and /help for staff. Role checks live in `bot.roles`."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.staff_context import with_staff
from bot.aiogram_app.staff_replies import perform_staff
from bot.roles import STAFF_COMMANDS
from bot.staff import Staff

COMMANDS = sorted(STAFF_COMMANDS | {"complain", "cancel", "help"})


def build() -> Router:
    """Return the router of staff commands."""
    router = Router(name="staff_commands")

    @router.message(Command(*COMMANDS))
    async def command(message: Message, command: CommandObject, bot: Bot, staff: Staff) -> None:
        who = inbound(message.from_user, message.chat.id)
        if who is None:
            return
        actions = await staff.on_command(who, command.command, command.args or "")
        if actions is None:
            raise SkipHandler  # e.g. an owner's /help: the owner conversation answers
        await perform_staff(bot, actions)

    return with_staff(router)
