"""Every update the control API makes parses in both aiogram and python-telegram-bot."""

from __future__ import annotations

from typing import Any

import telegram
from aiogram.types import Update as AiogramUpdate

from bot.emulator import EmulatorServer
from bot.emulator.api_messages import send_message
from bot.emulator.params import Params
from bot.runtime.parse import forwarded_from_itself, is_service
from tests.bot.emulator.conftest import TOKEN, USER_ID


def parse_both(update: dict[str, Any]) -> tuple[AiogramUpdate, telegram.Update]:
    parsed = telegram.Update.de_json(update, telegram.Bot(TOKEN))
    assert parsed is not None
    return AiogramUpdate.model_validate(update), parsed


async def test_user_updates_parse_in_both_frameworks(emu: EmulatorServer) -> None:
    client = emu.client
    state = emu.state
    sent = state.bot(TOKEN)
    text = await client.send_text(TOKEN, USER_ID, "/start abc")
    contact = await client.share_contact(TOKEN, USER_ID, "+8613900000000")
    sticker = await client.send_sticker(TOKEN, USER_ID)
    photo = await client.send_photo(TOKEN, USER_ID, data=b"\x89PNG fake", caption="漏水照片")
    await client.block(TOKEN, USER_ID)
    await client.unblock(TOKEN, USER_ID)
    chat = state.chat(sent, USER_ID)
    assert not chat.blocked
    history = (await client.updates(TOKEN))["history"]
    assert len(history) == 6
    for update in history:
        parse_both(update)
    a_contact, p_contact = parse_both(contact)
    assert a_contact.message is not None and a_contact.message.contact is not None
    assert a_contact.message.contact.user_id == USER_ID
    assert p_contact.message is not None and p_contact.message.contact is not None
    assert p_contact.message.contact.phone_number == "+8613900000000"
    assert text["message"]["message_id"] == 1 and sticker["message"]["sticker"]["emoji"]
    file_id = photo["message"]["photo"][0]["file_id"]
    assert await client.document(TOKEN, file_id) == b"\x89PNG fake"
    kinds = [next(k for k in u if k != "update_id") for u in history]
    assert kinds[-2:] == ["my_chat_member", "my_chat_member"]


async def test_callback_query_update_parses_in_both_frameworks(emu: EmulatorServer) -> None:
    bot = emu.state.bot(TOKEN)

    message = await send_message(emu.state, bot, Params({
        "chat_id": USER_ID, "text": "评分",
        "reply_markup": {"inline_keyboard": [[{"text": "1⭐", "callback_data": "r:1"}]]}}))
    update = emu.state.tap_button(TOKEN, USER_ID, message["message_id"], "1⭐")
    a_update, p_update = parse_both(update)
    assert a_update.callback_query is not None and a_update.callback_query.data == "r:1"
    assert p_update.callback_query is not None
    assert p_update.callback_query.message is not None


async def test_a_photo_from_a_user_carries_its_caption_and_caption_entities(
        emu: EmulatorServer) -> None:
    update = await emu.client.send_photo(TOKEN, USER_ID, caption="/help 厨房又漏水了")
    a_update, p_update = parse_both(update)
    assert a_update.message is not None and p_update.message is not None
    assert a_update.message.caption == p_update.message.caption == "/help 厨房又漏水了"
    assert a_update.message.photo and p_update.message.photo
    for entities in (a_update.message.caption_entities, p_update.message.caption_entities):
        assert entities is not None
        assert [(e.type, e.offset, e.length) for e in entities] == [("bot_command", 0, 5)]
    assert "caption_entities" not in (await emu.client.send_photo(TOKEN, USER_ID,
                                                                  caption="漏水"))["message"]


async def test_a_pin_is_a_service_message_both_frameworks_read_and_the_bot_sees_as_one(
        emu: EmulatorServer) -> None:
    sent = await emu.client.send_text(TOKEN, USER_ID, "业主的话")
    update = await emu.client.pin(TOKEN, USER_ID, sent["message"]["message_id"])
    a_update, p_update = parse_both(update)
    assert a_update.message is not None and p_update.message is not None
    assert a_update.message.text is None and p_update.message.text is None
    for pinned in (a_update.message.pinned_message, p_update.message.pinned_message):
        assert pinned is not None and pinned.message_id == sent["message"]["message_id"]
    assert is_service(a_update.message) and is_service(p_update.message)
    assert not is_service(parse_both(sent)[0].message)
    assert not is_service(parse_both(sent)[1].message)
    chat = await emu.client.chat(TOKEN, USER_ID)
    assert chat[-1]["kind"] == "pinned_message"  # the pin took a message id of the chat


async def test_a_forward_names_its_author_and_the_bot_knows_its_own(emu: EmulatorServer) -> None:
    bot = emu.state.bot(TOKEN)
    own = await send_message(emu.state, bot, Params({"chat_id": USER_ID, "text": "回访卡片"}))
    said = await emu.client.send_text(TOKEN, USER_ID, "业主的话")
    card = await emu.client.forward(TOKEN, USER_ID, own["message_id"])
    words = await emu.client.forward(TOKEN, USER_ID, said["message"]["message_id"])
    username = bot.me.username
    for update, itself in ((card, True), (words, False)):
        for parsed in parse_both(update):
            assert parsed.message is not None and parsed.message.forward_origin is not None
            assert parsed.message.text == ("回访卡片" if itself else "业主的话")
            assert forwarded_from_itself(parsed.message, username) is itself
            assert forwarded_from_itself(parsed.message, None) is False
