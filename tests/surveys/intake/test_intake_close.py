"""Closing work orders: one survey per order, the credit snapshot, skipped owners."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput, NotFound
from surveys.intake.close import reassign_work_order
from surveys.intake.refusals import ConflictingOrder
from surveys.models import Agent, OutboxMessage, Survey, SurveyStatus, WorkOrder
from surveys.people.binding import opt_out
from surveys.people.directory import add_agent, add_owner
from tests.fixtures.service_world import bind, close, setup_people


@pytest.fixture(autouse=True)
async def people(db: SessionFactory) -> None:
    await setup_people(db)


async def _all(db: SessionFactory, table: type) -> list:
    async with db() as s:
        return list((await s.exec(select(table))).all())


async def test_closing_the_same_order_twice_yields_one_survey(db: SessionFactory) -> None:
    await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    await bind(db, 501)
    first = await close(db)
    second = await close(db)
    assert first.created and not second.created
    assert (first.survey_id, first.work_order_id) == (second.survey_id, second.work_order_id)
    assert len(await _all(db, Survey)) == 1
    rows = await _all(db, OutboxMessage)
    assert [(r.kind, r.dedupe_key) for r in rows] == [("survey", f"survey:{first.survey_id}")]
    assert rows[0].payload["agent_name"] == "李客服"
    assert first.survey_status == SurveyStatus.PENDING


async def test_reclosing_an_external_id_for_another_owner_is_refused(db: SessionFactory) -> None:
    await close(db)
    with pytest.raises(ConflictingOrder):
        await close(db, phone="13900001111")


async def test_credited_agent_is_unchanged_after_reassignment(db: SessionFactory) -> None:
    result = await close(db)
    await add_agent(db=db, external_id="A-8", name="张客服", community_code="GG")
    await reassign_work_order(db=db, external_id="WO-1", agent_external_id="A-8")
    async with db() as s:
        survey = await s.get(Survey, result.survey_id)
        order = await s.get(WorkOrder, result.work_order_id)
        first = (await s.exec(select(Agent).where(Agent.external_id == "A-7"))).one()
        second = (await s.exec(select(Agent).where(Agent.external_id == "A-8"))).one()
    assert survey is not None and order is not None
    assert order.agent_id == second.id
    assert survey.agent_id == first.id


async def test_reassigning_unknown_order_or_agent_is_refused(db: SessionFactory) -> None:
    with pytest.raises(NotFound):
        await reassign_work_order(db=db, external_id="nope", agent_external_id="A-7")
    await close(db)
    with pytest.raises(InvalidInput):
        await reassign_work_order(db=db, external_id="WO-1", agent_external_id="nope")


async def test_unbound_owner_is_skipped_and_nothing_is_queued(db: SessionFactory) -> None:
    result = await close(db)
    assert result.survey_status == SurveyStatus.SKIPPED_UNBOUND
    assert await _all(db, OutboxMessage) == []


async def test_opted_out_owner_is_skipped_and_nothing_is_queued(db: SessionFactory) -> None:
    await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    await bind(db, 501)
    await opt_out(db=db, telegram_user_id=501)
    result = await close(db)
    assert result.survey_status == SurveyStatus.SKIPPED_OPTED_OUT
    assert await _all(db, OutboxMessage) == []


async def test_owner_is_found_by_normalised_phone_within_the_community(
    db: SessionFactory,
) -> None:
    owner = await add_owner(db=db, community_code="GG", name="王先生", phone="138-1234-5678")
    result = await close(db, phone="+86 138 1234 5678")
    async with db() as s:
        survey = await s.get(Survey, result.survey_id)
    assert survey is not None and survey.owner_id == owner.id


async def test_unknown_community_or_agent_is_refused(db: SessionFactory) -> None:
    with pytest.raises(InvalidInput, match="community"):
        await close(db, community_code="XX")
    with pytest.raises(InvalidInput, match="agent"):
        await close(db, agent_external_id="A-404")
    created = await close(db, "WO-2", agent_external_id="A-404", agent_name="新客服")
    assert created.created
