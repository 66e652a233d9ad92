"""A period's orders, repeats, ratings and complaints by category, building and agent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from scoring.categories import CategoryConfig
from scoring.periods import parse_period
from scoring.points.config import PointsConfig, RepeatPenalty
from surveys.assessment.breakdowns import load_breakdowns
from surveys.assessment.reports import team_report
from surveys.core.db import SessionFactory
from surveys.models import Complaint, Response, Survey, WorkOrder
from surveys.people.directory import add_agent
from tests.fixtures.service_world import close, setup_people

T0 = datetime(2026, 11, 2, 9, 0)
START, END = datetime(2026, 11, 1), datetime(2026, 12, 1)


def _owner(phone: str, building: str, room: str) -> dict[str, object]:
    return {"owner": {"name": "业主", "phone": phone, "building": building, "room": room}}


async def _world(db: SessionFactory) -> None:
    await setup_people(db)
    await add_agent(db=db, external_id="A-8", name="张客服", community_code="GG")
    await close(db, "WO-1", "13800000001", closed_at=T0, **_owner("13800000001", "3", "101"))
    await close(db, "WO-2", "13800000001", closed_at=T0 + timedelta(days=2),
                agent_external_id="A-8", **_owner("13800000001", "3", "101"))  # repeats WO-1
    await close(db, "WO-3", "13800000002", closed_at=T0, title="电梯异响",
                **_owner("13800000002", "10", "501"))
    await close(db, "WO-4", "13800000003", closed_at=T0, title="电梯坏了",
                **_owner("13800000003", "2", "201"))
    await close(db, "WO-OLD", "13800000004", closed_at=T0 - timedelta(days=40),
                **_owner("13800000004", "3", "102"))  # another period
    async with db() as s, s.begin():
        orders = {w.external_id: w for w in (await s.exec(select(WorkOrder))).all()}
        surveys = {sv.work_order_id: sv for sv in (await s.exec(select(Survey))).all()}
        for external_id, overall in (("WO-1", 2), ("WO-2", 4), ("WO-3", 5)):
            survey = surveys[orders[external_id].id]
            survey.sent_at = T0
            s.add(survey)
            s.add(Response(survey_id=survey.id, overall=overall, submitted_at=T0))
        for external_id, voided in (("WO-2", False), ("WO-3", False), ("WO-3", True)):
            order = orders[external_id]
            s.add(Complaint(source="low_rating", work_order_id=order.id,
                            owner_id=order.owner_id, agent_id=order.agent_id, opened_at=T0,
                            ack_deadline=T0, voided=voided))


async def test_orders_repeats_ratings_and_complaints_group_by_category_and_building(
        db: SessionFactory) -> None:
    await _world(db)
    found = await load_breakdowns(db=db, start=START, end=END,
                                  category_order=CategoryConfig().codes())
    by_category = {r.key: r for r in found.by_category}
    assert [r.key for r in found.by_category] == ["water_power", "elevator"]  # list order
    water, lift = by_category["water_power"], by_category["elevator"]
    assert (water.orders, water.repeats, water.complaints, water.responses) == (2, 1, 1, 2)
    assert water.mean_overall == 3 and water.repeat_rate == 0.5
    assert (lift.orders, lift.repeats, lift.complaints, lift.mean_overall) == (2, 0, 1, 5)
    assert [(r.key, r.orders, r.complaints) for r in found.by_building] == [
        ("2", 1, 0), ("3", 2, 1), ("10", 1, 1)]  # 2 before 10
    assert found.matrix() == (["3", "10"], ["water_power", "elevator"], [[1, 0], [0, 1]])


async def test_a_repeat_counts_against_the_agent_whose_earlier_fix_did_not_last(
        db: SessionFactory) -> None:
    await _world(db)
    found = await load_breakdowns(db=db, start=START, end=END)
    agents = {r.key: (r.orders, r.repeats) for r in found.by_agent}
    assert agents == {"李客服": (3, 1), "张客服": (1, 0)}


async def test_a_community_sees_only_its_own_orders(db: SessionFactory) -> None:
    await _world(db)
    found = await load_breakdowns(db=db, start=START, end=END, community_id=999)
    assert (found.by_category, found.by_building, found.by_agent, found.complaints) == (
        [], [], [], {})


async def test_the_points_count_an_agents_repeats_only_when_configured(
        db: SessionFactory) -> None:
    await _world(db)
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    off = await team_report(db=db, period=period, config=PointsConfig(), as_of=END)
    on = await team_report(db=db, period=period, as_of=END,
                           config=PointsConfig(repeat_penalty=RepeatPenalty(per_point=1)))
    assert {r.name: r.repeats for r in off.rows} == {"李客服": 0, "张客服": 0}
    assert {r.name: r.repeats for r in on.rows} == {"李客服": 1, "张客服": 0}
    assert on.team.repeat_rate == 0.25


async def test_buildings_named_with_circled_or_superscript_digits_sort_among_the_others(
        db: SessionFactory) -> None:
    await setup_people(db)
    # ② and ² pass str.isdigit() but int() refuses them: the report must not fail on them.
    for n, building in enumerate(("10号楼", "②号楼", "3号楼", "B²座"), start=1):
        phone = f"1380000001{n}"
        await close(db, f"WO-{n}", phone, closed_at=T0, **_owner(phone, building, "101"))
        async with db() as s, s.begin():
            order = (await s.exec(select(WorkOrder).where(
                WorkOrder.external_id == f"WO-{n}"))).one()
            s.add(Complaint(source="direct", work_order_id=order.id, owner_id=order.owner_id,
                            agent_id=order.agent_id, opened_at=T0, ack_deadline=T0))
    found = await load_breakdowns(db=db, start=START, end=END,
                                  category_order=CategoryConfig().codes())
    assert [r.key for r in found.by_building] == ["B²座", "②号楼", "3号楼", "10号楼"]
    assert found.matrix()[0] == ["B²座", "②号楼", "3号楼", "10号楼"]
