"""Stored prompts: set, taken once, replaced, expired, cleared — shared by every replica."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.models import StaffPrompt
from surveys.people.prompts import clear_prompt, set_prompt, take_prompt

USER = 7001


async def test_a_prompt_is_taken_once_and_a_second_take_gets_nothing(
    db: SessionFactory, clock: FrozenClock
) -> None:
    expires = await set_prompt(db=db, telegram_user_id=USER, kind="reply", target=12)
    assert expires == clock() + timedelta(minutes=30)
    taken = await take_prompt(db=db, telegram_user_id=USER)
    assert taken is not None
    assert (taken.kind, taken.target, taken.expired) == ("reply", 12, False)
    assert await take_prompt(db=db, telegram_user_id=USER) is None
    async with db() as s:
        assert (await s.exec(select(StaffPrompt))).all() == []


async def test_prompts_of_different_people_do_not_mix(db: SessionFactory, clock: FrozenClock
                                                      ) -> None:
    await set_prompt(db=db, telegram_user_id=USER, kind="reply", target=1)
    await set_prompt(db=db, telegram_user_id=USER + 1, kind="uphold", target=2)
    assert await take_prompt(db=db, telegram_user_id=USER + 2) is None
    other = await take_prompt(db=db, telegram_user_id=USER + 1)
    mine = await take_prompt(db=db, telegram_user_id=USER)
    assert other is not None and (other.kind, other.target) == ("uphold", 2)
    assert mine is not None and (mine.kind, mine.target) == ("reply", 1)


async def test_a_new_prompt_replaces_the_earlier_one(db: SessionFactory, clock: FrozenClock
                                                     ) -> None:
    await set_prompt(db=db, telegram_user_id=USER, kind="reply", target=12)
    clock.advance(timedelta(minutes=20))
    await set_prompt(db=db, telegram_user_id=USER, kind="appeal", target=13)
    clock.advance(timedelta(minutes=20))  # 40 min after the first, 20 after the second
    taken = await take_prompt(db=db, telegram_user_id=USER)
    assert taken is not None
    assert (taken.kind, taken.target, taken.expired) == ("appeal", 13, False)
    assert await take_prompt(db=db, telegram_user_id=USER) is None


async def test_an_expired_prompt_is_taken_as_expired_and_then_gone(
    db: SessionFactory, clock: FrozenClock
) -> None:
    await set_prompt(db=db, telegram_user_id=USER, kind="reply", target=12,
                     ttl=timedelta(minutes=5))
    clock.advance(timedelta(minutes=4, seconds=59))
    await set_prompt(db=db, telegram_user_id=USER + 1, kind="void", target=3,
                     ttl=timedelta(minutes=5))
    clock.advance(timedelta(seconds=1))  # USER's prompt expires exactly now
    taken = await take_prompt(db=db, telegram_user_id=USER)
    assert taken is not None and taken.expired and taken.target == 12
    assert await take_prompt(db=db, telegram_user_id=USER) is None
    live = await take_prompt(db=db, telegram_user_id=USER + 1)
    assert live is not None and not live.expired


async def test_clearing_tells_whether_a_live_prompt_was_waiting(
    db: SessionFactory, clock: FrozenClock
) -> None:
    assert await clear_prompt(db=db, telegram_user_id=USER) is False
    await set_prompt(db=db, telegram_user_id=USER, kind="complain", target=0)
    assert await clear_prompt(db=db, telegram_user_id=USER) is True
    assert await take_prompt(db=db, telegram_user_id=USER) is None
    await set_prompt(db=db, telegram_user_id=USER, kind="reply", target=1)
    clock.advance(timedelta(hours=1))
    assert await clear_prompt(db=db, telegram_user_id=USER) is False  # it had expired
    assert await take_prompt(db=db, telegram_user_id=USER) is None


async def test_two_replicas_taking_the_same_prompt_at_once_get_it_once(
    db_url: str, clock: FrozenClock
) -> None:
    # Separate engines play separate replicas (own connection pools) on one database.
    engines = [create_engine(db_url) for _ in range(4)]
    try:
        factories = [session_factory(e) for e in engines]
        for round_ in range(5):
            await set_prompt(db=factories[0], telegram_user_id=USER, kind="reply",
                             target=round_)
            taken = await asyncio.gather(*(take_prompt(db=f, telegram_user_id=USER)
                                           for f in factories))
            winners = [t for t in taken if t is not None]
            assert [(w.kind, w.target) for w in winners] == [("reply", round_)]
    finally:
        for e in engines:
            await e.dispose()
