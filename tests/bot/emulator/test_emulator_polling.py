"""Whole bots (aiogram Dispatcher, PTB Application) run their polling loops against it."""

from __future__ import annotations

import asyncio
import contextlib

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram import InlineKeyboardButton as PtbButton
from telegram import InlineKeyboardMarkup as PtbMarkup
from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.emulator import EmulatorServer
from tests.bot.emulator.conftest import TOKEN, USER_ID

KEYBOARD = {"inline_keyboard": [[{"text": "满意", "callback_data": "rate:5"}]]}


async def test_aiogram_dispatcher_answers_start_and_taps(emu: EmulatorServer) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
    dp = Dispatcher()

    @dp.message(CommandStart(deep_link=True))
    async def start(message: Message, command: CommandObject) -> None:
        markup = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="满意", callback_data="rate:5")]])
        await message.answer(f"绑定 {command.args}", reply_markup=markup)

    @dp.callback_query(F.data.startswith("rate:"))
    async def rate(query: CallbackQuery) -> None:
        await query.answer("已记录")
        assert query.message is not None
        await bot.edit_message_text("谢谢您的评价", chat_id=query.message.chat.id,
                                    message_id=query.message.message_id)

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False,
                                                   polling_timeout=1))
    try:
        await emu.client.send_text(TOKEN, USER_ID, "/start code42")
        prompt = await emu.client.wait_for_message(TOKEN, USER_ID, text="绑定 code42")
        assert prompt["reply_markup"] == KEYBOARD
        await emu.client.tap_button(TOKEN, USER_ID, prompt["message_id"], "满意")
        done = await emu.client.wait_for_message(TOKEN, USER_ID, text="谢谢您的评价")
        assert done["reply_markup"] is None  # an edit without markup drops the keyboard
        assert [a["text"] for a in await emu.client.callback_answers(TOKEN)] == ["已记录"]
    finally:
        await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await bot.session.close()


async def test_ptb_application_answers_start_with_payload_and_taps(emu: EmulatorServer
                                                                   ) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            f"绑定 {' '.join(context.args or [])}",
            reply_markup=PtbMarkup([[PtbButton("满意", callback_data="rate:5")]]))

    async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("已记录")
        await query.edit_message_text("谢谢您的评价")

    app = (ApplicationBuilder().token(TOKEN).base_url(f"{emu.base_url}/bot")
           .base_file_url(f"{emu.base_url}/file/bot").build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(rate, pattern="^rate:"))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            await emu.client.send_text(TOKEN, USER_ID, "/start code42")
            prompt = await emu.client.wait_for_message(TOKEN, USER_ID, text="绑定 code42")
            await emu.client.tap_button(TOKEN, USER_ID, prompt["message_id"], "满意")
            await emu.client.wait_for_message(TOKEN, USER_ID, text="谢谢您的评价")
        finally:
            await app.updater.stop()
            await app.stop()

