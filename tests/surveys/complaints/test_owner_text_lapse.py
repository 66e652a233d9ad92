"""A "register as a complaint?" question lapses after `complaints.owner_question_hours`: a late
tap registers nothing (once), hands the owner their words back, and a lapsed question takes
no new words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from surveys.complaints.owner_text import (
    Outcome,
    OwnerTextResult,
    answer_confirmation,
    take_owner_text,
)
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import AuditLog, Complaint, OwnerText, OwnerTextStatus
from tests.fixtures.complaint_world import OWNER_TG, World, add_order, outbox
from tests.fixtures.owner_texts import NEUTRAL_PROBLEM

CONFIG = ComplaintConfig()


async def _ask(db: SessionFactory, words: str = NEUTRAL_PROBLEM,
               config: ComplaintConfig = CONFIG) -> OwnerTextResult:
    result = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=words,
                                   complaint_config=config)
    assert result.outcome == Outcome.CONFIRM
    return result


async def _tap(db: SessionFactory, question: OwnerTextResult, register: bool,
               config: ComplaintConfig = CONFIG) -> OwnerTextResult:
    assert question.owner_text_id is not None
    return await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                     owner_text_id=question.owner_text_id, register=register,
                                     complaint_config=config)


async def _rows(db: SessionFactory) -> tuple[list[Complaint], list[OwnerText], list[AuditLog]]:
    async with db() as s:
        return (list((await s.exec(select(Complaint))).all()),
                list((await s.exec(select(OwnerText).order_by(col(OwnerText.id)))).all()),
                list((await s.exec(select(AuditLog).where(
                    AuditLog.action == "owner_text_expired"))).all()))


def test_a_question_lives_a_day_by_default() -> None:
    assert CONFIG.owner_question_hours == 24


@pytest.mark.parametrize("register", [True, False])
async def test_a_tap_after_the_question_lapsed_registers_nothing_and_gives_the_words_back(
        db: SessionFactory, world: World, clock: FrozenClock, register: bool) -> None:
    await add_order(db, world)
    question = await _ask(db)
    clock.advance(timedelta(hours=24))
    late = await _tap(db, question, register)
    assert (late.outcome, late.words, late.changed) == (Outcome.EXPIRED, NEUTRAL_PROBLEM, True)
    complaints, [text], [audit] = await _rows(db)
    assert complaints == [] and await outbox(db) == []
    assert (text.status, text.text, text.decided_at) == (
        OwnerTextStatus.EXPIRED, NEUTRAL_PROBLEM, clock.current)
    assert audit.subject_id == text.id


async def test_every_later_tap_on_a_lapsed_question_repeats_the_lapse_and_changes_nothing(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    question = await _ask(db)
    clock.advance(timedelta(hours=30))
    await _tap(db, question, True)
    again = [await _tap(db, question, register) for register in (True, False, True)]
    assert [(r.outcome, r.changed, r.words) for r in again] == [
        (Outcome.EXPIRED, False, NEUTRAL_PROBLEM)] * 3
    complaints, _, audits = await _rows(db)
    assert complaints == [] and len(audits) == 1


async def test_a_tap_within_the_lifetime_still_registers(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    question = await _ask(db)
    clock.advance(timedelta(hours=23, minutes=59))
    assert (await _tap(db, question, True)).outcome == Outcome.OPENED
    assert len((await _rows(db))[0]) == 1


async def test_a_question_lapses_after_the_configured_owner_question_hours(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    short = ComplaintConfig(owner_question_hours=2)
    question = await _ask(db, config=short)
    clock.advance(timedelta(hours=2))
    assert (await _tap(db, question, True, short)).outcome == Outcome.EXPIRED
    assert (await _rows(db))[0] == []


async def test_a_lapsed_question_takes_no_new_words_and_the_new_text_is_asked_about(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    short = ComplaintConfig(owner_question_hours=0.5)  # shorter than the hour texts join in
    first = await _ask(db, config=short)
    clock.advance(timedelta(minutes=31))
    second = await _ask(db, "三号门那边也有积水", config=short)
    assert second.changed and second.owner_text_id != first.owner_text_id
    _, texts, _ = await _rows(db)
    assert [t.text for t in texts] == [NEUTRAL_PROBLEM, "三号门那边也有积水"]
    assert (await _tap(db, second, True, short)).outcome == Outcome.OPENED
    assert (await _tap(db, first, True, short)).outcome == Outcome.EXPIRED
    complaints, _, _ = await _rows(db)
    assert [c.text for c in complaints] == ["三号门那边也有积水"]


async def test_at_the_very_end_of_its_lifetime_a_question_neither_joins_nor_registers(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    short = ComplaintConfig(owner_question_hours=0.5)
    first = await _ask(db, config=short)
    clock.advance(timedelta(minutes=30))
    second = await _ask(db, "三号门那边也有积水", config=short)
    assert second.changed and second.owner_text_id != first.owner_text_id
    assert (await _tap(db, first, True, short)).outcome == Outcome.EXPIRED
