"""The team and agent reports equal hand-computed numbers on a small real data set
(`tests.fixtures.points_data.build`).

Week 2026-W47 in Asia/Shanghai is [2026-11-15 16:00, 2026-11-22 16:00) in naive UTC.

Agent A (20 closed orders; 4 surveys sent; 3 responses):
  ratings (overall, attitude, clarity, timeliness): (5,5,4,4), (4,4,4,4), (2,1,3,2)
  complaint c1: acknowledged in 2 h (deadline 24 h), resolved, follow-up satisfied
Agent B (10 closed orders; 2 surveys sent; 2 responses): (5,5,5,5), (3,3,3,3)
  complaint c2: acknowledged in 1 h, resolved, follow-up not answered yet
Team means (pooled ratings): overall 19/5 = 3.8 -> 70; attitude 18/5 = 3.6 -> 65;
  clarity 3.8 -> 70; timeliness 3.6 -> 65.
A raw: overall 11/3 -> 66.667, attitude 10/3 -> 58.333, clarity 66.667, timeliness 58.333
A adjusted (n=3, k=5): overall (3*66.667 + 5*70)/8 = 68.75; attitude (175 + 325)/8 = 62.5;
  clarity 68.75; timeliness 62.5 -> satisfaction .4*68.75 + .2*(62.5+68.75+62.5) = 66.25
Team complaint rate 2 complaints / 30 closed orders = 1/15.
A handling quality: shares (1+2)/(1+2) = 1 each (prior 2) -> 100; shrunken rate
  (1 + 40/15)/(20 + 40) = 0.0611 < 1/15 -> penalty 0; complaint points 100;
  load 20 vs mean 15 -> 1 + .5*(4/3-1) = 1.1667, capped 1.10;
  total (.5*66.25 + .5*100) * 1.10 = 91.4375 -> excellent, rank 1
B adjusted (n=2): overall (2*75 + 5*70)/7 = 71.4286; attitude (150 + 325)/7 = 67.857;
  satisfaction (200 + 190 + 100)/7 = 70.0
B handling quality: ack 3/3, resolved 3/3, follow-up 2/2 (none answered) -> 100;
  shrunken rate (1 + 40/15)/(10 + 40) = 0.07333, 0.667 points above the team -> penalty
  5 * 0.667 = 3.333; complaint points 96.667; coefficient 1;
  total .5*70 + .5*96.667 = 83.333 -> pass, rank 2
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from surveys.assessment.agent_reports import agent_report
from surveys.assessment.reports import team_report
from surveys.core.db import SessionFactory
from tests.fixtures.points_data import AS_OF, DAY, HAND, W47, PointsData, build


async def test_team_report_equals_the_hand_computed_numbers(db: SessionFactory) -> None:
    ids = await build(db)
    report = await team_report(db=db, period=W47, config=HAND, as_of=AS_OF)
    assert [r.external_id for r in report.rows] == ["A-1", "B-2"]
    a, b = report.rows
    assert report.team.dimension_means == pytest.approx(
        {"overall": 70.0, "attitude": 65.0, "clarity": 70.0, "timeliness": 65.0}
    )
    assert (a.surveys_sent, a.responses, a.closed_orders, a.complaints) == (4, 3, 20, 1)
    assert a.response_rate == pytest.approx(0.75)
    assert a.csat == pytest.approx(2 / 3)
    assert a.dimensions["overall"].raw == pytest.approx(200 / 3)
    assert a.dimensions["overall"].adjusted == pytest.approx(68.75)
    assert a.dimensions["attitude"].adjusted == pytest.approx(62.5)
    assert a.satisfaction == pytest.approx(66.25)
    raw_dims = 0.4 * 200 / 3 + 0.2 * (175 / 3 + 200 / 3 + 175 / 3)
    assert a.satisfaction_raw == pytest.approx(raw_dims)
    assert a.complaints_per_100 == pytest.approx(5.0)
    assert report.team.complaint_rate == pytest.approx(1 / 15)
    assert a.shrunken_complaint_rate == pytest.approx((1 + 40 / 15) / 60)
    assert (a.handling_quality, a.frequency_penalty, a.handling) == (100.0, 0.0, 100.0)
    assert a.workload_coefficient == pytest.approx(1.10)
    assert a.total == pytest.approx(91.4375)
    assert (a.grade, a.rank) == ("excellent", 1)
    assert b.satisfaction == pytest.approx(70.0)
    assert b.follow_up_satisfaction_rate is None
    assert b.handling_quality == 100.0
    assert b.frequency_penalty == pytest.approx(10 / 3)
    assert b.handling == pytest.approx(100 - 10 / 3)
    assert b.workload_coefficient == 1.0
    assert b.total == pytest.approx(35 + 0.5 * (100 - 10 / 3))
    assert (b.grade, b.rank) == ("pass", 2)
    assert report.community is None  # no filter: the whole company
    assert ids["a"] == a.agent_id


async def test_agent_report_lists_every_record_behind_each_figure(db: SessionFactory) -> None:
    ids = await build(db)
    report = await agent_report(
        db=db, agent_id=ids["a"], period=W47, config=HAND, as_of=AS_OF
    )
    bd = report.breakdown
    assert report.points.total == pytest.approx(91.4375)
    assert report.team_size == 2
    assert len(bd.closed_work_order_ids) == 20
    assert len(bd.sent_survey_ids) == 4
    assert len(bd.sources["response_rate"].responses) == 3
    assert ids["r3"] in bd.sources["overall"].responses
    assert bd.sources["complaints"].complaints == (ids["c1"],)
    assert bd.sources["ack_on_time_rate"].complaints == (ids["c1"],)
    (c1,) = bd.complaints
    assert (c1.ack_on_time, c1.resolved, c1.satisfied, c1.work_order_id) == (
        True, True, True, ids["wo3"]
    )
    assert bd.work_orders[ids["wo3"]].startswith("WO-")
    assert report.previous is None and report.change is None


async def test_a_survey_sent_just_after_local_midnight_counts_in_that_local_week(
    db: SessionFactory,
) -> None:
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid)
    owner = await d.owner(cid)
    monday_0100_local = datetime(2026, 11, 15, 17, 0)  # Sunday in UTC
    sunday_2359_local = datetime(2026, 11, 15, 15, 59)
    for sent in (monday_0100_local, sunday_2359_local):
        await d.order(agent_id=a, owner_id=owner, community_id=cid, closed_at=sent,
                      sent_at=sent, ratings=(5, 5, 5, 5))
    this_week = await team_report(db=db, period=W47, config=HAND, as_of=AS_OF)
    last_week = await team_report(
        db=db, period=W47.previous(), config=HAND, as_of=AS_OF
    )
    assert this_week.rows[0].surveys_sent == 1
    assert last_week.rows[0].surveys_sent == 1


async def test_previous_period_gives_the_trend(db: SessionFactory) -> None:
    ids = await build(db)
    d = PointsData(db)
    earlier = DAY - timedelta(days=7)
    for _ in range(2):
        await d.order(agent_id=ids["a"], owner_id=ids["owner"], community_id=ids["community"],
                      closed_at=earlier, sent_at=earlier, ratings=(5, 5, 5, 5))
    report = await agent_report(
        db=db, agent_id=ids["a"], period=W47, config=HAND, as_of=AS_OF
    )
    # W46: A alone, two 5-star responses, no complaint -> satisfaction 100, handling 100.
    assert report.previous is not None and report.previous.total == pytest.approx(100.0)
    assert report.change == pytest.approx(91.4375 - 100.0)
    team = await team_report(db=db, period=W47, config=HAND, as_of=AS_OF)
    assert team.previous_totals[ids["a"]] == pytest.approx(100.0)
    assert team.previous_totals[ids["b"]] is None


async def test_a_community_filter_leaves_other_communities_out(db: SessionFactory) -> None:
    ids = await build(db)
    d = PointsData(db)
    other = await d.community("C2", "Lake")
    c = await d.agent("C-3", "张伟", other)
    owner = await d.owner(other)
    await d.order(agent_id=c, owner_id=owner, community_id=other, closed_at=DAY, sent_at=DAY,
                  ratings=(1, 1, 1, 1))
    only_c1 = await team_report(
        db=db, period=W47, config=HAND, community_id=ids["community"], as_of=AS_OF
    )
    everyone = await team_report(db=db, period=W47, config=HAND, as_of=AS_OF)
    assert {r.external_id for r in only_c1.rows} == {"A-1", "B-2"}
    assert only_c1.rows[0].total == pytest.approx(91.4375)
    assert only_c1.community is not None and only_c1.community.code == "C1"
    assert {r.external_id for r in everyone.rows} == {"A-1", "B-2", "C-3"}
