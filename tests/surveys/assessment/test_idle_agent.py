"""An agent with no work in a period (no closed order, survey or complaint: on leave, new)
gets no total, grade or rank for it: their report and Monday summary say there is nothing
to score, instead of a score made of the team's means that equals a working colleague's."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.i18n import translator
from bot.render.summary import render_weekly_summary
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.summaries import run_weekly_summaries
from surveys.assessment.views import agent_view
from surveys.core.db import SessionFactory
from surveys.models import Agent, OutboxMessage
from surveys.outbox.payloads import WeeklySummaryPayload
from tests.fixtures.points_data import PointsData

W47 = parse_period("2026-W47", timezone="Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 1, 0)  # 09:00 in Shanghai


async def _one_worker_one_idle(db: SessionFactory) -> tuple[int, int]:
    d = PointsData(db)
    cid = await d.community("sunny", "阳光花园")
    worker = await d.agent("A001", "王晓梅", cid)
    idle = await d.agent("A002", "李建国", cid)
    async with db() as s, s.begin():
        for agent in (await s.exec(select(Agent))).all():
            agent.chat_id = 100 + (agent.id or 0)
    owner = await d.owner(cid)
    when = datetime(2026, 11, 17, 2, 0)
    for ratings in ((3, 3, 3, 3), (2, 2, 2, 2)):
        await d.order(agent_id=worker, owner_id=owner, community_id=cid, closed_at=when,
                      sent_at=when, ratings=ratings)
    return worker, idle


async def test_an_agent_without_work_has_no_total_grade_or_rank(db: SessionFactory) -> None:
    worker, idle = await _one_worker_one_idle(db)
    mine = await agent_view(db=db, agent_id=idle, period=W47, current=PointsConfig(),
                            now=MONDAY)
    theirs = await agent_view(db=db, agent_id=worker, period=W47, current=PointsConfig(),
                              now=MONDAY)
    assert theirs.points.total is not None and theirs.points.grade is not None
    assert (mine.points.total, mine.points.grade, mine.points.rank) == (None, None, None)


async def test_the_monday_summary_of_an_agent_without_work_gives_no_score(
    db: SessionFactory,
) -> None:
    worker, idle = await _one_worker_one_idle(db)
    await run_weekly_summaries(db=db, config=PointsConfig(), timezone="Asia/Shanghai",
                               now=MONDAY)
    async with db() as s:
        rows = {r.chat_id: r for r in (await s.exec(select(OutboxMessage))).all()}
    text = render_weekly_summary(WeeklySummaryPayload.of(rows[100 + idle].payload),
                                 translator("zh_CN"))
    assert "合格" not in text and "得分：—" in text, text
    worked = render_weekly_summary(WeeklySummaryPayload.of(rows[100 + worker].payload),
                                   translator("zh_CN"))
    assert "等级：合格" in worked
