"""Inline button taps on survey messages."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation


def build() -> Router:
    """Return the router of callback queries."""
    router = Router(name="survey")

    @router.callback_query()
    async def tap(query: CallbackQuery, bot: Bot, conversation: Conversation) -> None:
        chat_id = query.message.chat.id if query.message is not None else None
        who = inbound(query.from_user, chat_id)
        if who is None:
            return
        message_id = query.message.message_id if query.message is not None else None
        await perform(bot, await conversation.on_callback(
            who, callback_id=query.id, data=query.data, message_id=message_id))

    return router
