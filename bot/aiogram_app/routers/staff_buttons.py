"""Taps on staff buttons (complaint handling, appeals, pages, follow-up answers)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.staff_context import with_staff
from bot.aiogram_app.staff_replies import perform_staff
from bot.staff import Staff
from bot.staff.callbacks import PREFIX


def build() -> Router:
    """Return the router of staff callback queries (data starting with the staff prefix)."""
    router = Router(name="staff_buttons")

    @router.callback_query(F.data.startswith(PREFIX))
    async def tap(query: CallbackQuery, bot: Bot, staff: Staff) -> None:
        chat_id = query.message.chat.id if query.message is not None else None
        who = inbound(query.from_user, chat_id)
        if who is None:
            return
        message_id = query.message.message_id if query.message is not None else None
        await perform_staff(bot, await staff.on_callback(
            who, callback_id=query.id, data=query.data, message_id=message_id))

    return with_staff(router)
