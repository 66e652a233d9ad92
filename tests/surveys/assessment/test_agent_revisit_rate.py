"""An agent's report and weekly summary carry that agent's own 回访率, read live."""

from __future__ import annotations

from sqlmodel import select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.revisits import RevisitRate
from surveys.assessment.summaries import summary_payload
from surveys.assessment.views import agent_view
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.models import Agent, Role
from surveys.people.directory import add_agent
from surveys.survey.revisit_staff import Recorder
from surveys.survey.revisits import record_revisit
from tests.fixtures.service_world import AGENT, close, setup_people

GOOD = {"overall": 5, "attitude": 4, "clarity": 5, "timeliness": 4}


async def _two_agents(db: SessionFactory) -> tuple[int, int]:
    """A-7 closes WO-1 (answered by phone) and the complaint WO-2; A-8 closes WO-3."""
    await setup_people(db)
    other = await add_agent(db=db, external_id="A-8", name="周客服", community_code="GG")
    await close(db, "WO-1")
    await close(db, "WO-2", phone="13812345679", kind="complaint")
    await close(db, "WO-3", phone="13812345670", agent_external_id="A-8")
    await record_revisit(db=db, work_order="WO-1", recorder=Recorder(Role.REVISITOR, 1, None),
                         ratings=GOOD, words=None, channel="phone",
                         survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    async with db() as s:
        mine = (await s.exec(select(Agent.id).where(Agent.external_id == AGENT))).one()
    assert mine is not None and other.id is not None
    return mine, other.id


async def test_an_agents_report_counts_only_the_orders_credited_to_them(
        db: SessionFactory) -> None:
    mine, theirs = await _two_agents(db)
    week = parse_period("week", timezone="Asia/Shanghai", now=clock.now())
    report = await agent_view(db=db, agent_id=mine, period=week, current=PointsConfig())
    assert report.revisit == RevisitRate(closed=2, answered=1, complaint_closed=1,
                                         complaint_answered=0)
    other = await agent_view(db=db, agent_id=theirs, period=week, current=PointsConfig())
    assert other.revisit == RevisitRate(closed=1, answered=0)
    payload = summary_payload(report, [], "zh_CN")
    assert payload.revisit is not None
    assert (payload.revisit.closed, payload.revisit.answered) == (2, 1)


async def test_a_trend_without_live_extras_reads_no_revisit_rate(db: SessionFactory) -> None:
    mine, _ = await _two_agents(db)
    week = parse_period("week", timezone="Asia/Shanghai", now=clock.now())
    report = await agent_view(db=db, agent_id=mine, period=week, current=PointsConfig(),
                              live_extras=False)
    assert report.revisit is None
    assert summary_payload(report, [], None).revisit is None


async def test_an_agent_without_closed_orders_has_an_empty_revisit_rate(
        db: SessionFactory) -> None:
    await _two_agents(db)
    idle = await add_agent(db=db, external_id="A-9", name="闲客服", community_code="GG")
    assert idle.id is not None
    week = parse_period("week", timezone="Asia/Shanghai", now=clock.now())
    report = await agent_view(db=db, agent_id=idle.id, period=week, current=PointsConfig())
    assert report.revisit == RevisitRate() and report.revisit.rate is None
