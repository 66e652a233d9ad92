"""The monthly 考核 cycle on real databases: close, snapshot immutability, late corrections
and versioned weights (surveys.assessment.cycle, views, adjustments, versions)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.appeals.service import decide_appeal, file_appeal
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.errors import PeriodAlreadyClosed, PeriodNotClosable
from surveys.assessment.reports import team_report
from surveys.assessment.versions import list_versions
from surveys.assessment.views import agent_view, team_view
from surveys.core.audit import list_entries
from surveys.core.db import SessionFactory
from surveys.models import Agent, OutboxMessage, PeriodAdjustment, Response
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV = parse_period("2026-11", timezone=TZ)
DEC = parse_period("2026-12", timezone=TZ)
IN_NOV = datetime(2026, 11, 10, 2, 0)
IN_DEC = datetime(2026, 12, 10, 2, 0)
AFTER_WINDOW = NOV.end + timedelta(days=3, minutes=1)
BOSS = Closer(role="manager", id=None, name="赵经理")
CONFIG = PointsConfig()


async def world(db: SessionFactory) -> dict[str, int]:
    """Two agents with a November: A has a complaint handled late, B none."""
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid, telegram_user_id=501)
    b = await d.agent("B-2", "李强", cid)
    owner = await d.owner(cid)
    common = {"owner_id": owner, "community_id": cid, "closed_at": IN_NOV, "sent_at": IN_NOV}
    for ratings in ((5, 5, 4, 4), (4, 4, 4, 4), (2, 1, 3, 2)):
        last = await d.order(agent_id=a, ratings=ratings, **common)  # type: ignore[arg-type]
    for ratings in ((5, 5, 5, 5), (3, 3, 3, 3)):
        await d.order(agent_id=b, ratings=ratings, **common)  # type: ignore[arg-type]
    complaint = await d.complaint(agent_id=a, owner_id=owner, opened_at=IN_NOV,
                                  ack_after=timedelta(hours=30), resolved=False,
                                  work_order_id=last.work_order_id, survey_id=last.survey_id)
    async with db() as s, s.begin():
        agent = await s.get(Agent, a)
        assert agent is not None
        agent.chat_id = 501  # bound: gets the closing message
    return {"a": a, "b": b, "community": cid, "owner": owner, "complaint": complaint}


async def void_the_complaint(db: SessionFactory, ids: dict[str, int]) -> int:
    """A's appeal of the complaint, voided by a manager (after the close); its id."""
    await PointsData(db).manager("孙经理", 900)
    appeal = await file_appeal(db=db, agent_telegram_user_id=501, reason="业主误会",
                               complaint_id=ids["complaint"])
    await decide_appeal(db=db, appeal_id=appeal.id, manager_telegram_user_id=900,
                        decision="void", reason="核实")
    return appeal.id


async def test_a_period_in_its_appeal_window_or_still_open_cannot_be_closed(
    db: SessionFactory,
) -> None:
    await world(db)
    with pytest.raises(PeriodNotClosable) as still_open:
        await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                           now=IN_NOV)
    assert still_open.value.reason == "open"
    with pytest.raises(PeriodNotClosable) as in_review:
        await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                           now=NOV.end + timedelta(days=2))
    assert in_review.value.reason == "review"
    week = parse_period("2026-W46", timezone=TZ)
    with pytest.raises(PeriodNotClosable) as not_cycle:
        await close_period(db=db, period=week, current=CONFIG, timezone=TZ, closer=BOSS,
                           now=AFTER_WINDOW)
    assert not_cycle.value.reason == "not_cycle"
    view = await team_view(db=db, period=NOV, current=CONFIG, now=AFTER_WINDOW)
    assert view.status is not None and view.status.state == "awaiting_close"


async def test_closing_stores_the_figures_of_the_moment_audits_and_notifies(
    db: SessionFactory,
) -> None:
    ids = await world(db)
    live = await team_report(db=db, period=NOV, config=CONFIG, community_id=ids["community"],
                             as_of=AFTER_WINDOW)
    done = await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                              now=AFTER_WINDOW)
    assert (done.label, done.agents) == ("2026-11", 2)
    view = await team_view(db=db, period=NOV, current=CONFIG, community_id=ids["community"],
                           now=AFTER_WINDOW)
    assert view.status is not None and view.status.final
    assert view.status.closed_by == "赵经理"
    assert [(r.agent_id, r.total, r.grade, r.rank) for r in view.rows] == [
        (r.agent_id, r.total, r.grade, r.rank) for r in live.rows]
    assert view.channels == live.channels and sum(view.channels.values()) == 5
    mine = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG, now=AFTER_WINDOW)
    assert mine.breakdown.sources["complaints"].complaints == (ids["complaint"],)
    (entry,) = await list_entries(db=db, action="period_closed")
    assert entry.detail["label"] == "2026-11"
    assert entry.detail["config_version_id"] == done.config_version_id
    with pytest.raises(PeriodAlreadyClosed) as again:
        await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                           now=AFTER_WINDOW + timedelta(hours=1))
    assert again.value.closed_by == "赵经理"


async def test_two_managers_closing_at_once_close_it_exactly_once(db: SessionFactory) -> None:
    await world(db)
    results = await asyncio.gather(
        *(close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                       closer=Closer(role="manager", id=None, name=name), now=AFTER_WINDOW)
          for name in ("赵经理", "钱经理")),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], PeriodAlreadyClosed)
    assert len(await list_entries(db=db, action="period_closed")) == 1
    async with db() as s:
        sent = (await s.exec(select(OutboxMessage).where(
            OutboxMessage.kind == "period_closed"))).all()
    assert [(m.chat_id, m.payload["label"]) for m in sent] == [(501, "2026-11")]


async def test_a_closed_period_ignores_new_weights_late_responses_and_late_appeals(
    db: SessionFactory,
) -> None:
    ids = await world(db)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                       now=AFTER_WINDOW)
    before = await team_view(db=db, period=NOV, current=CONFIG, now=AFTER_WINDOW)
    d = PointsData(db)
    late = NOV.end - timedelta(hours=2)  # sent in November, answered after the close
    order = await d.order(agent_id=ids["b"], owner_id=ids["owner"],
                          community_id=ids["community"], closed_at=late, sent_at=late,
                          ratings=(1, 1, 1, 1))
    async with db() as s, s.begin():
        response = await s.get(Response, order.response_id)
        assert response is not None
        response.submitted_at = AFTER_WINDOW + timedelta(hours=5)
    appeal_id = await void_the_complaint(db, ids)
    heavier = PointsConfig(total_satisfaction_weight=0.9)
    after = await team_view(db=db, period=NOV, current=heavier,
                            now=AFTER_WINDOW + timedelta(days=5))
    assert [(r.agent_id, r.total) for r in after.rows] == [
        (r.agent_id, r.total) for r in before.rows]
    # The voided complaint becomes an adjustment line in December, shown as such.
    december = await agent_view(db=db, agent_id=ids["a"], period=DEC, current=CONFIG,
                                now=AFTER_WINDOW + timedelta(days=5))
    (line,) = december.adjustments
    assert line.source_label == "2026-11" and line.delta > 0
    assert line.appeals == (appeal_id,)
    assert december.points.adjustment == pytest.approx(line.delta)
    b_dec = await agent_view(db=db, agent_id=ids["b"], period=DEC, current=CONFIG,
                             now=AFTER_WINDOW + timedelta(days=5))
    (b_line,) = b_dec.adjustments
    assert b_line.responses == (order.response_id,) and b_line.delta < 0


async def test_a_late_correction_is_carried_once_into_the_next_closed_period(
    db: SessionFactory,
) -> None:
    ids = await world(db)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ, closer=BOSS,
                       now=AFTER_WINDOW)
    await void_the_complaint(db, ids)
    dec_done = DEC.end + timedelta(days=3, minutes=1)
    await close_period(db=db, period=DEC, current=CONFIG, timezone=TZ, closer=BOSS,
                       now=dec_done)
    async with db() as s:
        (carried,) = (await s.exec(select(PeriodAdjustment))).all()
    assert carried.agent_id == ids["a"] and carried.delta > 0
    january = parse_period("2027-01", timezone=TZ)
    jan = await agent_view(db=db, agent_id=ids["a"], period=january, current=CONFIG,
                           now=dec_done + timedelta(days=1))
    assert jan.adjustments == []
    closed_dec = await agent_view(db=db, agent_id=ids["a"], period=DEC, current=CONFIG,
                                  now=dec_done + timedelta(days=1))
    assert [line.source_label for line in closed_dec.adjustments] == ["2026-11"]


async def test_a_weight_change_applies_from_the_next_period_and_is_listed(
    db: SessionFactory,
) -> None:
    ids = await world(db)
    first = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG,
                             now=IN_NOV)
    heavier = PointsConfig(total_satisfaction_weight=0.9)
    still = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=heavier,
                             now=IN_NOV + timedelta(days=1))
    assert still.points.total == first.points.total
    versions = await list_versions(db=db)
    assert [v.effective_label for v in versions] == ["", "2026-12"]
    assert versions[1].config.total_satisfaction_weight == 0.9
    assert still.status is not None and still.status.config_version_id == versions[0].id
