"""A home moved to another Telegram account while an owner's words wait: the account that wrote
them still decides them, the new account never sees them, taps twice register nothing twice,
and what the earlier account did on the home is not counted against the new one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import col, select

from surveys.complaints.owner_text import Outcome, OwnerTextResult
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.models import OutboxMessage, Owner, OwnerText, OwnerTextStatus
from tests.fixtures.complaint_world import (
    NEW_OWNER_TG,
    World,
    add_order,
    all_complaints,
    move_home,
    submit_response,
)
from tests.fixtures.owner_texts import NEUTRAL_PROBLEM, PROBLEM, answer, choose, complain, say

RIVER = "海韵 5-502"


async def _note(db: SessionFactory, asked: OwnerTextResult) -> OwnerText:
    async with db() as s:
        note = await s.get(OwnerText, asked.owner_text_id)
        assert note is not None
        return note


async def test_words_waiting_when_their_only_home_moved_can_still_be_withdrawn_by_their_writer(
        db: SessionFactory, world: World) -> None:
    asked = await say(db, NEUTRAL_PROBLEM)
    assert asked.outcome == Outcome.CONFIRM
    await move_home(db, world.owner_id)
    declined = await answer(db, asked, register=False)
    assert (declined.outcome, declined.changed) == (Outcome.DECLINED, True)
    assert (await _note(db, asked)).status == OwnerTextStatus.DECLINED
    assert await all_complaints(db) == []


async def test_a_yes_tapped_twice_after_the_only_home_moved_gives_the_words_back_once(
        db: SessionFactory, world: World) -> None:
    asked = await say(db, NEUTRAL_PROBLEM)
    await move_home(db, world.owner_id)
    first, again = await asyncio.gather(answer(db, asked, register=True),
                                        answer(db, asked, register=True))
    assert sorted([first.changed, again.changed]) == [False, True]
    told = first if first.changed else again
    assert (told.outcome, told.words, told.homes) == (Outcome.HOME_LEFT, NEUTRAL_PROBLEM, ())
    assert {first.outcome, again.outcome} == {Outcome.HOME_LEFT}
    assert (await _note(db, asked)).status == OwnerTextStatus.HOME_LEFT
    assert await all_complaints(db) == []


async def test_the_new_account_neither_joins_nor_decides_the_earlier_accounts_words(
        db: SessionFactory, world: World) -> None:
    asked = await say(db, NEUTRAL_PROBLEM)
    await move_home(db, world.owner_id)
    own = await say(db, "三号门那边也有积水", user=NEW_OWNER_TG)
    assert (own.outcome, own.changed) == (Outcome.CONFIRM, True)  # its own question
    assert own.owner_text_id != asked.owner_text_id
    assert (await _note(db, asked)).text == NEUTRAL_PROBLEM
    for tap in (answer(db, asked, register=True, user=NEW_OWNER_TG),
                choose(db, asked, world.owner_id, user=NEW_OWNER_TG)):
        with pytest.raises(NotFound) as refused:
            await tap
        assert refused.value.code == ErrorCode.OWNER_TEXT_NOT_FOUND
    assert (await _note(db, asked)).status == OwnerTextStatus.AWAITING
    assert await all_complaints(db) == []


async def test_a_yes_after_one_of_two_homes_moved_asks_which_of_the_homes_left(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await say(db, NEUTRAL_PROBLEM)  # held by 绿溪园, the first home
    await move_home(db, world.owner_id)
    more = await say(db, "三号门那边也有积水")  # the writer's further words still join it
    assert (more.outcome, more.changed, more.owner_text_id) == (
        Outcome.CONFIRM, False, asked.owner_text_id)
    which = await answer(db, asked, register=True)
    assert (which.outcome, [home.label for home in which.homes]) == (Outcome.CHOOSE_HOME, [RIVER])
    assert await all_complaints(db) == []  # a home moved: never guessed, the owner says
    chosen = await choose(db, which, second_home)
    [complaint] = await all_complaints(db)
    assert (chosen.outcome, complaint.owner_id) == (Outcome.OPENED, second_home)
    assert complaint.text == f"{NEUTRAL_PROBLEM}\n三号门那边也有积水"


async def test_which_home_asked_before_a_home_moved_is_answered_among_the_homes_left(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await complain(db)  # "which home?", the words held by 绿溪园
    await move_home(db, world.owner_id)
    gone = await choose(db, asked, world.owner_id)  # the button of the home that moved
    assert (gone.outcome, gone.changed) == (Outcome.HOME_LEFT, True)
    assert [home.label for home in gone.homes] == [RIVER]  # asked again among those left
    assert (await _note(db, asked)).status == OwnerTextStatus.HOME_COMPLAIN
    first, again = await asyncio.gather(choose(db, asked, second_home),
                                        choose(db, asked, second_home))
    assert sorted([first.changed, again.changed]) == [False, True]
    assert [c.owner_id for c in await all_complaints(db)] == [second_home]


async def test_which_home_with_no_home_left_gives_the_words_back_once(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await complain(db)
    await move_home(db, world.owner_id)
    await move_home(db, second_home)
    left = await choose(db, asked, second_home)
    assert (left.outcome, left.changed, left.words, left.homes) == (
        Outcome.HOME_LEFT, True, PROBLEM, ())
    again = await choose(db, asked, world.owner_id)
    assert (again.outcome, again.changed) == (Outcome.HOME_LEFT, False)
    with pytest.raises(NotFound):  # the account that holds both homes now
        await choose(db, asked, second_home, user=NEW_OWNER_TG)
    assert await all_complaints(db) == []


async def test_the_new_account_of_a_moved_home_has_its_own_daily_limit_and_complaints(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    earlier = [await complain(db, words) for words in ("电梯坏了", "门禁坏了", "楼道灯坏了")]
    assert {result.outcome for result in earlier} == {Outcome.OPENED}
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    opened = await say(db, PROBLEM, user=NEW_OWNER_TG)
    assert opened.outcome == Outcome.OPENED  # neither kept nor joined to an earlier complaint
    assert opened.complaint_id not in {result.complaint_id for result in earlier}
    joined = await say(db, "今天还是没人来，地下车库也有积水", user=NEW_OWNER_TG)
    assert (joined.outcome, joined.complaint_id) == (Outcome.JOINED, opened.complaint_id)
    assert [c.owner_id for c in await all_complaints(db)] == [world.owner_id] * 4


async def test_a_text_the_new_account_keeps_past_its_limit_alerts_managers_at_once(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    await complain(db, "电梯坏了", config=config)
    assert (await complain(db, "门禁坏了", config=config)).outcome == Outcome.KEPT
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    assert (await complain(db, "楼道灯坏了", user=NEW_OWNER_TG, config=config)
            ).outcome == Outcome.OPENED
    kept = await complain(db, "垃圾没人清理", user=NEW_OWNER_TG, config=config)
    assert kept.outcome == Outcome.KEPT
    note = await _note(db, kept)
    assert note.alert_id == note.id  # its own window: not folded into the earlier account's
    async with db() as s:
        keys = (await s.exec(select(OutboxMessage.dedupe_key).where(
            col(OutboxMessage.dedupe_key).startswith(f"owner_text_kept:{note.id}:")))).all()
    assert keys


async def test_a_text_with_no_writer_recorded_is_nobodys_to_decide(
        db: SessionFactory, world: World) -> None:
    async with db() as s, s.begin():  # kept from a home no account held at revision 0024
        note = OwnerText(owner_id=world.owner_id, text=NEUTRAL_PROBLEM)
        s.add(note)
    orphan = OwnerTextResult(Outcome.CONFIRM, owner_text_id=note.id)
    with pytest.raises(NotFound):  # the account holding the home now did not write it
        await answer(db, orphan, register=True)
    assert (await _note(db, orphan)).status == OwnerTextStatus.AWAITING


async def test_a_survey_the_earlier_account_rated_names_no_home_for_the_new_one(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    async with db() as s, s.begin():  # the new account's own flat elsewhere
        s.add(Owner(community_id=world.other_community_id, name="周先生", phone="13900007777",
                    building="9", room="901", telegram_user_id=NEW_OWNER_TG,
                    chat_id=NEW_OWNER_TG))
    await submit_response(db, world, order_id=await add_order(db, world))  # 陈女士 rates 绿溪园
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    asked = await complain(db, user=NEW_OWNER_TG)
    assert asked.outcome == Outcome.CHOOSE_HOME  # not filed for 绿溪园 on her rating
    assert await all_complaints(db) == []
