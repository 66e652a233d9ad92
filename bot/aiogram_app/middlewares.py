"""Update-level middlewares: polite errors, duplicate updates, and the inbound helper."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User

from bot.aiogram_app.replies import perform
from bot.conversation import Conversation, Inbound

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def inbound(user: User | None, chat_id: int | None = None) -> Inbound | None:
    """Build the conversation's Inbound from an aiogram user (None for anonymous posts)."""
    if user is None:
        return None
    return Inbound(user_id=user.id, chat_id=chat_id if chat_id is not None else user.id,
                   language_code=user.language_code)


def _origin(update: Update) -> tuple[Inbound | None, str | None]:
    if isinstance(update.message, Message):
        return inbound(update.message.from_user, update.message.chat.id), None
    if isinstance(update.callback_query, CallbackQuery):
        query = update.callback_query
        chat_id = query.message.chat.id if query.message is not None else None
        return inbound(query.from_user, chat_id), query.id
    return None, None


class ErrorMiddleware(BaseMiddleware):
    """Turn any unexpected exception into the generic polite message; log the traceback."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]
                       ) -> Any:
        try:
            return await handler(event, data)
        except Exception:
            update = event if isinstance(event, Update) else None
            log.exception("update %s failed", update.update_id if update else "?")
            if update is None:
                return None
            who, callback_id = _origin(update)
            if who is None:
                return None
            bot: Bot = data["bot"]
            try:
                await perform(bot, self.conversation.generic_error(who, callback_id))
            except Exception:
                log.exception("could not send the error reply")
            return None


class DedupeMiddleware(BaseMiddleware):
    """Skip updates already handled (same bot, same update_id)."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]
                       ) -> Any:
        if isinstance(event, Update):
            bot: Bot = data["bot"]
            if not await self.conversation.first_delivery(bot_id=bot.id,
                                                          update_id=event.update_id):
                log.info("duplicate update %s ignored", event.update_id)
                return None
        return await handler(event, data)
