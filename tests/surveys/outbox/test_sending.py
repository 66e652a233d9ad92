"""A row becomes the right Bot API call: a text, an edit of an earlier message (unchanged text
is no error), or a document."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer
from bot.emulator.models import MessageRecord
from surveys.models import OutboxMessage
from surveys.outbox.ports import OutgoingMessage, Undeliverable
from surveys.outbox.sending import Sent, send_row
from tests.fixtures.aiogram_bot import TOKEN
from tests.fixtures.outbox_rows import FIRST_CHAT, render


def _bot_message(emulator: EmulatorServer, chat_id: int, message_id: int) -> MessageRecord:
    return emulator.state.bot(TOKEN).chats[chat_id].messages[message_id]


async def test_a_text_row_is_sent_then_edited_in_place_and_an_unchanged_edit_is_no_error(
    emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    emulator.state.user(FIRST_CHAT, "Owner0")
    row = OutboxMessage(kind="text", dedupe_key="t:1", chat_id=FIRST_CHAT,
                        payload={"text": "您好"})
    sent = (await send_row(messenger=messenger, render=render, row=row)).message_id
    assert sent is not None

    edit = OutboxMessage(kind="text", dedupe_key="t:2", chat_id=FIRST_CHAT,
                         payload={"text": "您好（已更新）", "edit_message_id": sent})
    assert (await send_row(messenger=messenger, render=render, row=edit)).message_id == sent
    again = await send_row(messenger=messenger, render=render, row=edit)  # unchanged
    assert again.message_id == sent and not again.stood_in
    message = _bot_message(emulator, FIRST_CHAT, sent)
    assert message.text == "您好（已更新）"


async def test_a_row_with_a_document_path_sends_the_file_with_its_name_and_caption(
    emulator: EmulatorServer, messenger: AiogramMessenger, tmp_path: Path
) -> None:
    emulator.state.user(FIRST_CHAT + 1, "Owner1")
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"PK\x03\x04 a workbook")
    row = OutboxMessage(kind="report", dedupe_key="r:1", chat_id=FIRST_CHAT + 1, payload={})

    def with_file(r: OutboxMessage) -> OutgoingMessage:
        return OutgoingMessage(chat_id=r.chat_id, text="2026-W47",
                               extra={"document_path": str(report)})

    sent = (await send_row(messenger=messenger, render=with_file, row=row)).message_id
    assert sent is not None
    message = _bot_message(emulator, FIRST_CHAT + 1, sent)
    assert message.document is not None and message.document.file_name == "report.xlsx"
    assert message.document.data == report.read_bytes()
    assert message.caption == "2026-W47"


async def test_a_reply_whose_message_is_gone_sends_what_stands_in_for_it(
    emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    emulator.state.user(FIRST_CHAT + 2, "Owner2")
    card = OutboxMessage(kind="text", dedupe_key="t:3", chat_id=FIRST_CHAT + 2,
                         payload={"text": "回访卡片"})
    card_id = (await send_row(messenger=messenger, render=render, row=card)).message_id
    assert card_id is not None
    _bot_message(emulator, FIRST_CHAT + 2, card_id).deleted = True  # the owner deleted it
    row = OutboxMessage(kind="reminder", dedupe_key="r:2", chat_id=FIRST_CHAT + 2, payload={})

    def reminder(r: OutboxMessage) -> OutgoingMessage:
        return OutgoingMessage(chat_id=r.chat_id, text="请点击上方的星级",
                               extra={"reply_to_message_id": str(card_id)},
                               instead=OutgoingMessage(chat_id=r.chat_id, text="请点击下方的星级"))

    sent = await send_row(messenger=messenger, render=reminder, row=row)
    assert sent.stood_in and sent.message_id is not None
    assert _bot_message(emulator, FIRST_CHAT + 2, sent.message_id).text == "请点击下方的星级"
    _bot_message(emulator, FIRST_CHAT + 2, card_id).deleted = False
    again = await send_row(messenger=messenger, render=reminder, row=row)
    assert not again.stood_in and again.message_id is not None
    message = _bot_message(emulator, FIRST_CHAT + 2, again.message_id)
    assert message.text == "请点击上方的星级" and message.reply_to is not None


async def test_an_edit_of_a_deleted_message_is_sent_afresh_or_is_done_with_nothing_to_change(
    emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    chat = FIRST_CHAT + 3
    emulator.state.user(chat, "Owner3")
    card = OutboxMessage(kind="text", dedupe_key="t:4", chat_id=chat, payload={"text": "回访卡片"})
    card_id = (await send_row(messenger=messenger, render=render, row=card)).message_id
    assert card_id is not None
    _bot_message(emulator, chat, card_id).deleted = True  # the owner deleted it
    shown = len(emulator.state.bot(TOKEN).chats[chat].messages)

    def expiry(r: OutboxMessage) -> OutgoingMessage:  # only takes the buttons away
        return OutgoingMessage(chat_id=chat, text="已过期", buttons=[],
                               extra={"edit_message_id": str(card_id)})

    expired = OutboxMessage(kind="survey_expired", dedupe_key="e:1", chat_id=chat, payload={})
    assert await send_row(messenger=messenger, render=expiry, row=expired) == Sent(None)
    assert len(emulator.state.bot(TOKEN).chats[chat].messages) == shown  # nothing sent

    def reply_edit(r: OutboxMessage) -> OutgoingMessage:  # carries the owner's stars
        stars = OutgoingMessage(chat_id=chat, text="★★★★☆")
        return replace(stars, extra={"edit_message_id": str(card_id)}, instead=stars)

    edit = OutboxMessage(kind="text", dedupe_key="t:5", chat_id=chat, payload={})
    fresh = await send_row(messenger=messenger, render=reply_edit, row=edit)
    assert fresh.stood_in and fresh.message_id not in (None, card_id)
    assert _bot_message(emulator, chat, fresh.message_id).text == "★★★★☆"  # type: ignore[arg-type]


async def test_an_edit_telegram_refuses_of_a_message_still_there_is_undeliverable_unless_stood_in(
    emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    # "message can't be edited": the buttons an expiry would take away are still there, so
    # the row fails for the operator to see; a reply edit is shown afresh instead.
    chat = FIRST_CHAT + 4
    emulator.state.user(chat, "Owner4")
    user_message = emulator.state.send_text(TOKEN, chat, "你好")["message"]["message_id"]
    row = OutboxMessage(kind="survey_expired", dedupe_key="e:2", chat_id=chat, payload={})

    def expiry(r: OutboxMessage) -> OutgoingMessage:
        return OutgoingMessage(chat_id=chat, text="已过期", buttons=[],
                               extra={"edit_message_id": str(user_message)})

    with pytest.raises(Undeliverable, match="can't be edited"):
        await send_row(messenger=messenger, render=expiry, row=row)

    def reply_edit(r: OutboxMessage) -> OutgoingMessage:
        return replace(expiry(r), instead=OutgoingMessage(chat_id=chat, text="已过期"))

    assert (await send_row(messenger=messenger, render=reply_edit, row=row)).stood_in
