"""The bot talks with people one to one: nothing it holds is said in a group chat."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from tests.bot.roles.conftest import staff_world
from tests.bot.security.conftest import complaint_card, data_of
from tests.fixtures.chat import Harness, running_bot

GROUP = -100555
_update_ids = itertools.count(900_000)


def _group_message(user_id: int, name: str, text: str) -> dict[str, Any]:
    update: dict[str, Any] = {"update_id": next(_update_ids), "message": {
        "message_id": next(_update_ids), "date": 1_780_000_000,
        "chat": {"id": GROUP, "type": "supergroup", "title": "业主群"},
        "from": {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"},
        "text": text,
    }}
    if text.startswith("/"):
        command = text.split()[0]
        update["message"]["entities"] = [{"type": "bot_command", "offset": 0,
                                          "length": len(command)}]
    return update


def _group_tap(user_id: int, name: str, data: str) -> dict[str, Any]:
    return {"update_id": next(_update_ids), "callback_query": {
        "id": str(next(_update_ids)), "chat_instance": "group-instance", "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"},
        "message": {"message_id": 77, "date": 1_780_000_000, "text": "…",
                    "chat": {"id": GROUP, "type": "supergroup", "title": "业主群"}},
    }}


async def _said_in_group(h: Harness) -> list[dict[str, Any]]:
    await asyncio.sleep(0.5)  # replies are sent straight away; give the sender a moment
    calls = await h.client.requests(h.token)
    return [c for c in calls if str((c.get("params") or {}).get("chat_id")) == str(GROUP)]


async def test_staff_commands_and_buttons_in_a_group_reveal_nothing_there(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        _, card, _ = await complaint_card(h, world.agent)
        agent, manager = world.agent.person, world.manager.person
        for update in (
            _group_message(agent.user_id, agent.name, "/complaints"),
            _group_message(agent.user_id, agent.name, "/me"),
            _group_message(manager.user_id, manager.name, "/complaints"),
            _group_message(manager.user_id, manager.name, "/report"),
            _group_tap(agent.user_id, agent.name, data_of(card, "已受理")),
        ):
            await h.app.runtime.feed_update(update)
        assert await _said_in_group(h) == []
