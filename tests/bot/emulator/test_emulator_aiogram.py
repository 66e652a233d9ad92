"""The real aiogram Bot works against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator import EmulatorServer
from bot.emulator.actions import TINY_PNG
from tests.bot.emulator.conftest import TOKEN, USER_ID


@pytest.fixture
async def abot(emu: EmulatorServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url))
    bot = Bot(TOKEN, session=session)
    yield bot
    await bot.session.close()


def stars() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=f"{n}★", callback_data=f"s:{n}") for n in range(1, 6)
    ]])


async def test_get_me_names_the_bot_after_its_token(abot: Bot) -> None:
    me = await abot.get_me()
    assert me.is_bot and me.id == 123456 and me.username == "emu123456_bot"


async def test_send_and_edit_keep_history_and_keyboard(abot: Bot, emu: EmulatorServer) -> None:
    sent = await abot.send_message(USER_ID, "请评价", reply_markup=stars())
    assert sent.message_id == 1 and sent.reply_markup is not None
    edited = await abot.edit_message_text("谢谢", chat_id=USER_ID, message_id=sent.message_id,
                                          reply_markup=stars())
    assert not isinstance(edited, bool)
    assert edited.text == "谢谢" and edited.edit_date is not None
    [message] = await emu.client.chat(TOKEN, USER_ID)
    assert message["text"] == "谢谢"
    assert [e["text"] for e in message["edits"]] == ["请评价"]
    stats = await emu.client.stats(TOKEN)
    assert (stats["messages_sent"], stats["messages_edited"]) == (1, 1)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await abot.edit_message_text("谢谢", chat_id=USER_ID, message_id=sent.message_id,
                                     reply_markup=stars())


async def test_document_bytes_survive_the_multipart_upload(abot: Bot, emu: EmulatorServer
                                                            ) -> None:
    payload = "工单,评分\n1,5\n".encode()
    sent = await abot.send_document(USER_ID, BufferedInputFile(payload, "report.csv"),
                                    caption="周报")
    assert sent.document is not None and sent.document.file_name == "report.csv"
    assert await emu.client.document(TOKEN, sent.document.file_id) == payload
    [message] = await emu.client.chat(TOKEN, USER_ID)
    assert message["caption"] == "周报" and message["document"]["mime_type"] == "text/csv"


async def test_get_updates_returns_a_user_text_with_a_start_command(
        abot: Bot, emu: EmulatorServer) -> None:
    await emu.client.send_text(TOKEN, USER_ID, "/start bind_42")
    [update] = await abot.get_updates(timeout=1)
    assert update.message is not None and update.message.text == "/start bind_42"
    assert update.message.entities is not None
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")
    assert await abot.get_updates(offset=update.update_id + 1, timeout=0) == []


async def test_flood_limit_surfaces_as_retry_after(abot: Bot, emu: EmulatorServer) -> None:
    await emu.client.set_flood_limits(True, per_chat=1, burst_chat=1)
    await abot.send_message(USER_ID, "一")
    with pytest.raises(TelegramRetryAfter) as caught:
        await abot.send_message(USER_ID, "二")
    assert caught.value.retry_after >= 1
    assert (await emu.client.stats(TOKEN))["too_many_requests"] == 1


async def test_blocked_user_surfaces_as_forbidden(abot: Bot, emu: EmulatorServer) -> None:
    await emu.client.block(TOKEN, USER_ID)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await abot.send_message(USER_ID, "你好")


async def test_injected_bad_gateway_surfaces_as_server_error(abot: Bot, emu: EmulatorServer
                                                             ) -> None:
    await emu.client.inject_fault("sendMessage", "status", status=502)
    with pytest.raises(TelegramServerError):
        await abot.send_message(USER_ID, "你好")
    assert (await abot.send_message(USER_ID, "你好")).message_id == 1


async def test_get_updates_conflicts_while_a_webhook_is_set(abot: Bot) -> None:
    await abot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await abot.get_updates()
    await abot.delete_webhook()
    assert await abot.get_updates() == []


async def test_photo_upload_reports_the_png_size_and_keeps_the_bytes(
        abot: Bot, emu: EmulatorServer) -> None:
    sent = await abot.send_photo(USER_ID, BufferedInputFile(TINY_PNG, "chart.png"),
                                 caption="<b>排名</b>", parse_mode="HTML")
    assert sent.photo is not None and (sent.photo[-1].width, sent.photo[-1].height) == (1, 1)
    assert sent.caption == "排名"
    [message] = await emu.client.chat(TOKEN, USER_ID)
    assert (message["caption"], message["parse_mode"]) == ("<b>排名</b>", "HTML")
    assert await emu.client.document(TOKEN, sent.photo[-1].file_id) == TINY_PNG
