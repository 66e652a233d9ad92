"""The real python-telegram-bot Bot works against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.emulator import EmulatorServer
from tests.bot.emulator.conftest import TOKEN, USER_ID


@pytest.fixture
async def pbot(emu: EmulatorServer) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot")
    async with bot:
        yield bot


def stars() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"{n}★", callback_data=f"s:{n}")
                                  for n in range(1, 6)]])


async def test_get_me_is_a_bot(pbot: Bot) -> None:
    me = await pbot.get_me()
    assert me.is_bot and me.username == "emu123456_bot"


async def test_send_with_keyboard_then_tap_gives_a_callback_query(pbot: Bot, emu: EmulatorServer
                                                                  ) -> None:
    sent = await pbot.send_message(USER_ID, "请评价", reply_markup=stars())
    assert sent.reply_markup == stars()
    await emu.client.tap_button(TOKEN, USER_ID, sent.message_id, "4★")
    [update] = await pbot.get_updates(timeout=1)
    assert update.callback_query is not None and update.callback_query.data == "s:4"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await pbot.answer_callback_query(update.callback_query.id, text="已记录")
    [answer] = await emu.client.callback_answers(TOKEN)
    assert answer["text"] == "已记录" and answer["data"] == "s:4"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await pbot.answer_callback_query(update.callback_query.id)


async def test_edit_message_text_changes_the_chat(pbot: Bot, emu: EmulatorServer) -> None:
    sent = await pbot.send_message(USER_ID, "<b>满意度</b>", parse_mode="HTML")
    assert sent.text == "满意度"
    await pbot.edit_message_text("已提交", chat_id=USER_ID, message_id=sent.message_id)
    message = await emu.client.wait_for_message(TOKEN, USER_ID, text="已提交")
    assert message["edits"][0]["text"] == "<b>满意度</b>"


async def test_document_sent_as_bytes_keeps_its_name_and_downloads_intact(
        pbot: Bot, emu: EmulatorServer) -> None:
    sent = await pbot.send_document(USER_ID, b"PK\x03\x04xlsx", filename="report.xlsx")
    assert sent.document is not None and sent.document.file_name == "report.xlsx"
    assert await emu.client.document(TOKEN, sent.document.file_id) == b"PK\x03\x04xlsx"
    downloaded = await (await pbot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"PK\x03\x04xlsx"


async def test_text_a_user_sends_arrives_through_get_updates_with_its_sender(
        pbot: Bot, emu: EmulatorServer) -> None:
    await emu.client.send_text(TOKEN, USER_ID, "/start")
    [update] = await pbot.get_updates(timeout=1)
    assert update.message is not None and update.message.text == "/start"
    assert update.message.from_user is not None and update.message.from_user.id == USER_ID


# PTB itself warns that RetryAfter.retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_surfaces_as_retry_after(pbot: Bot, emu: EmulatorServer) -> None:
    await emu.client.inject_fault("sendMessage", "retry_after", retry_after=7)
    # The message names the delay whether PTB reports it as int or timedelta.
    with pytest.raises(RetryAfter, match=r"Retry in (7 seconds|0:00:07)"):
        await pbot.send_message(USER_ID, "你好")


async def test_blocked_user_surfaces_as_forbidden(pbot: Bot, emu: EmulatorServer) -> None:
    await emu.client.block(TOKEN, USER_ID)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await pbot.send_message(USER_ID, "你好")


async def test_commands_are_stored_per_scope_and_language(pbot: Bot, emu: EmulatorServer
                                                          ) -> None:
    await pbot.set_my_commands([BotCommand("report", "报表")])
    await pbot.set_my_commands([BotCommand("report", "Report")], language_code="en",
                               scope=BotCommandScopeChat(USER_ID))
    assert [c.command for c in await pbot.get_my_commands()] == ["report"]
    scoped = await pbot.get_my_commands(scope=BotCommandScopeChat(USER_ID), language_code="en")
    assert [c.description for c in scoped] == ["Report"]
    assert len(await emu.client.commands(TOKEN)) == 2


@pytest.mark.parametrize("language", ["zh-hans", "zh_CN", "ZH", "chi"])
async def test_a_command_menu_for_a_language_not_named_in_two_letters_is_refused(
        pbot: Bot, language: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)^invalid language code specified$"):
        await pbot.set_my_commands([BotCommand("report", "报表")], language_code=language)
