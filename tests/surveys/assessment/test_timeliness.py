"""Response and resolution times of a period, read from the database, in the team report and
the workbook."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.i18n import translator
from bot.render.reports import render_team_report
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.assessment import order_pass as pass_service
from surveys.assessment.exports import load_export
from surveys.assessment.order_pass import order_timeliness
from surveys.assessment.views import team_view
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import WorkOrder
from tests.fixtures.points_data import PointsData

WEEK = parse_period("2026-W47")
T0 = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai


@pytest.fixture
async def ids(db: SessionFactory, clock: FrozenClock) -> dict[str, int]:
    clock.current = datetime(2026, 11, 23, 2, 0)
    data = PointsData(db)
    here, there = await data.community("C1", "阳光花园"), await data.community("C2", "海韵")
    a = await data.agent("A1", "王晓梅", here)
    b = await data.agent("B1", "李建国", here)
    c = await data.agent("C1", "外区", there)
    plan = [  # agent, community, category, urgent, respond h, resolve h
        (a, here, "elevator", True, 1.0, 20.0), (a, here, "elevator", True, 3.0, 30.0),
        (a, here, "elevator", False, None, 50.0), (b, here, None, False, 0.5, 2.0),
        (c, there, "elevator", True, 9.0, 90.0),
    ]
    for agent, community, category, urgent, respond, resolve in plan:
        owner = await data.owner(community)
        closed = T0 + timedelta(hours=resolve)
        made = await data.order(agent_id=agent, owner_id=owner, community_id=community,
                                closed_at=closed, sent_at=closed, ratings=(4, 4, 4, 3))
        async with db() as s, s.begin():
            order = await s.get(WorkOrder, made.work_order_id)
            assert order is not None
            order.category, order.opened_at = category, T0
            order.urgency = "urgent" if urgent else "normal"
            order.first_action_at = T0 + timedelta(hours=respond) if respond else None
    untimed = await data.order(agent_id=a, owner_id=await data.owner(here), community_id=here,
                               closed_at=T0 + timedelta(hours=5))
    async with db() as s, s.begin():
        order = await s.get(WorkOrder, untimed.work_order_id)
        assert order is not None
        order.opened_at = None  # the intake sent no opening time: no times to measure
    return {"here": here, "a": a, "b": b}


async def test_times_are_measured_per_agent_and_category_within_the_community(
    db: SessionFactory, ids: dict[str, int]
) -> None:
    report = await order_timeliness(db=db, period=WEEK, community_id=ids["here"])
    team = report.team
    assert (team.orders, team.responded, team.urgent) == (4, 3, 2)
    assert (team.response_p50, team.response_p90) == (1.0, pytest.approx(2.6))
    assert (team.resolution_p50, team.resolution_p90) == (25.0, pytest.approx(44.0))
    assert team.urgent_response_within == 0.5 and team.urgent_resolution_within == 0.5
    assert {k: v.orders for k, v in report.by_agent.items()} == {ids["a"]: 3, ids["b"]: 1}
    assert {k: v.orders for k, v in report.by_group.items()} == {"elevator": 3, "": 1}
    everyone = await order_timeliness(db=db, period=WEEK)
    assert everyone.team.orders == 5 and everyone.team.urgent == 3


async def test_the_team_report_and_workbook_show_times_beside_the_timeliness_stars(
    db: SessionFactory, ids: dict[str, int]
) -> None:
    report = await team_view(db=db, period=WEEK, current=PointsConfig(),
                             community_id=ids["here"])
    text = render_team_report(report, translator("zh_CN"))
    assert "客观时效" in text
    assert "紧急工单 2 件；2 小时内响应：50%；24 小时内解决：50%。" in text
    assert "王晓梅：响应 2.0 / 2.8 小时（3 件工单中 2 件有首次响应时间），解决 30.0 / 46.0 小时" \
        "；业主及时性评分 3.00⭐。" in text
    english = render_team_report(report, translator("en"))
    assert "No category: response 0.5 / 0.5 h (1 of 1 order with a first action)" in english
    assert "Team: agents 2, surveys sent " in english  # labels, so one complaint reads right
    export = await load_export(db=db, period=WEEK, config=PointsConfig(),
                               community_id=ids["here"])
    book = load_workbook(io.BytesIO(build_workbook(export, translator("zh_CN")._)))
    sheet = book["及时性"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["团队"][1:3] == (4, 3) and rows["团队"][5] == 25.0
    assert rows["王晓梅"][10] == 3.0 and rows["电梯"][1] == 3


async def test_reading_in_small_pages_gives_the_same_figures(
    db: SessionFactory, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = await order_timeliness(db=db, period=WEEK)
    monkeypatch.setattr(pass_service, "PAGE_ROWS", 2)
    assert await order_timeliness(db=db, period=WEEK) == whole


async def test_orders_closed_outside_the_period_are_left_out_even_between_its_ids(
    db: SessionFactory, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A late import: an order closed the week before arrives between two of this week's.
    data = PointsData(db)
    here = ids["here"]
    before = await data.order(agent_id=ids["a"], owner_id=await data.owner(here),
                              community_id=here, closed_at=T0 - timedelta(days=3))
    during = await data.order(agent_id=ids["b"], owner_id=await data.owner(here),
                              community_id=here, closed_at=T0 + timedelta(hours=4))
    async with db() as s, s.begin():
        for made, opened in ((before, T0 - timedelta(days=4)), (during, T0)):
            order = await s.get(WorkOrder, made.work_order_id)
            assert order is not None
            order.opened_at = opened
    monkeypatch.setattr(pass_service, "PAGE_ROWS", 2)
    report = await order_timeliness(db=db, period=WEEK, community_id=here)
    assert report.team.orders == 5  # the four of the fixture and `during`
    assert report.by_agent[ids["b"]].resolution_p50 == pytest.approx(3.0)  # 2 h and 4 h
