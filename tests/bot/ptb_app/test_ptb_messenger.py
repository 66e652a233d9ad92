"""The PTB messenger sends what the port describes and maps PTB errors to the port's."""

from __future__ import annotations

import pytest

from bot.emulator import EmulatorServer
from bot.ptb_app.messenger import PtbMessenger
from surveys.outbox.ports import (
    Button,
    MessageNotModified,
    OutgoingMessage,
    RetryLater,
    TransientFailure,
    Undeliverable,
)
from tests.bot.ptb_app.conftest import TOKEN, USER_ID


async def test_send_with_inline_buttons_then_edit_removes_them(
        messenger: PtbMessenger, emu: EmulatorServer) -> None:
    keyboard = [[Button("5⭐", callback_data="r:1:o:5:sig")]]
    message_id = await messenger.send(OutgoingMessage(USER_ID, "请评价", buttons=keyboard))
    [sent] = await emu.client.bot_messages(TOKEN, USER_ID)
    assert sent["message_id"] == message_id
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "r:1:o:5:sig"
    await messenger.edit(chat_id=USER_ID, message_id=message_id, text="已提交")
    [edited] = await emu.client.bot_messages(TOKEN, USER_ID)
    assert edited["text"] == "已提交" and not edited.get("reply_markup")


async def test_contact_request_and_reply_to_are_sent(messenger: PtbMessenger,
                                                     emu: EmulatorServer) -> None:
    first = await messenger.send(OutgoingMessage(USER_ID, "分享手机号",
                                                 request_contact="📱 分享"))
    await messenger.send(OutgoingMessage(USER_ID, "提醒",
                                         extra={"reply_to_message_id": str(first)}))
    asked, reminder = await emu.client.bot_messages(TOKEN, USER_ID)
    assert asked["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert reminder["reply_to_message_id"] == first


async def test_same_text_edit_is_message_not_modified(messenger: PtbMessenger) -> None:
    message_id = await messenger.send(OutgoingMessage(USER_ID, "同样"))
    with pytest.raises(MessageNotModified):
        await messenger.edit(chat_id=USER_ID, message_id=message_id, text="同样")


async def test_429_becomes_retry_later_with_the_delay(messenger: PtbMessenger,
                                                      emu: EmulatorServer) -> None:
    await emu.client.inject_fault("sendMessage", "retry_after", retry_after=7)
    with pytest.raises(RetryLater) as caught:
        await messenger.send(OutgoingMessage(USER_ID, "你好"))
    assert caught.value.retry_after == 7


async def test_server_error_and_dropped_connection_are_transient(
        messenger: PtbMessenger, emu: EmulatorServer) -> None:
    await emu.client.inject_fault("sendMessage", "status", status=502)
    with pytest.raises(TransientFailure):
        await messenger.send(OutgoingMessage(USER_ID, "你好"))
    await emu.client.inject_fault("sendMessage", "drop")
    with pytest.raises(TransientFailure):
        await messenger.send(OutgoingMessage(USER_ID, "你好"))
    assert await messenger.send(OutgoingMessage(USER_ID, "恢复了")) > 0


async def test_blocked_user_and_unknown_chat_are_undeliverable(
        messenger: PtbMessenger, emu: EmulatorServer) -> None:
    await emu.client.block(TOKEN, USER_ID)
    with pytest.raises(Undeliverable, match="blocked"):
        await messenger.send(OutgoingMessage(USER_ID, "你好"))
    with pytest.raises(Undeliverable, match=r"(?i)chat not found"):
        await messenger.send(OutgoingMessage(987654321, "你好"))


async def test_files_are_uploaded_as_document_and_photo(messenger: PtbMessenger,
                                                        emu: EmulatorServer) -> None:
    await messenger.send_document(chat_id=USER_ID, filename="report.xlsx", data=b"PK\x03\x04",
                                  caption="周报")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    await messenger.send_photo(chat_id=USER_ID, filename="chart.png", data=png)
    document, photo = await emu.client.bot_messages(TOKEN, USER_ID)
    assert document["document"]["file_name"] == "report.xlsx" and document["caption"] == "周报"
    assert await emu.client.document(TOKEN, document["document"]["file_id"]) == b"PK\x03\x04"
    assert photo.get("photo")


async def test_answering_a_tap_twice_is_not_an_error(messenger: PtbMessenger,
                                                     emu: EmulatorServer) -> None:
    message_id = await messenger.send(OutgoingMessage(
        USER_ID, "点", buttons=[[Button("1", callback_data="d:1")]]))
    update = await emu.client.tap(TOKEN, USER_ID, message_id, "d:1")
    query_id = update["callback_query"]["id"]
    await messenger.answer_callback(query_id, "好")
    await messenger.answer_callback(query_id, "再一次")  # refused by Telegram: only logged
    answers = await emu.client.callback_answers(TOKEN)
    assert [a["text"] for a in answers] == ["好"]


async def test_a_toast_longer_than_telegrams_200_characters_is_cut_not_lost(
        messenger: PtbMessenger, emu: EmulatorServer) -> None:
    message_id = await messenger.send(OutgoingMessage(
        USER_ID, "点", buttons=[[Button("1", callback_data="d:1")]]))
    update = await emu.client.tap(TOKEN, USER_ID, message_id, "d:1")
    await messenger.answer_callback(update["callback_query"]["id"], "😀" * 150)
    [answer] = await emu.client.callback_answers(TOKEN)
    assert answer["text"] == "😀" * 99 + "…"  # 199 UTF-16 units and the mark
