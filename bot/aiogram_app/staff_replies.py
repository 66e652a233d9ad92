"""Carry out staff actions with aiogram: files, per-chat menus, HTML edits; the rest as usual."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BotCommand, BotCommandScopeChat, BufferedInputFile

from bot.aiogram_app.keyboards import inline_markup, message_markup
from bot.aiogram_app.replies import perform
from bot.conversation import AnswerCallback, Send
from bot.staff.actions import EditText, SendFile, SetCommands

log = logging.getLogger(__name__)


async def perform_staff(bot: Bot, actions: Iterable[Any] | None) -> None:
    """Perform staff actions in order; the callback answer goes last."""
    ordered = sorted(actions or [], key=lambda a: isinstance(a, AnswerCallback))
    for action in ordered:
        if isinstance(action, SendFile):
            upload = BufferedInputFile(action.data, filename=action.filename)
            if action.kind == "photo":
                await bot.send_photo(action.chat_id, upload, caption=action.caption)
            else:
                await bot.send_document(action.chat_id, upload, caption=action.caption)
        elif isinstance(action, SetCommands):
            await set_chat_commands(bot, action)
        elif isinstance(action, EditText):
            try:
                await bot.edit_message_text(
                    chat_id=action.chat_id, message_id=action.message_id, text=action.text,
                    reply_markup=inline_markup(action.buttons),  # type: ignore[arg-type]
                    parse_mode=action.parse_mode)
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message.lower():
                    raise
        elif isinstance(action, Send) and action.message.extra.get("parse_mode"):
            message = action.message
            await bot.send_message(chat_id=message.chat_id, text=message.text,
                                   parse_mode=message.extra["parse_mode"],
                                   reply_markup=message_markup(message))
        else:
            await perform(bot, [action])


async def set_chat_commands(bot: Bot, action: SetCommands) -> None:
    """Set one chat's command menu in each language (Chinese also as the fallback)."""
    scope = BotCommandScopeChat(chat_id=action.chat_id)
    for locale, commands in action.commands.items():
        items = [BotCommand(command=c, description=d[:256]) for c, d in commands]
        languages = [None, "zh"] if locale == "zh_CN" else [locale]
        for language in languages:
            try:
                await bot.set_my_commands(items, scope=scope, language_code=language)
            except Exception:  # the menu is a nicety; the commands work without it
                log.warning("could not set the menu of chat %s", action.chat_id, exc_info=True)
