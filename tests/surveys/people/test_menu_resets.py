"""Deactivating bound staff records one pending menu reset; bots claim each reset once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from surveys.models import Agent
from surveys.people.directory import add_agent, add_community
from surveys.people.menu_resets import claim_menu_resets, finish_menu_reset, pending_menu_resets
from surveys.people.staffing import add_manager, deactivate_agent, deactivate_manager
from tests.fixtures.people import link_telegram


async def _staff(db: SessionFactory) -> None:
    await add_community(db=db, code="sunny", name="阳光花园")
    bound = await add_agent(db=db, external_id="A001", name="王晓梅", community_code="sunny")
    await link_telegram(db, bound, 7001, "zh_CN")
    await add_agent(db=db, external_id="A002", name="李建国", community_code="sunny")  # unbound


async def test_deactivating_a_bound_agent_twice_leaves_one_pending_reset(
        db: SessionFactory) -> None:
    await _staff(db)
    agent = await deactivate_agent(db=db, external_id="A001")
    await deactivate_agent(db=db, external_id="A001")
    assert agent.active is False
    assert await pending_menu_resets(db=db) == 1


async def test_deactivating_unbound_staff_needs_no_reset(db: SessionFactory) -> None:
    await _staff(db)
    manager = await add_manager(db=db, name="赵经理")
    assert manager.id is not None
    assert (await deactivate_agent(db=db, external_id="A002")).active is False
    assert (await deactivate_manager(db=db, manager_id=manager.id)).active is False
    assert await pending_menu_resets(db=db) == 0
    with pytest.raises(NotFound):
        await deactivate_agent(db=db, external_id="NOPE")
    with pytest.raises(NotFound):
        await deactivate_manager(db=db, manager_id=999)


async def test_a_reset_is_claimed_by_one_bot_and_taken_over_only_when_stale(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _staff(db)
    await deactivate_agent(db=db, external_id="A001")

    [reset] = await claim_menu_resets(db=db, worker="bot-a")
    assert (reset.telegram_user_id, reset.chat_id) == (7001, 7001)
    assert await claim_menu_resets(db=db, worker="bot-b") == []

    clock.advance(timedelta(minutes=11))  # bot-a died mid-reset
    [again] = await claim_menu_resets(db=db, worker="bot-b")
    assert again == reset
    await finish_menu_reset(db=db, reset=again)
    assert await pending_menu_resets(db=db) == 0
    clock.advance(timedelta(minutes=11))
    assert await claim_menu_resets(db=db, worker="bot-c") == []


async def test_a_second_deactivation_after_the_reset_is_pending_again(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _staff(db)
    deactivated = await deactivate_agent(db=db, external_id="A001")
    [reset] = await claim_menu_resets(db=db, worker="bot-a")
    await finish_menu_reset(db=db, reset=reset)
    # Reactivated by hand (no command does it yet), then deactivated again.

    async with db() as s, s.begin():
        agent = await s.get(Agent, deactivated.id)
        assert agent is not None
        agent.active = True
        s.add(agent)
    clock.advance(timedelta(seconds=1))
    await deactivate_agent(db=db, external_id="A001")
    assert [r.telegram_user_id for r in await claim_menu_resets(db=db, worker="bot-a")] == [7001]
