"""An owner of several homes is asked "which home?" when a complaint's home is not clear; the
first tap stands, and the joining rule and the daily limit count per home."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from surveys.complaints.owner_text import (
    Outcome,
    OwnerTextResult,
    answer_confirmation,
)
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.models import (
    AuditLog,
    ComplaintMessage,
    Owner,
    OwnerText,
    OwnerTextStatus,
    Response,
    Survey,
)
from tests.fixtures.complaint_world import (
    OTHER_OWNER_TG,
    OWNER_TG,
    World,
    add_order,
    all_complaints,
    submit_response,
)
from tests.fixtures.owner_texts import CONFIG, NEUTRAL_PROBLEM, PROBLEM, choose, complain, say

HOMES = ["绿溪园 3-1201", "海韵 5-502"]


async def _note(db: SessionFactory, note_id: int | None) -> OwnerText:
    async with db() as s:
        note = await s.get(OwnerText, note_id)
        assert note is not None
        return note


def _asked(result: OwnerTextResult) -> None:
    assert result.outcome == Outcome.CHOOSE_HOME and result.changed
    assert [home.label for home in result.homes] == HOMES


async def test_an_owner_of_one_home_is_never_asked_which_home(
        db: SessionFactory, world: World) -> None:
    opened = await complain(db)
    assert opened.outcome == Outcome.OPENED
    assert [c.owner_id for c in await all_complaints(db)] == [world.owner_id]


async def test_complain_with_two_homes_asks_and_opens_for_the_home_tapped(
        db: SessionFactory, world: World, second_home: int) -> None:
    await add_order(db, world)  # 绿溪园's order closed last: no longer a reason to pick it
    river_order = await add_order(db, world, owner_id=second_home, title="阳台门锁更换")
    await add_order(db, world)
    asked = await complain(db)
    _asked(asked)
    assert await all_complaints(db) == []  # nothing registered before the tap

    chosen = await choose(db, asked, second_home)
    assert chosen.outcome == Outcome.OPENED and chosen.changed
    [complaint] = await all_complaints(db)
    assert (complaint.owner_id, complaint.work_order_id, complaint.text) == (
        second_home, river_order, PROBLEM)
    note = await _note(db, asked.owner_text_id)
    assert (note.owner_id, note.status, note.complaint_id) == (
        second_home, OwnerTextStatus.OPENED, complaint.id)
    async with db() as s:
        [audit] = (await s.exec(select(AuditLog).where(
            AuditLog.action == "owner_text_home_chosen"))).all()
    assert audit.subject_id == note.id and audit.detail["complaint_id"] == complaint.id


async def test_a_second_tap_two_taps_at_once_or_the_other_home_register_nothing_twice(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await complain(db)
    first, again = await asyncio.gather(choose(db, asked, second_home),
                                        choose(db, asked, second_home))
    assert sorted([first.changed, again.changed]) == [False, True]
    other = await choose(db, asked, world.owner_id)  # the stale button of the other home
    assert (other.outcome, other.changed) == (Outcome.OPENED, False)
    assert [c.owner_id for c in await all_complaints(db)] == [second_home]


async def test_a_home_no_longer_on_the_account_registers_nothing_and_the_rest_are_offered(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await complain(db)
    async with db() as s, s.begin():
        home = await s.get(Owner, second_home)
        assert home is not None
        home.telegram_user_id = None  # unbound meanwhile
    gone = await choose(db, asked, second_home)
    assert (gone.outcome, [home.label for home in gone.homes]) == (Outcome.HOME_LEFT, HOMES[:1])
    assert await all_complaints(db) == []
    with pytest.raises(NotFound) as stranger:  # another account's tap on a copied button
        await choose(db, asked, world.other_owner_id, user=OTHER_OWNER_TG)
    assert stranger.value.code == ErrorCode.OWNER_TEXT_NOT_FOUND


async def test_the_same_complain_again_is_the_same_question_and_other_words_a_new_one(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await complain(db)
    again = await complain(db)
    assert (again.outcome, again.changed, again.owner_text_id) == (
        Outcome.CHOOSE_HOME, False, asked.owner_text_id)
    other = await complain(db, "门禁也坏了")
    assert other.changed and other.owner_text_id != asked.owner_text_id


async def test_a_text_joins_the_one_home_with_a_complaint_in_hand_without_asking(
        db: SessionFactory, world: World, second_home: int) -> None:
    opened = await choose(db, await complain(db), second_home)
    joined = await say(db, "还是没人来修，请尽快处理")
    assert (joined.outcome, joined.complaint_id) == (Outcome.JOINED, opened.complaint_id)


async def test_with_a_complaint_in_hand_in_both_homes_the_text_joins_the_home_tapped_only(
        db: SessionFactory, world: World, second_home: int) -> None:
    first = await choose(db, await complain(db), world.owner_id)
    second = await choose(db, await complain(db, "门禁也坏了"), second_home)
    asked = await say(db, "还是没人来修，请尽快处理")
    _asked(asked)
    joined = await choose(db, asked, second_home)
    assert (joined.outcome, joined.complaint_id) == (Outcome.JOINED, second.complaint_id)
    async with db() as s:
        messages = (await s.exec(select(ComplaintMessage.complaint_id))).all()
    assert first.complaint_id not in messages and second.complaint_id in messages
    assert len(await all_complaints(db)) == 2


async def test_complaint_texts_while_which_home_waits_are_one_question(
        db: SessionFactory, world: World, second_home: int) -> None:
    asked = await say(db)
    _asked(asked)
    more = await say(db, "门禁也坏了，一直没人修")
    assert (more.outcome, more.changed, more.owner_text_id) == (
        Outcome.CHOOSE_HOME, False, asked.owner_text_id)
    note = await _note(db, asked.owner_text_id)
    assert note.text == f"{PROBLEM}\n门禁也坏了，一直没人修"
    chosen = await choose(db, asked, world.owner_id)
    [complaint] = await all_complaints(db)
    assert complaint.id == chosen.complaint_id and complaint.text == note.text


async def test_a_survey_rated_within_the_hour_names_the_home_and_after_it_the_owner_is_asked(
        db: SessionFactory, world: World, second_home: int, clock: FrozenClock) -> None:
    order = await add_order(db, world, owner_id=second_home)
    await submit_response(db, world, order_id=order)  # all 5 stars: no complaint
    opened = await complain(db)
    [complaint] = await all_complaints(db)
    assert opened.outcome == Outcome.OPENED and complaint.owner_id == second_home
    clock.advance(timedelta(hours=1, minutes=1))
    _asked(await complain(db, "门禁也坏了"))


async def test_a_survey_answered_by_staff_on_the_phone_names_no_home(
        db: SessionFactory, world: World, second_home: int) -> None:
    order = await add_order(db, world, owner_id=second_home)
    await submit_response(db, world, order_id=order)
    async with db() as s, s.begin():
        response = (await s.exec(select(Response).join(Survey).where(
            Survey.work_order_id == order))).one()
        response.entered_by_role = "revisitor"
    _asked(await complain(db))


async def test_an_unsure_text_asks_register_first_and_which_home_only_when_registered(
        db: SessionFactory, world: World, second_home: int) -> None:
    declined_question = await say(db, "小区门口的路灯")
    assert declined_question.outcome == Outcome.CONFIRM  # asked "register?", not "which home?"
    assert declined_question.owner_text_id is not None
    declined = await answer_confirmation(
        db=db, telegram_user_id=OWNER_TG, owner_text_id=declined_question.owner_text_id,
        register=False, complaint_config=CONFIG)
    assert declined.outcome == Outcome.DECLINED

    question = await say(db, NEUTRAL_PROBLEM)
    assert question.outcome == Outcome.CONFIRM and question.owner_text_id is not None
    asked = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                      owner_text_id=question.owner_text_id, register=True,
                                      complaint_config=CONFIG)
    _asked(asked)
    assert asked.owner_text_id == question.owner_text_id and await all_complaints(db) == []
    repeat = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                       owner_text_id=question.owner_text_id, register=True,
                                       complaint_config=CONFIG)
    assert (repeat.outcome, repeat.changed) == (Outcome.CHOOSE_HOME, False)
    chosen = await choose(db, asked, second_home)
    [complaint] = await all_complaints(db)
    assert chosen.outcome == Outcome.OPENED and complaint.owner_id == second_home
    assert complaint.text == NEUTRAL_PROBLEM


async def test_thanks_with_nothing_in_hand_is_thanked_without_asking(
        db: SessionFactory, world: World, second_home: int) -> None:
    thanked = await say(db, "师傅修得很好，非常满意，谢谢")
    assert thanked.outcome == Outcome.THANKS


async def test_a_which_home_tapped_after_the_question_lapsed_registers_nothing(
        db: SessionFactory, world: World, second_home: int, clock: FrozenClock) -> None:
    asked = await complain(db)
    clock.advance(timedelta(hours=CONFIG.owner_question_hours))
    late = await choose(db, asked, second_home)
    assert (late.outcome, late.words, late.changed) == (Outcome.EXPIRED, PROBLEM, True)
    again = await choose(db, asked, second_home)
    assert (again.outcome, again.changed) == (Outcome.EXPIRED, False)
    assert await all_complaints(db) == []


async def test_which_home_asked_after_a_late_yes_lives_its_own_lifetime_from_that_yes(
        db: SessionFactory, world: World, second_home: int, clock: FrozenClock) -> None:
    question = await say(db, NEUTRAL_PROBLEM)
    assert question.owner_text_id is not None
    clock.advance(timedelta(hours=CONFIG.owner_question_hours - 1))
    asked = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                      owner_text_id=question.owner_text_id, register=True,
                                      complaint_config=CONFIG)
    _asked(asked)
    clock.advance(timedelta(hours=2))  # past the words' lifetime, not the chooser's
    chosen = await choose(db, asked, second_home)
    assert chosen.outcome == Outcome.OPENED
    assert [c.owner_id for c in await all_complaints(db)] == [second_home]


async def test_the_daily_limit_counts_per_home(
        db: SessionFactory, world: World, second_home: int) -> None:
    for words in ("电梯坏了", "门禁坏了", "楼道灯坏了"):
        await choose(db, await complain(db, words), world.owner_id)
    over = await choose(db, await complain(db, "垃圾没人清理"), world.owner_id)
    assert over.outcome == Outcome.KEPT  # the fourth for 绿溪园 today goes to the manager
    other = await choose(db, await complain(db, "车库漏水"), second_home)
    assert other.outcome == Outcome.OPENED  # 海韵's first of the day
    assert [c.owner_id for c in await all_complaints(db)] == [world.owner_id] * 3 + [second_home]
