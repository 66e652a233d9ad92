"""Courtesy at intake: quiet hours defer, the fatigue cap folds or skips, nothing is lost."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from surveys.core.clock import FrozenClock
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import BadQuietHours, CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput
from surveys.intake.close import CloseResult, close_work_order
from surveys.intake.csv_import import import_orders_csv
from surveys.intake.fatigue import skipped_for_fatigue
from surveys.models import Community, OutboxMessage, OutboxStatus, Survey, SurveyStatus
from surveys.outbox.kinds import SurveyPayload
from surveys.outbox.quiet import quiet_until
from surveys.outbox.store import claim
from surveys.people.courtesy import set_courtesy
from surveys.people.directory import add_agent, add_owner
from tests.fixtures.service_world import AGENT, COMMUNITY, bind, order, setup_people

PHONE = "13812345678"
QUIET_ONLY = CourtesyConfig(fatigue_days=0)  # 21:00-08:00, no cap
CAP_ONLY = CourtesyConfig(quiet_hours="off")  # fold, 3 days
EVENING = datetime(2026, 11, 16, 14, 30)  # 22:30 in Shanghai
NEXT_MORNING = datetime(2026, 11, 17, 0, 0)  # 08:00 in Shanghai


@pytest.fixture(autouse=True)
async def people(db: SessionFactory) -> None:
    await setup_people(db)
    await add_owner(db=db, community_code=COMMUNITY, name="王先生", phone=PHONE)
    await bind(db, 501)


async def _close(db: SessionFactory, external_id: str, courtesy: CourtesyConfig,
                 **extra: object) -> CloseResult:
    return await close_work_order(db=db, order=order(external_id, PHONE, **extra),
                                  survey_config=SurveyConfig(), courtesy=courtesy)


async def _outbox(db: SessionFactory) -> list[OutboxMessage]:
    async with db() as s:
        return list((await s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all())


async def _survey(db: SessionFactory, survey_id: int) -> Survey:
    async with db() as s:
        found = await s.get(Survey, survey_id)
    assert found is not None
    return found


async def _mark_sent(db: SessionFactory, survey_id: int, at: datetime) -> None:
    """Stand in for the sender: the survey and its outbox row went out at `at`."""
    async with db() as s, s.begin():
        await s.exec(update(Survey).where(col(Survey.id) == survey_id)
                     .values(status=SurveyStatus.SENT, sent_at=at))
        await s.exec(update(OutboxMessage).where(col(OutboxMessage.survey_id) == survey_id)
                     .values(status=OutboxStatus.SENT, sent_at=at))


async def test_an_order_closed_in_quiet_hours_is_queued_for_their_end(
        db: SessionFactory, clock: FrozenClock) -> None:
    clock.current = EVENING
    result = await _close(db, "WO-1", QUIET_ONLY)
    [row] = await _outbox(db)
    assert result.survey_status == SurveyStatus.PENDING
    assert row.next_attempt_at == NEXT_MORNING
    payload = SurveyPayload.of(row.payload)
    assert (payload.quiet_hours, payload.timezone) == ("21:00-08:00", "Asia/Shanghai")
    assert not await claim(db=db, worker="w", limit=10, lease=timedelta(seconds=60))
    clock.current = NEXT_MORNING
    [claimed] = await claim(db=db, worker="w", limit=10, lease=timedelta(seconds=60))
    assert claimed.id == row.id and quiet_until(claimed) is None


async def test_an_order_closed_in_the_day_is_queued_at_once(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _close(db, "WO-1", QUIET_ONLY)  # 18:00 in Shanghai
    [row] = await _outbox(db)
    assert row.next_attempt_at == clock.current


async def test_a_row_reaching_the_sender_inside_the_window_is_held_until_its_end(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _close(db, "WO-1", QUIET_ONLY)
    [row] = await _outbox(db)
    clock.current = EVENING  # a backlog or an outage kept it until the evening
    assert quiet_until(row) == NEXT_MORNING


async def test_a_community_sets_its_own_window_and_time_zone(
        db: SessionFactory, clock: FrozenClock) -> None:
    await set_courtesy(db=db, code=COMMUNITY, timezone="Europe/Berlin", quiet_hours="off")
    clock.current = EVENING
    await _close(db, "WO-1", QUIET_ONLY)
    [row] = await _outbox(db)
    assert row.next_attempt_at == EVENING and "quiet_hours" not in row.payload
    await set_courtesy(db=db, code=COMMUNITY, quiet_hours="15:00-16:00")  # Berlin time
    await _close(db, "WO-2", QUIET_ONLY)  # 15:30 in Berlin (UTC+1 in November)
    assert (await _outbox(db))[1].next_attempt_at == datetime(2026, 11, 16, 15, 0)
    await set_courtesy(db=db, code=COMMUNITY, company_default=True)
    await _close(db, "WO-3", QUIET_ONLY)  # 21:00-08:00 Berlin time: 15:30 is outside
    assert (await _outbox(db))[2].next_attempt_at == EVENING


async def test_a_window_that_makes_no_sense_is_refused_and_nothing_changes(
        db: SessionFactory) -> None:
    await set_courtesy(db=db, code=COMMUNITY, quiet_hours="22:00-07:00")
    for bad in ({"quiet_hours": "07:00-07:00"}, {"timezone": "Moon/Base"},
                {"timezone": "Asia/Tokyo", "quiet_hours": "7-8"}):
        with pytest.raises(BadQuietHours):
            await set_courtesy(db=db, code=COMMUNITY, **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        await set_courtesy(db=db, code="nowhere", quiet_hours="off")
    async with db() as s:
        community = (await s.exec(select(Community).where(Community.code == COMMUNITY))).one()
    assert (community.timezone, community.quiet_hours) == ("Asia/Shanghai", "22:00-07:00")


async def test_later_orders_fold_into_the_owners_queued_survey(
        db: SessionFactory, clock: FrozenClock) -> None:
    clock.current = EVENING
    first = await _close(db, "WO-1", CourtesyConfig())
    await add_agent(db=db, external_id="A-8", name="张客服", community_code=COMMUNITY)
    second = await _close(db, "WO-2", CourtesyConfig(), agent_external_id="A-8",
                          title="电梯异响")
    third = await _close(db, "WO-3", CourtesyConfig(), title="门禁卡失灵")
    assert (second.survey_status, third.survey_status) == ("folded", "folded")
    [row] = await _outbox(db)
    payload = SurveyPayload.of(row.payload)
    assert [(f.external_id, f.title, f.agent_name) for f in payload.folded] == [
        ("WO-2", "电梯异响", "张客服"), ("WO-3", "门禁卡失灵", "李客服")]
    assert (await _survey(db, second.survey_id)).folded_into_id == first.survey_id
    again = await _close(db, "WO-2", CourtesyConfig(), agent_external_id="A-8")
    assert not again.created and again.survey_status == "folded"
    assert len(SurveyPayload.of((await _outbox(db))[0].payload).folded) == 2


async def test_an_order_after_a_sent_survey_waits_for_the_window_end_and_later_ones_fold(
        db: SessionFactory, clock: FrozenClock) -> None:
    first = await _close(db, "WO-1", CAP_ONLY)
    await _mark_sent(db, first.survey_id, clock.current)
    clock.advance(timedelta(days=1))
    second = await _close(db, "WO-2", CAP_ONLY)
    third = await _close(db, "WO-3", CAP_ONLY)
    assert (second.survey_status, third.survey_status) == ("pending", "folded")
    rows = await _outbox(db)
    assert rows[1].survey_id == second.survey_id
    assert rows[1].next_attempt_at == datetime(2026, 11, 19, 10, 0)  # 3 days after the first
    clock.advance(timedelta(days=3))
    fourth = await _close(db, "WO-4", CAP_ONLY)
    assert fourth.survey_status == "folded"  # the deferred survey is still queued


async def test_the_window_end_is_moved_past_the_quiet_hours_too(
        db: SessionFactory, clock: FrozenClock) -> None:
    clock.current = datetime(2026, 11, 16, 13, 30)  # 21:30 in Shanghai
    first = await _close(db, "WO-1", CourtesyConfig())
    await _mark_sent(db, first.survey_id, clock.current)
    second = await _close(db, "WO-2", CourtesyConfig())
    rows = await _outbox(db)
    assert second.survey_status == "pending"
    # Three days later is 21:30 again, inside the window: it goes at 08:00 the next day.
    assert rows[1].next_attempt_at == datetime(2026, 11, 20, 0, 0)


async def test_with_cap_skip_later_orders_are_skipped_and_counted(
        db: SessionFactory, clock: FrozenClock) -> None:
    skip = CourtesyConfig(quiet_hours="off", fatigue="skip")
    await _close(db, "WO-1", skip)
    second = await _close(db, "WO-2", skip)
    assert second.survey_status == "skipped_fatigue"
    assert len(await _outbox(db)) == 1
    assert await skipped_for_fatigue(db=db) == 1
    clock.advance(timedelta(days=3, minutes=1))
    async with db() as s, s.begin():  # the first one went out three days ago
        await s.exec(update(Survey).values(sent_at=clock.current - timedelta(days=3, minutes=1),
                                           status=SurveyStatus.SENT)
                     .where(col(Survey.status) == SurveyStatus.PENDING))
    third = await _close(db, "WO-3", skip)
    assert third.survey_status == "pending"


async def test_parallel_closes_for_one_owner_queue_exactly_one_survey(
        db: SessionFactory, clock: FrozenClock) -> None:
    results = await asyncio.gather(*(
        _close(db, f"WO-{n}", CAP_ONLY) for n in range(1, 7)))
    statuses = sorted(r.survey_status for r in results)
    assert statuses == ["folded"] * 5 + ["pending"]
    [row] = await _outbox(db)
    assert len(SurveyPayload.of(row.payload).folded) == 5


async def test_without_courtesy_rules_every_survey_is_queued_at_once(
        db: SessionFactory, clock: FrozenClock) -> None:
    clock.current = EVENING
    for n in (1, 2):
        await close_work_order(db=db, order=order(f"WO-{n}", PHONE),
                               survey_config=SurveyConfig())
    assert [r.next_attempt_at for r in await _outbox(db)] == [EVENING, EVENING]
    assert AGENT == "A-7"


async def test_a_csv_batch_folds_an_owners_orders_into_one_survey(
        db: SessionFactory, clock: FrozenClock, tmp_path: Path) -> None:
    lines = ["external_id,community_code,owner_name,owner_phone,agent_external_id,title"]
    lines += [f"WO-{n},{COMMUNITY},王先生,{PHONE},{AGENT},水管{n}" for n in (1, 2, 3)]
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    await import_orders_csv(db=db, path=path, survey_config=SurveyConfig(),
                            courtesy=CAP_ONLY)
    [row] = await _outbox(db)
    assert [f.external_id for f in SurveyPayload.of(row.payload).folded] == ["WO-2", "WO-3"]
