"""A complaint's news goes to the Telegram account that filed it, even after an invite moved
its home to another account, while that account still holds a home with the owner's phone
(the same person's other flat): the agent's words and "satisfied?" reach her there, her tap
answers once, and the account the home moved to is told nothing and cannot answer. With no
such home left, the agent is told the home moved (not the web-page reason)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.complaints.handling import record_follow_up, reply_to_owner, resolve
from surveys.complaints.unreachable_close import UnreachableTooEarly, close_unreachable
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden
from surveys.models import Owner
from surveys.outbox.payloads import ComplaintPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    NEW_OWNER_TG,
    OWNER_PHONE,
    OWNER_TG,
    World,
    add_order,
    answer_follow_up,
    asked_round,
    complaint,
    move_home,
    outbox,
)
from tests.fixtures.owner_texts import complain


async def _filed_then_moved(db: SessionFactory, world: World, clock: FrozenClock, *,
                            other_home_phone: str | None = OWNER_PHONE) -> int:
    """陈女士 files about 绿溪园; she gets a flat at 海韵 too; 绿溪园 then moves to a relative."""
    await add_order(db, world)
    opened = await complain(db)
    assert opened.complaint_id is not None
    if other_home_phone is not None:
        async with db() as s, s.begin():
            s.add(Owner(community_id=world.other_community_id, name="陈女士",
                        phone=other_home_phone, building="2", room="202",
                        telegram_user_id=OWNER_TG, chat_id=OWNER_TG))
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    return opened.complaint_id


async def _sent(db: SessionFactory, chat_id: int) -> list[ComplaintPayload]:
    return [ComplaintPayload.of(row.payload) for row in await outbox(db)
            if row.chat_id == chat_id]


async def test_the_agents_words_and_satisfied_go_to_the_account_that_filed_the_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    assert (await complaint(db, cid)).telegram_user_id == OWNER_TG
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    resolved = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert (replied.owner_told, resolved.owner_told) == (True, True)
    assert resolved.view.status == "follow_up"
    told = await _sent(db, OWNER_TG)
    assert [(p.complaint_id, p.reply_text) for p in told] == [(cid, "师傅明天上午来修"),
                                                              (cid, None)]
    # The home is no longer hers: the messages name it.
    assert all(p.home is not None and p.home.startswith("绿溪园") for p in told)
    assert await _sent(db, NEW_OWNER_TG) == []


async def test_her_satisfied_tap_closes_the_complaint_once_and_the_new_account_cannot_answer(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    round_ = await asked_round(db, cid)
    with pytest.raises(Forbidden) as refused:
        await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=NEW_OWNER_TG,
                               satisfied=False, follow_up_round=round_)
    assert refused.value.code == ErrorCode.FOLLOW_UP_NOT_OWNER
    first = await answer_follow_up(db, cid, satisfied=True, round_=round_)
    again = await answer_follow_up(db, cid, satisfied=True, round_=round_)  # delivered twice
    assert (first.changed, again.changed) == (True, False)
    closed = await complaint(db, cid)
    assert (closed.status, closed.satisfied) == ("closed_satisfied", True)


async def test_a_home_of_her_account_under_another_phone_does_not_reach_her(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock, other_home_phone="13700001111")
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    assert (replied.owner_told, replied.home_moved) == (False, True)
    assert await _sent(db, OWNER_TG) == [] and await _sent(db, NEW_OWNER_TG) == []


async def test_with_no_home_left_the_agent_learns_the_home_moved(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock, other_home_phone=None)
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    resolved = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert (replied.owner_told, replied.home_moved) == (False, True)
    assert (resolved.owner_told, resolved.home_moved) == (False, True)


async def test_a_follow_up_she_can_still_answer_is_not_closed_as_unreachable_early(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    with pytest.raises(UnreachableTooEarly):
        await close_unreachable(db=db, complaint_id=cid, role="manager",
                                staff_id=world.manager_all, note="电话未接通",
                                config=ComplaintConfig())


async def test_forget_by_the_account_that_filed_it_leaves_no_account_on_the_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    assert await forget_owner(db=db, telegram_user_id=OWNER_TG) is not None
    assert (await complaint(db, cid)).telegram_user_id is None
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    assert not replied.owner_told  # nobody: neither the erased account nor the new holder
    assert await _sent(db, OWNER_TG) == [] and await _sent(db, NEW_OWNER_TG) == []


async def test_forget_by_the_account_that_filed_it_erases_its_words_on_the_moved_home(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    async with db() as s, s.begin():  # the registry now has the relative's phone on that home
        moved = await s.get(Owner, world.owner_id)
        assert moved is not None
        moved.phone = "13900139000"
    assert (await complaint(db, cid)).text
    assert await forget_owner(db=db, telegram_user_id=OWNER_TG) is not None
    assert (await complaint(db, cid)).text is None

