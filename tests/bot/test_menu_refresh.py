"""At start-up every bound person's chat menu is set in their language; one refusing chat
(blocked bot, chat not found) or a 429 neither stops the rest nor the start-up."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.app import build_app
from bot.emulator.server import running_emulator
from bot.i18n import translator
from surveys.core.db import SessionFactory
from surveys.models import Owner
from surveys.people.directory import add_agent, add_community, add_owner
from surveys.people.staffing import add_manager
from tests.fixtures.chat import RUNTIMES, TOKEN, settings_for
from tests.fixtures.menus import every_chat_menu, wait_menu_refresh
from tests.fixtures.people import link_telegram

ZH = translator("zh_CN")


async def _people(db: SessionFactory) -> None:
    await add_community(db=db, code="sunny", name="阳光花园")
    for user_id, phone, language in ((5001, "13800138001", "en"), (5002, "13800138002", None),
                                     (5003, "13800138003", "zh_CN")):
        owner = await add_owner(db=db, community_code="sunny", name=f"业主{user_id}", phone=phone)
        await link_telegram(db, owner, user_id, language)
    agent = await add_agent(db=db, external_id="A001", name="王晓梅", community_code="sunny")
    await link_telegram(db, agent, 7001, "en")
    manager = await add_manager(db=db, name="赵经理")
    await link_telegram(db, manager, 8001, None)


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_start_up_sets_each_bound_persons_menu_and_survives_a_refusing_chat(
        db_url: str, runtime: str) -> None:
    async with running_emulator() as emulator:
        settings = settings_for(emulator, db_url, runtime=runtime)
        app = build_app(settings, polling=False, serve_api=False, schedule=False)
        await _people(app.db)
        # Owner 5001 comes first (by user id) and is refused for good; the next call, the
        # agent's first, is told to wait a second and is tried again.
        await emulator.client.inject_fault("setMyCommands", "status", status=403)
        await emulator.client.inject_fault("setMyCommands", "retry_after", retry_after=1)

        async with app:
            stats = await wait_menu_refresh(app)
            menus: dict[tuple[int, str], dict[str, str]] = {
                (m["scope"]["chat_id"], m["language_code"] or ""):
                {c["command"]: c["description"] for c in m["commands"]}
                for m in await emulator.client.commands(TOKEN)
                if m["scope"].get("type") == "chat"}

    assert (stats.chats, stats.failed_chats, stats.rate_limited) == (4, 1, 1)
    assert sorted(menus) == [(5003, ""), (7001, ""), (7001, "en"), (7001, "zh"),
                             (8001, ""), (8001, "en"), (8001, "zh")]
    assert menus[(5003, "")]["language"] == ZH._("Change the language (中文 / English)")
    assert all(menus[(7001, code)]["me"] == "My figures this week" for code in ("", "zh", "en"))
    assert menus[(8001, "")]["report"] == ZH._(
        "Team report: /report [week|month|2026-11|2026-W47]")
    assert menus[(8001, "en")]["report"] == "Team report: /report [week|month|2026-11|2026-W47]"


async def _set_language(db: SessionFactory, user_id: int, language: str) -> None:

    async with db() as s, s.begin():
        owner = (await s.exec(select(Owner).where(Owner.telegram_user_id == user_id))).one()
        owner.language = language
        s.add(owner)


async def test_a_restart_with_the_same_menus_does_not_rewrite_every_chat_again(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running_emulator() as emulator:
        settings = settings_for(emulator, db_url)
        first = build_app(settings, polling=False, serve_api=False, schedule=False)
        await _people(first.db)
        async with first:
            assert (await wait_menu_refresh(first)).completed
        # Changed behind the bot's back (no /language): only a refresh would rewrite the menu.
        await _set_language(first.db, 5003, "en")

        again = build_app(settings, polling=False, serve_api=False, schedule=False)
        async with again:
            assert (await wait_menu_refresh(again)).skipped
        assert (await every_chat_menu(emulator))[(5003, "")]["language"] == ZH._(
            "Change the language (中文 / English)")

        # A deploy whose menus differ rolls them out once more.
        monkeypatch.setattr("bot.menus.menus_version", lambda: "next-release")
        upgraded = build_app(settings, polling=False, serve_api=False, schedule=False)
        async with upgraded:
            stats = await wait_menu_refresh(upgraded)
        assert stats.completed and not stats.skipped
        assert (await every_chat_menu(emulator))[(5003, "")]["language"] == (
            "Change the language (中文 / English)")
