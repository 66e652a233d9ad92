"""/language in chat: owners and unbound users choose 中文 or English; the menu follows."""

from __future__ import annotations

from typing import Any

from bot.conversation.language import ALREADY, BAD_ARGUMENT, CHOSEN, PROMPT, UNBOUND
from bot.i18n import translator
from surveys.people.identity import identify
from tests.fixtures.chat import OWNERS, STRANGER, OwnerSession, buttons, running_bot
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


async def test_language_arguments_switch_and_a_bad_one_gets_a_short_reply(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()

        bad = await owner.send("/language klingon")
        assert bad["text"] == ZH._(BAD_ARGUMENT)
        assert len(buttons(bad)[0]) == 2  # the buttons come along
        assert (await owner.send("/language en"))["text"] == EN._(CHOSEN)
        assert (await owner.send("/language English"))["text"] == EN._(ALREADY)
        assert (await chat_menus(h, owner.chat_id))[""]["help"] == "What this bot does"
        help_text = (await owner.send("/help"))["text"]
        assert "/language - choose 中文 or English" in help_text

        assert (await owner.send("/language zh"))["text"] == ZH._(CHOSEN)
        assert (await chat_menus(h, owner.chat_id))[""]["help"] == ZH._("What this bot does")
        assert (await identify(db=h.db, telegram_user_id=owner.chat_id)).locale == "zh_CN"


async def test_an_unbound_user_gets_the_reply_in_the_chosen_language_and_nothing_is_stored(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        stranger = h.owner(STRANGER)

        answer, edited = await choose(stranger, "English")

        assert edited["text"] == EN._(UNBOUND)
        assert answer["text"] in (None, "")
        assert await chat_menus(h, stranger.chat_id) == {}
        assert not (await identify(db=h.db, telegram_user_id=stranger.chat_id)).bound
        # Nothing remembered: the next reply is in the client's language again.
        assert (await stranger.send("/language"))["text"] == ZH._(PROMPT)
