"""The same words sent twice while the owner's complaint is handled open one complaint.

An impatient owner sends the same message again, or the client resends it on a bad
connection (a new message, so update de-duplication cannot see it): each copy opened its own
complaint against the same agent, sent the agent a second card, and counted twice in the
agent's complaint figures.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from surveys.complaints.handling import acknowledge, resolve
from surveys.complaints.opening import open_direct
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import Complaint
from tests.fixtures.complaint_world import AGENT_A_TG, OWNER_TG, World, add_order, outbox

WORDS = "电梯还是坏的，没人管"


async def _complaints(db: SessionFactory) -> list[Complaint]:
    async with db() as s:
        return list((await s.exec(select(Complaint))).all())


async def test_the_same_words_sent_again_while_the_complaint_is_open_are_one_complaint(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await add_order(db, world, agent_id=world.agent_a, title="电梯故障")
    first = await open_direct(db=db, telegram_user_id=OWNER_TG, text=WORDS,
                              complaint_config=ComplaintConfig())
    clock.advance(timedelta(minutes=3))
    again = await open_direct(db=db, telegram_user_id=OWNER_TG, text=f" {WORDS} ",
                              complaint_config=ComplaintConfig())
    assert again.id == first.id
    assert len(await _complaints(db)) == 1
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG]


async def test_the_same_words_sent_twice_at_once_are_one_complaint(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await add_order(db, world, agent_id=world.agent_a, title="电梯故障")
    opened = await asyncio.gather(*(
        open_direct(db=db, telegram_user_id=OWNER_TG, text=WORDS,
                    complaint_config=ComplaintConfig()) for _ in range(4)))
    assert len({c.id for c in opened}) == 1
    assert len(await _complaints(db)) == 1


async def test_other_words_or_the_same_words_after_resolution_open_a_new_complaint(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await add_order(db, world, agent_id=world.agent_a, title="电梯故障")
    first = await open_direct(db=db, telegram_user_id=OWNER_TG, text=WORDS,
                              complaint_config=ComplaintConfig())
    other = await open_direct(db=db, telegram_user_id=OWNER_TG, text="楼道灯也坏了",
                              complaint_config=ComplaintConfig())
    assert other.id != first.id
    assert first.id is not None
    await acknowledge(db=db, complaint_id=first.id, agent_telegram_user_id=AGENT_A_TG)
    await resolve(db=db, complaint_id=first.id, agent_telegram_user_id=AGENT_A_TG)
    later = await open_direct(db=db, telegram_user_id=OWNER_TG, text=WORDS,
                              complaint_config=ComplaintConfig())
    assert later.id not in (first.id, other.id)
    assert len(await _complaints(db)) == 3
