"""The aiogram Messenger maps Telegram's answers to the port's delivery errors."""

from __future__ import annotations

import pytest

from bot.aiogram_app.messenger import AiogramMessenger
from bot.aiogram_app.port import AiogramPort
from bot.emulator import EmulatorServer
from surveys.outbox.ports import (
    Button,
    MessageNotModified,
    OutgoingMessage,
    RetryLater,
    TransientFailure,
    Undeliverable,
)
from tests.fixtures.aiogram_bot import TOKEN

CHAT = 424242


@pytest.fixture(autouse=True)
def user(emulator: EmulatorServer) -> None:
    emulator.state.user(CHAT, "Owner")


async def test_edit_replaces_text_and_buttons_and_an_identical_edit_is_not_modified(
        emulator: EmulatorServer, messenger: AiogramMessenger) -> None:
    buttons = [[Button("1⭐", "r:1"), Button("2⭐", "r:2")]]
    message_id = await messenger.send(OutgoingMessage(chat_id=CHAT, text="问卷", buttons=buttons))
    await messenger.edit(chat_id=CHAT, message_id=message_id, text="已过期", buttons=None)
    [message] = await emulator.client.bot_messages(TOKEN, CHAT)
    assert message["text"] == "已过期" and not message["reply_markup"]
    with pytest.raises(MessageNotModified):
        await messenger.edit(chat_id=CHAT, message_id=message_id, text="已过期", buttons=None)


async def test_429_becomes_retry_later_with_its_delay(emulator: EmulatorServer,
                                                      messenger: AiogramMessenger) -> None:
    await emulator.client.inject_fault("sendMessage", "retry_after", retry_after=7)
    with pytest.raises(RetryLater) as caught:
        await messenger.send(OutgoingMessage(chat_id=CHAT, text="x"))
    assert caught.value.retry_after == 7


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_transient(emulator: EmulatorServer,
                                           messenger: AiogramMessenger, status: int) -> None:
    await emulator.client.inject_fault("sendMessage", "status", status=status)
    with pytest.raises(TransientFailure):
        await messenger.send(OutgoingMessage(chat_id=CHAT, text="x"))


async def test_dropped_connection_is_transient(emulator: EmulatorServer,
                                               messenger: AiogramMessenger) -> None:
    await emulator.client.inject_fault("sendMessage", "drop")
    with pytest.raises(TransientFailure):
        await messenger.send(OutgoingMessage(chat_id=CHAT, text="x"))


async def test_blocked_or_unknown_chat_is_undeliverable(emulator: EmulatorServer,
                                                       messenger: AiogramMessenger) -> None:
    await emulator.client.block(TOKEN, CHAT)
    with pytest.raises(Undeliverable):
        await messenger.send(OutgoingMessage(chat_id=CHAT, text="x"))
    with pytest.raises(Undeliverable):
        await messenger.send(OutgoingMessage(chat_id=999_999_999, text="x"))


async def test_a_toast_longer_than_telegrams_200_characters_is_cut_not_lost(
        emulator: EmulatorServer, messenger: AiogramMessenger) -> None:
    port = AiogramPort(messenger.bot)
    message_id = await port.send(OutgoingMessage(
        chat_id=CHAT, text="点", buttons=[[Button("1", callback_data="d:1")]]))
    update = await emulator.client.tap(TOKEN, CHAT, message_id, "d:1")
    await port.answer_callback(update["callback_query"]["id"], "Home: 江畔小区 7-701\n" + "x" * 250)
    [answer] = await emulator.client.callback_answers(TOKEN)
    assert len(answer["text"]) == 200 and answer["text"].endswith("x…")
