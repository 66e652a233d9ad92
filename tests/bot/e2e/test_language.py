"""/language in chat: owners and unbound users choose 中文 or English; the menu follows."""

from __future__ import annotations

from typing import Any

from bot.conversation.language import ALREADY, CHOSEN, PROMPT
from bot.i18n import translator
from surveys.people.identity import identify
from tests.fixtures.chat import OWNERS, OwnerSession, buttons, running_bot
from tests.fixtures.menus import chat_menus, language_data

ZH, EN = translator("zh_CN"), translator("en")


async def choose(owner: OwnerSession, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send /language, tap a button; return (the tap's answer, the message afterwards)."""
    prompt = await owner.send("/language")
    answer = await owner.tap_data(prompt["message_id"], language_data(prompt, label))
    return answer, await owner.message(prompt["message_id"])


async def test_owner_switches_to_english_and_the_next_survey_arrives_in_english(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])  # a Chinese Telegram client
        await owner.bind()
        prompt = await owner.send("/language")
        assert prompt["text"] == ZH._(PROMPT)
        assert [b["text"] for row in buttons(prompt) for b in row] == ["✅ 中文", "English"]

        await owner.tap_data(prompt["message_id"], language_data(prompt, "English"))

        edited = await owner.message(prompt["message_id"])
        assert edited["text"] == EN._(CHOSEN)
        menu = (await chat_menus(h, owner.chat_id))[""]
        assert menu["language"] == "Change the language (中文 / English)"
        assert menu["stop"] == "Stop receiving surveys"
        await h.close_order(OWNERS[0], "WO-EN-1")
        survey = await owner.wait_survey(count=2)  # the edited /language message counts too
        assert "Overall satisfaction" in survey["text"] and "总体满意度" not in survey["text"]
        assert "Send /help" in (await owner.send("/nonsense"))["text"]


async def test_a_second_tap_on_the_same_language_is_ignored_politely(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        prompt = await owner.send("/language")
        data = language_data(prompt, "English")
        await owner.tap_data(prompt["message_id"], data)
        edits = len((await owner.message(prompt["message_id"]))["edits"])
        setting_calls = len(await h.client.requests(h.token, "setMyCommands"))

        again = await owner.tap_data(prompt["message_id"], data, deliver_twice=True)

        assert again["text"] == EN._(ALREADY)
        assert len((await owner.message(prompt["message_id"]))["edits"]) == edits
        assert len(await h.client.requests(h.token, "setMyCommands")) == setting_calls
        assert (await identify(db=h.db, telegram_user_id=owner.chat_id)).locale == "en"
