"""Telegram's service messages in an owner's chat are not the owner writing: no answer.

When a person pins a message of their chat with the bot, sets an auto-delete timer or a
chat wallpaper, Telegram posts a service message in the chat and delivers it to the bot as
a message update (no text; `pinned_message`, `message_auto_delete_timer_changed`,
`chat_background_set`...). Owners pin the survey card to answer it later. Answering such a
message "I can only read text messages and button taps" tells the owner off for something
they never sent; the bot stays silent, handles the update once, and goes on answering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import OWNERS, running_bot
from tests.fixtures.updates import handled, message

PERSON = OWNERS[0]


async def test_pinning_the_survey_card_gets_no_answer_and_the_owner_can_still_answer(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        await owner.bind()
        await h.close_order(PERSON, "WO-PIN-1")
        card = await owner.wait_survey()
        before = len(await owner.messages())
        update = await h.client.pin(h.token, PERSON.user_id, card["message_id"])
        assert update["message"]["pinned_message"]["message_id"] == card["message_id"]
        await handled(h, update["update_id"])
        assert len(await owner.messages()) == before  # nothing said about the pin
        rated = await owner.rate(card["message_id"], 4)  # the pinned card still works
        assert rated["edits"], "the star tap on the pinned card did not move the survey on"
    assert errors_logged() == []


SERVICE: dict[str, dict[str, Any]] = {
    "auto-delete-timer": {"message_auto_delete_timer_changed": {
        "message_auto_delete_time": 86400}},
    "wallpaper": {"chat_background_set": {"type": {
        "type": "fill", "fill": {"type": "solid", "color": 16777215},
        "dark_theme_dimming": 0}}},
    "write-access": {"write_access_allowed": {"from_request": True}},
}


@pytest.mark.parametrize("kind", sorted(SERVICE))
async def test_a_service_message_in_the_owners_chat_gets_no_answer(
        db_url: str, kind: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        helped = await owner.send("/help")
        before = len(await owner.messages())
        update = await h.client.send_raw(h.token, {"message": message(PERSON, **SERVICE[kind])})
        await handled(h, update["update_id"])
        assert len(await owner.messages()) == before
        again = await owner.send("/help")  # polling goes on, the owner is answered
        assert polite(again) == helped["text"]
    assert errors_logged() == []


async def test_a_sticker_still_gets_the_text_only_answer(db_url: str) -> None:
    async with running_bot(db_url) as h:
        reply = await h.owner(PERSON).send_update("send_sticker")
        assert polite(reply) == "抱歉，我只能识别文字消息和按钮点击。"
