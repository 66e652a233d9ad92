"""A typed reply after "Reply" reaches the owner even across a restart; a late one does not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.app import App, build_app
from bot.config import Settings
from bot.emulator.server import running_emulator
from surveys.core.clock import FrozenClock
from surveys.models import ComplaintMessage, StaffPrompt
from tests.bot.roles.conftest import Staffed, press, staff_world, texts
from tests.fixtures.chat import OWNERS, Harness, current_runtime, running_bot, settings_for

PROMPT = "请直接输入给业主的回复"
EXPIRED = "已超过 30 分钟"


def _build(settings: Settings) -> App:
    return build_app(settings, serve_api=False, schedule=False, polling_timeout=1)


@asynccontextmanager
async def restartable_bot(db_url: str) -> AsyncIterator[tuple[Harness, Any]]:
    """Yield a harness and a `restart()` that stops its app and starts a fresh one."""
    async with running_emulator() as emulator:
        settings = settings_for(emulator, db_url, runtime=current_runtime())
        h = Harness(emulator=emulator, client=emulator.client, app=_build(settings),
                    settings=settings)
        await h.app.__aenter__()

        async def restart() -> None:
            await h.app.__aexit__(None, None, None)
            h.app = _build(settings)  # a new process: nothing kept in memory
            await h.app.__aenter__()

        try:
            yield h, restart
        finally:
            await h.app.__aexit__(None, None, None)


async def _complaint_card(h: Harness) -> tuple[Staffed, dict[str, Any]]:
    """Staff bound, owner 张伟 complains directly; return the agent's complaint card."""
    world = await staff_world(h)
    owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-700", title="电梯异响维修")
    receipt = await owner.send("/complain 电梯还是有异响")
    assert "#" in receipt["text"]
    card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="电梯还是有异响")
    return world, card


async def _tap_reply(h: Harness, world: Staffed, card: dict[str, Any]) -> None:
    before = len(await world.agent.messages())
    await press(world.agent, card["message_id"], "回复")
    await h.client.wait_for(h.token, world.agent.chat_id, count=before + 1, timeout=10)
    assert PROMPT in texts(await world.agent.messages())[-1]


async def _relayed(h: Harness) -> list[str]:
    async with h.db() as s:
        return [m.text for m in (await s.exec(select(ComplaintMessage))).all()]


async def test_a_reply_typed_after_a_restart_still_reaches_the_owner(db_url: str) -> None:
    async with restartable_bot(db_url) as (h, restart):
        world, card = await _complaint_card(h)
        await _tap_reply(h, world, card)
        await restart()
        sent = await world.agent.send("您好，今天下午我再去看一次电梯。")
        assert "已转达" in sent["text"]
        relayed = await h.client.wait_for_message(h.token, OWNERS[0].user_id,
                                                  contains="今天下午我再去看一次电梯")
        assert "13700000001" not in relayed["text"]
        assert await _relayed(h) == ["您好，今天下午我再去看一次电梯。"]
        # Taken once: the next text is not relayed again.
        again = await world.agent.send("第二条消息")
        assert "您可以使用的命令" in again["text"]
        assert await _relayed(h) == ["您好，今天下午我再去看一次电梯。"]


async def test_a_reply_typed_after_the_prompt_expired_is_not_relayed(
    db_url: str, clock: FrozenClock
) -> None:
    async with running_bot(db_url) as h:
        world, card = await _complaint_card(h)
        await _tap_reply(h, world, card)
        clock.advance(timedelta(minutes=31))
        before = len(await world.agent.messages())
        notice = await world.agent.send("迟到的回复")
        assert EXPIRED in notice["text"] and "重新点击按钮" in notice["text"]
        after = await h.client.wait_for(h.token, world.agent.chat_id, count=before + 2,
                                        timeout=10)
        assert "您可以使用的命令" in after[before + 1]["text"]  # handled as ordinary text
        assert await _relayed(h) == []
        async with h.db() as s:
            assert (await s.exec(select(StaffPrompt))).all() == []
        # Tapping again opens a fresh prompt that works.
        await _tap_reply(h, world, card)
        sent = await world.agent.send("及时的回复")
        assert "已转达" in sent["text"]
        assert await _relayed(h) == ["及时的回复"]
        owner_texts = texts(await h.owner(OWNERS[0]).messages())
        assert not [t for t in owner_texts if "迟到的回复" in t]


async def test_cancel_clears_the_stored_prompt(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world, card = await _complaint_card(h)
        await _tap_reply(h, world, card)
        cancelled = await world.agent.send("/cancel")
        assert "已取消" in cancelled["text"]
        async with h.db() as s:
            assert (await s.exec(select(StaffPrompt))).all() == []
        ordinary = await world.agent.send("这条不该转给业主")
        assert "您可以使用的命令" in ordinary["text"]
        assert await _relayed(h) == []
        nothing = await world.agent.send("/cancel")
        assert "没有需要取消" in nothing["text"]
