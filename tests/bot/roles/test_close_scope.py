"""Who may close a 考核 period in chat (both runtimes): a close makes every community's figures
final at once, so a manager of one community is refused politely while the company has other
communities, and told who may close it; nothing is stored by the refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from sqlmodel import select

from bot.i18n import translator
from surveys.core.clock import FrozenClock
from surveys.models import AuditLog, ClosedPeriod
from surveys.people.directory import add_community
from surveys.people.staffing import add_manager
from tests.bot.roles.conftest import Staffed, press, staff_world
from tests.fixtures.chat import buttons, running_bot

ZH = translator("zh_CN")
AFTER_REVIEW = datetime(2026, 12, 4, 1, 0)
REFUSAL = ("Closing {label} makes the figures of every community final at once, so it is done "
           "by a manager responsible for the whole company: {names}. You oversee {community} "
           "only; its figures stay provisional until then.")


@asynccontextmanager
async def december(db_url: str) -> AsyncIterator[Staffed]:
    """Staff bound (赵经理 manages 阳光花园 only); the clock after November's appeal window."""
    FrozenClock(AFTER_REVIEW).install()
    try:
        async with running_bot(db_url) as h:
            yield await staff_world(h)
    finally:
        FrozenClock.uninstall()


async def _nothing_closed(world: Staffed) -> None:
    async with world.h.db() as s:
        assert (await s.exec(select(ClosedPeriod))).first() is None
        assert (await s.exec(select(AuditLog).where(
            AuditLog.action == "period_closed"))).first() is None


async def test_a_community_manager_is_told_who_closes_the_period_of_several_communities(
    db_url: str,
) -> None:
    async with december(db_url) as world:
        await add_community(db=world.h.db, code="maple", name="枫林苑")
        await add_manager(db=world.h.db, name="钱总", community_code=None)
        refused = await world.manager.send("/close 2026-11")
        assert refused["text"] == ZH._(REFUSAL).format(label="2026-11", names="钱总",
                                                       community="阳光花园")
        assert not buttons(refused)
        await _nothing_closed(world)


@pytest.mark.slow  # the refusal itself is guarded by the test above in the quick suite
async def test_a_close_button_tapped_after_a_second_community_came_closes_nothing(
    db_url: str,
) -> None:
    async with december(db_url) as world:
        ask = await world.manager.send("/close 2026-11")
        assert ask["text"].startswith("确定结账 2026-11 吗？")
        await add_community(db=world.h.db, code="maple", name="枫林苑")
        data = str(buttons(ask)[0][0]["callback_data"])
        answer = await world.manager.tap_data(ask["message_id"], data)
        assert answer["text"].startswith("结账 2026-11 会让所有小区的分数同时成为最终结果")
        assert "ownervoice points close 2026-11" in answer["text"]  # no company-wide manager
        await _nothing_closed(world)


@pytest.mark.slow  # test_cycle_in_chat closes as the only community's manager too
async def test_the_only_community_s_manager_still_closes_the_period(db_url: str) -> None:
    async with december(db_url) as world:
        ask = await world.manager.send("/close 2026-11")
        done = await press(world.manager, ask["message_id"], "结账 2026-11")
        assert done["text"] == "2026-11 已结账：0 名客服的分数已定，已逐一通知。"
