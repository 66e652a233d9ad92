"""Agents and managers bind through one-time invite links and get their own menus."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlmodel import select

from surveys.models import Agent, Manager
from tests.bot.roles.conftest import AGENT_A, MANAGER, agent_id, invite, staff_world
from tests.fixtures.chat import STRANGER, Harness, running_bot


async def _menus_of(h: Harness, chat_id: int, language: str) -> list[dict[str, Any]]:
    """Wait until the chat's menu is set (it follows the welcome reply), return all menus."""
    for _ in range(250):
        menus = await h.client.commands(h.token)
        if any(m["scope"].get("chat_id") == chat_id and (m["language_code"] or "") == language
               for m in menus):
            return menus
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {language!r} menu for chat {chat_id}")


async def test_agent_and_manager_bind_and_get_chat_scoped_menus(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        async with h.db() as s:
            agent = (await s.exec(select(Agent).where(Agent.external_id == "A001"))).one()
            manager = await s.get(Manager, world.manager_id)
        assert agent.telegram_user_id == AGENT_A.user_id
        assert manager is not None and manager.telegram_user_id == MANAGER.user_id
        menus = await _menus_of(h, MANAGER.user_id, "en")
        by_chat = {(m["scope"].get("chat_id"), m["language_code"] or ""):
                   [c["command"] for c in m["commands"]] for m in menus
                   if m["scope"].get("type") == "chat"}
        assert "me" in by_chat[(AGENT_A.user_id, "")] and "report" not in by_chat[
            (AGENT_A.user_id, "")]
        assert {"report", "export", "chart", "appeals"} <= set(by_chat[(MANAGER.user_id, "en")])
        defaults = [m for m in menus if m["scope"].get("type", "default") == "default"]
        assert defaults and all("report" not in [c["command"] for c in m["commands"]]
                                for m in defaults)


async def test_expired_reused_and_forged_invites_are_refused_politely(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        a1 = await agent_id(h, "A001")
        expired = await invite(h, "agent", a1, ttl=timedelta(seconds=-1))
        stranger = h.owner(STRANGER)
        assert "无效" in (await stranger.send(f"/start {expired}"))["text"]
        good = await invite(h, "agent", a1)
        await h.owner(AGENT_A).send(f"/start {good}")
        assert "无效" in (await stranger.send(f"/start {good}"))["text"]  # reused
        forged = good[:22] + ("A" * 22)
        assert "无效" in (await stranger.send(f"/start {forged}"))["text"]
        async with h.db() as s:
            agent = await s.get(Agent, a1)
        assert agent is not None and agent.telegram_user_id == AGENT_A.user_id
