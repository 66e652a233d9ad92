"""A work order the property system reports after its month was closed (a late CSV import,
an API retry) still credits its agent: the closed month stays as it was, and the change its
order makes there is an adjustment line in the next open period that names the order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.i18n import translator
from bot.render.cycle_lines import adjustment_line
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.agent_reports import agent_report
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.reports import team_report
from surveys.assessment.views import agent_view, team_view
from surveys.core.clock import FrozenClock
from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import close_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.people.directory import OwnerIn
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV, DEC = parse_period("2026-11", timezone=TZ), parse_period("2026-12", timezone=TZ)
IN_NOV = datetime(2026, 11, 10, 2, 0)
CLOSED_AT = NOV.end + timedelta(days=3, hours=1)
CONFIG = PointsConfig()


async def _november(db: SessionFactory) -> dict[str, int]:
    """A (one order, one complaint) and B (three orders) in November, then closed."""
    FrozenClock(IN_NOV).install()  # the records are written in November
    try:
        return await _write_november(db)
    finally:
        FrozenClock.uninstall()


async def _write_november(db: SessionFactory) -> dict[str, int]:
    d = PointsData(db)
    cid = await d.community("sunny", "阳光花园")
    a = await d.agent("A001", "王晓梅", cid)
    b = await d.agent("A002", "李建国", cid)
    owner = await d.owner(cid)
    common = {"owner_id": owner, "community_id": cid, "closed_at": IN_NOV, "sent_at": IN_NOV}
    await d.order(agent_id=a, ratings=(4, 4, 4, 4), **common)  # type: ignore[arg-type]
    for _ in range(3):
        await d.order(agent_id=b, ratings=(5, 5, 5, 5), **common)  # type: ignore[arg-type]
    await d.complaint(agent_id=a, owner_id=owner, opened_at=IN_NOV,
                      ack_after=timedelta(hours=1), resolved=True, satisfied=True)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                       closer=Closer(role="admin", id=None, name="admin"), now=CLOSED_AT)
    return {"a": a, "b": b}


async def _report_late(db: SessionFactory, external_id: str, closed_at: datetime) -> None:
    order = WorkOrderIn(external_id=external_id, community_code="sunny",
                        agent_external_id="A001", title="热水器不热", closed_at=closed_at,
                        owner=OwnerIn(name="钱七", phone="13900007777"))
    await close_work_order(db=db, order=order, survey_config=SurveyConfig())


async def test_an_order_of_a_closed_month_reported_late_is_an_adjustment_naming_it(
    db: SessionFactory,
) -> None:
    ids = await _november(db)
    snapshot = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG,
                                now=CLOSED_AT)
    FrozenClock(CLOSED_AT + timedelta(days=2)).install()
    try:
        await _report_late(db, "WO-LATE-1", datetime(2026, 11, 28, 2, 0))
        closed = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG)
        december = await agent_view(db=db, agent_id=ids["a"], period=DEC, current=CONFIG)
        recomputed = await agent_report(db=db, agent_id=ids["a"], period=NOV, config=CONFIG)
    finally:
        FrozenClock.uninstall()
    assert closed.points == snapshot.points  # the closed month never changes
    assert recomputed.points.closed_orders == 2  # the late order is A's November work
    assert snapshot.points.total is not None and recomputed.points.total is not None
    (line,) = december.adjustments
    assert line.work_orders == ("WO-LATE-1",)
    assert line.delta == pytest.approx(recomputed.points.total - snapshot.points.total)
    assert december.points.adjustment == pytest.approx(line.delta)
    assert "WO-LATE-1" in adjustment_line(translator("zh_CN"), line)
    assert "结账后" in adjustment_line(translator("zh_CN"), line)


async def test_an_order_reported_late_for_the_month_under_way_is_no_adjustment(
    db: SessionFactory,
) -> None:
    ids = await _november(db)
    FrozenClock(CLOSED_AT + timedelta(days=2)).install()
    try:
        await _report_late(db, "WO-DEC-1", datetime(2026, 12, 2, 2, 0))
        december = await agent_view(db=db, agent_id=ids["a"], period=DEC, current=CONFIG)
    finally:
        FrozenClock.uninstall()
    assert december.adjustments == [] and december.points.closed_orders == 1


async def test_the_next_months_trend_shows_the_closed_months_totals_not_a_recomputation(
    db: SessionFactory,
) -> None:
    await _november(db)
    snapshot = await team_view(db=db, period=NOV, current=CONFIG, now=CLOSED_AT,
                               live_extras=False)
    FrozenClock(CLOSED_AT + timedelta(days=2)).install()
    try:
        await _report_late(db, "WO-LATE-2", datetime(2026, 11, 28, 2, 0))  # changes A's live
        december = await team_view(db=db, period=DEC, current=CONFIG)
        live = await team_report(db=db, period=DEC, config=CONFIG)
    finally:
        FrozenClock.uninstall()
    closed = {r.agent_id: r.total for r in snapshot.rows}
    assert december.previous_totals == {r.agent_id: closed.get(r.agent_id)
                                        for r in december.rows}
    assert live.previous_totals != december.previous_totals  # recomputing would differ
