"""Appeals and reassignment change exactly the points they should (data of test_assessment)."""

from __future__ import annotations

import pytest

from scoring.points import AgentPoints
from surveys.appeals.service import decide_appeal, file_appeal
from surveys.assessment.agent_reports import agent_report
from surveys.assessment.reports import team_report
from surveys.core.db import SessionFactory
from surveys.intake.close import reassign_work_order
from tests.fixtures.points_data import AS_OF, HAND, W47, PointsData, build

AGENT_TG = 501  # agent A's Telegram id in build()
MANAGER_TG = 900


async def _appeal(db: SessionFactory, decision: str, **target: int) -> None:
    await PointsData(db).manager("赵经理", MANAGER_TG)
    view = await file_appeal(db=db, agent_telegram_user_id=AGENT_TG, reason="不是我的责任",
                             **target)
    await decide_appeal(db=db, appeal_id=view.id, manager_telegram_user_id=MANAGER_TG,
                        decision=decision, reason="核实后决定")  # type: ignore[arg-type]


async def _rows(db: SessionFactory) -> dict[str, AgentPoints]:
    report = await team_report(db=db, period=W47, config=HAND, as_of=AS_OF)
    return {r.external_id: r for r in report.rows}


async def test_an_upheld_complaint_appeal_changes_no_points(db: SessionFactory) -> None:
    ids = await build(db)
    before = await _rows(db)
    await _appeal(db, "uphold", complaint_id=ids["c1"])
    assert await _rows(db) == before


async def test_a_voided_complaint_counts_nowhere_and_lowers_the_team_rate(
    db: SessionFactory,
) -> None:
    ids = await build(db)
    before = await _rows(db)
    await _appeal(db, "void", complaint_id=ids["c1"])
    after = await _rows(db)
    a, b = after["A-1"], after["B-2"]
    assert a.complaints == 0 and a.voided_complaints == 1
    assert (a.handling_quality, a.handling) == (100.0, 100.0)
    # (.5 * 66.25 + .5 * 100) * 1.10 = 91.4375; satisfaction is untouched.
    assert a.total == pytest.approx(91.4375)
    assert a.satisfaction == before["A-1"].satisfaction
    # B is now compared with 1 complaint in 30 orders: (1 + 40/30)/50 = 4.667 % vs 3.333 %
    assert b.team_complaint_rate == pytest.approx(1 / 30)
    assert b.frequency_penalty == pytest.approx(5 * (7 / 150 - 1 / 30) * 100)
    assert b.satisfaction == before["B-2"].satisfaction
    report = await agent_report(db=db, agent_id=ids["a"], period=W47, config=HAND,
                                as_of=AS_OF)
    excluded = report.breakdown.sources["excluded"]
    assert excluded.complaints == (ids["c1"],)
    assert len(excluded.appeals) == 1
    assert report.breakdown.sources["complaints"].complaints == ()


async def test_a_voided_rating_leaves_every_score_including_the_team_mean(
    db: SessionFactory,
) -> None:
    ids = await build(db)
    await _appeal(db, "void", response_id=ids["r3"])
    after = await _rows(db)
    a, b = after["A-1"], after["B-2"]
    assert (a.responses, a.voided_responses) == (2, 1)
    assert a.response_rate == pytest.approx(0.5)
    # Team overall mean without the voided (2,...) rating: (5+4+5+3)/4 = 4.25 -> 81.25;
    # A raw overall 4.5 -> 87.5, adjusted (2*87.5 + 5*81.25)/7 = 83.0357.
    assert a.dimensions["overall"].raw == pytest.approx(87.5)
    assert a.dimensions["overall"].adjusted == pytest.approx(581.25 / 7)
    assert a.csat == 1.0
    # B's own ratings are unchanged, but its adjusted scores move with the team mean.
    assert b.dimensions["overall"].raw == 75.0
    assert b.dimensions["overall"].adjusted == pytest.approx((150 + 5 * 81.25) / 7)
    # The complaint the rating opened stands until appealed on its own.
    assert a.complaints == 1


async def test_the_credited_agent_keeps_the_points_after_reassignment(
    db: SessionFactory,
) -> None:
    ids = await build(db)
    before = await _rows(db)
    report = await agent_report(db=db, agent_id=ids["a"], period=W47, config=HAND,
                                as_of=AS_OF)
    wo = report.breakdown.work_orders[ids["wo3"]]
    await reassign_work_order(db=db, external_id=wo, agent_external_id="B-2")
    assert await _rows(db) == before
