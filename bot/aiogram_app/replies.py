"""Carry out the conversation's reply actions with aiogram's Bot."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ReplyParameters

from bot.aiogram_app.keyboards import inline_markup, message_markup
from bot.conversation import Action, AnswerCallback, Edit, Send

log = logging.getLogger(__name__)


async def perform(bot: Bot, actions: Iterable[Action]) -> None:
    """Send, edit and answer as the actions say; the callback answer goes last.

    Answering last means a client (and a test) that sees the answer sees the edit too.
    """
    ordered = sorted(actions, key=lambda a: isinstance(a, AnswerCallback))
    for action in ordered:
        if isinstance(action, AnswerCallback):
            await _answer(bot, action)
        elif isinstance(action, Edit):
            await _edit(bot, action)
        elif isinstance(action, Send):
            message = action.message
            reply_to = message.extra.get("reply_to_message_id")
            await bot.send_message(
                chat_id=message.chat_id, text=message.text,
                reply_markup=message_markup(message),
                reply_parameters=ReplyParameters(message_id=int(reply_to),
                                                 allow_sending_without_reply=True)
                if reply_to else None,
            )


async def _answer(bot: Bot, action: AnswerCallback) -> None:
    try:
        await bot.answer_callback_query(action.callback_id, text=action.text,
                                        show_alert=action.alert)
    except TelegramBadRequest as exc:
        # Too old or already answered: the user has moved on, nothing to repair.
        log.info("callback answer refused: %s", exc.message)


async def _edit(bot: Bot, action: Edit) -> None:
    try:
        await bot.edit_message_text(
            chat_id=action.chat_id, message_id=action.message_id, text=action.text,
            reply_markup=inline_markup(action.buttons),
        )
    except TelegramBadRequest as exc:
        if "not modified" in exc.message.lower():
            return  # a repeated tap: the message already shows this
        raise
