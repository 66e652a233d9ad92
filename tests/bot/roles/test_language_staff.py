"""Agents and managers switch language with /language; replies and their menus follow."""

from __future__ import annotations

from bot.conversation.language import CHOSEN
from bot.i18n import translator
from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import running_bot
from tests.fixtures.menus import chat_menus, language_data

ZH, EN = translator("zh_CN"), translator("en")


async def test_agent_switches_to_english_and_me_replies_in_english(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        assert "总分" in (await world.agent.send("/me"))["text"]

        assert (await world.agent.send("/language en"))["text"] == EN._(CHOSEN)

        me = (await world.agent.send("/me"))["text"]
        assert "王晓梅" in me and "Total" in me and "总分" not in me
        menus = await chat_menus(h, world.agent.chat_id)
        # Every language code of the chat shows English, whatever the client's language.
        assert set(menus) == {"", "zh", "en"}
        for menu in menus.values():
            assert menu["me"] == "My figures this week"
            assert menu["language"] == "Change the language (中文 / English)"
            assert "report" not in menu
        assert "/language - Change the language" in (await world.agent.send("/help"))["text"]


async def test_manager_switches_with_the_buttons_and_the_menu_keeps_manager_commands(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        prompt = await world.manager.send("/language")
        await world.manager.tap_data(prompt["message_id"], language_data(prompt, "English"))

        assert (await world.manager.message(prompt["message_id"]))["text"] == EN._(CHOSEN)
        menus = await chat_menus(h, world.manager.chat_id)
        assert menus["zh"]["report"] == "Team report: /report [week|month|2026-11|2026-W47]"
        assert menus[""]["language"] == "Change the language (中文 / English)"
        assert "Team report" in (await world.manager.send("/help"))["text"]
        # The agent's menu was left alone.
        assert (await chat_menus(h, world.agent.chat_id))[""]["me"] == ZH._("My figures this week")
