"""Chat menus follow the person: binding builds the same menus as /language and the start-up
refresh, and a deactivated agent or manager loses the staff menu (at once for a running bot's
job, else at the next start-up)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from bot.app import build_app
from bot.cli import main
from bot.emulator.server import running_emulator
from bot.i18n import translator
from bot.menus import chat_menus as build_menus
from bot.menus import owner_menu
from surveys.people.directory import add_agent, add_community, add_owner
from surveys.people.identity import identify
from surveys.people.menu_resets import pending_menu_resets
from surveys.people.staffing import add_manager, deactivate_agent, deactivate_manager
from tests.bot.roles.conftest import AGENT_A, MANAGER_EN, agent_id, invite, staff_world
from tests.fixtures.chat import RUNTIMES, Harness, Person, running_bot, settings_for
from tests.fixtures.menus import chat_menus, every_chat_menu, wait_menu_refresh
from tests.fixtures.people import link_telegram

ZH, EN = translator("zh_CN"), translator("en")
Menus = dict[str, dict[str, str]]
AGENT_EN = Person(AGENT_A.user_id, AGENT_A.name, AGENT_A.phone, language_code="en")


async def wait_menus(h: Harness, chat_id: int, done: Callable[[Menus], bool],
                     timeout: float = 10) -> Menus:  # noqa: ASYNC109
    """Poll the chat's menus until `done` says so (they are set after the reply is sent)."""
    deadline = time.monotonic() + timeout
    while True:
        menus = await chat_menus(h, chat_id)
        if done(menus):
            return menus
        assert time.monotonic() < deadline, f"menus of chat {chat_id} stayed {menus}"
        await asyncio.sleep(0.05)


async def expected_menus(h: Harness, user_id: int) -> Menus:
    """Return the menus the start-up refresh and /language build for this person now."""
    me = await identify(db=h.db, telegram_user_id=user_id)
    return {code or "": dict(action.commands)
            for action in build_menus(me, user_id, me.locale) for code in action.language_codes}


async def test_binding_gives_staff_the_menus_of_their_language_in_every_language_code(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        agent = h.owner(AGENT_EN)  # an English Telegram client
        await agent.send(f"/start {await invite(h, 'agent', await agent_id(h, 'A001'))}")
        manager = h.owner(MANAGER_EN)
        row = await add_manager(db=h.db, name=MANAGER_EN.name, community_code="sunny")
        assert row.id is not None
        await manager.send(f"/start {await invite(h, 'manager', row.id)}")

        agent_menus = await wait_menus(h, agent.chat_id, lambda m: len(m) == 3)
        manager_menus = await wait_menus(h, manager.chat_id, lambda m: len(m) == 3)

        # English everywhere: a Chinese fallback under "" or "zh" would win over nothing.
        assert {code: menu["me"] for code, menu in agent_menus.items()} == {
            "": "My figures this week", "zh": "My figures this week", "en": "My figures this week"}
        assert all("report" in menu for menu in manager_menus.values())
        assert agent_menus == await expected_menus(h, agent.chat_id)
        assert manager_menus == await expected_menus(h, manager.chat_id)


async def test_a_deactivated_agent_who_is_an_owner_gets_the_owner_menu_back(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await wait_menus(h, world.agent.chat_id, lambda m: len(m) == 3)
        owner = await add_owner(db=h.db, community_code="sunny", name=AGENT_A.name,
                                phone=AGENT_A.phone)
        await link_telegram(h.db, owner, AGENT_A.user_id, "en")

        await deactivate_agent(db=h.db, external_id="A001")
        assert await h.app.run_job("menu_resets") == 1

        menus = await chat_menus(h, world.agent.chat_id)
        assert menus == {"": dict(owner_menu("en"))}  # no staff leftovers under zh / en
        assert await pending_menu_resets(db=h.db) == 0
        assert await h.app.run_job("menu_resets") == 0
        refused = (await world.agent.send("/me"))["text"]
        assert refused == EN._("Sorry, this command is for agents only.")
        # The other agent and the manager keep theirs.
        assert (await chat_menus(h, world.agent_b.chat_id))[""]["me"] == ZH._(
            "My figures this week")
        assert "report" in (await chat_menus(h, world.manager.chat_id))["zh"]


async def test_a_deactivated_manager_who_holds_no_other_role_falls_back_to_the_bot_menu(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await wait_menus(h, world.manager.chat_id, lambda m: len(m) == 3)
        await deactivate_manager(db=h.db, manager_id=world.manager_id)
        assert await h.app.run_job("menu_resets") == 1
        assert await chat_menus(h, world.manager.chat_id) == {}


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_cli_deactivation_while_no_bot_runs_is_applied_at_the_next_start_up(
        db_url: str, runtime: str) -> None:
    async with running_emulator() as emulator:
        settings = settings_for(emulator, db_url, runtime=runtime)
        first = build_app(settings, polling=False, serve_api=False, schedule=False)
        await add_community(db=first.db, code="sunny", name="阳光花园")
        agent = await add_agent(db=first.db, external_id="A001", name="王晓梅",
                                community_code="sunny")
        await link_telegram(first.db, agent, 7001, "en")
        manager = await add_manager(db=first.db, name="赵经理")
        await link_telegram(first.db, manager, 8001, None)
        async with first:
            assert (await wait_menu_refresh(first)).completed
        assert sorted(await every_chat_menu(emulator)) == [
            (7001, ""), (7001, "en"), (7001, "zh"), (8001, ""), (8001, "en"), (8001, "zh")]

        # The admin CLI, in its own event loop as on the command line.
        code = await asyncio.to_thread(
            main, ["agents", "deactivate", "--id", "A001", "--db-url", db_url])
        assert code == 0

        second = build_app(settings, polling=False, serve_api=False, schedule=False)
        async with second:
            stats = await wait_menu_refresh(second)
        menus = await every_chat_menu(emulator)

    assert (stats.skipped, stats.resets, stats.calls) == (True, 1, 3)  # 3 deletes, no refresh
    assert sorted(menus) == [(8001, ""), (8001, "en"), (8001, "zh")]
