"""One agent's report: their points within their team, the previous period's, the breakdown."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from scoring.points.config import PointsConfig
from scoring.points.model import AgentPoints, AgentStats, TeamFigures, agent_points
from surveys import models
from surveys.assessment.detail import Breakdown, load_breakdown
from surveys.assessment.reports import (
    AgentReport,
    CommunityRef,
    Extras,
    community_ref,
    compute_points,
)
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.core.ids import require_id


async def agent_report(
    *,
    db: SessionFactory,
    agent_id: int,
    period: Period,
    config: PointsConfig,
    as_of: datetime | None = None,
    extras: Extras | None = None,
) -> AgentReport:
    """Compute one agent's points within their team, the previous period and the breakdown."""
    return (await agent_reports(db=db, agent_ids=[agent_id], period=period, config=config,
                                as_of=as_of, extras=extras))[0]


async def agent_reports(
    *,
    db: SessionFactory,
    agent_ids: list[int],
    period: Period,
    config: PointsConfig,
    as_of: datetime | None = None,
    extras: Extras | None = None,
) -> list[AgentReport]:
    """Compute several agents' reports (as `agent_report`), each team computed once.

    `extras` are those of the agents' community: give agents of one community.
    """
    as_of = as_of or clock.now()
    out = []
    teams: dict[int | None, tuple[CommunityRef | None, TeamFigures, list[AgentPoints],
                                  list[AgentPoints]]] = {}
    async with db() as session, session.begin():
        for agent_id in agent_ids:
            agent = await session.get(models.Agent, agent_id)
            if agent is None:
                raise NotFound(f"agent {agent_id}", code=ErrorCode.AGENT_NOT_FOUND, id=agent_id)
            if agent.community_id not in teams:
                teams[agent.community_id] = await _team_of(
                    session, community_id=agent.community_id, period=period, config=config,
                    as_of=as_of, extras=extras)
            community, team, rows, previous_rows = teams[agent.community_id]
            breakdown = await load_breakdown(
                session, agent_id=agent_id, start=period.start, end=period.end, as_of=as_of
            )
            out.append(_agent_in_team(agent, community, team, rows, previous_rows, breakdown,
                                      period=period, as_of=as_of, config=config, extras=extras))
    return out


async def _team_of(session: AsyncSession, *, community_id: int | None, period: Period,
                   config: PointsConfig, as_of: datetime, extras: Extras | None
                   ) -> tuple[CommunityRef | None, TeamFigures, list[AgentPoints],
                              list[AgentPoints]]:
    community = await community_ref(session, community_id)
    team, rows, _ = await compute_points(
        session, period=period, as_of=as_of, config=config, community_id=community_id,
        extras=extras,
    )
    _, previous_rows, _ = await compute_points(
        session, period=period.previous(), as_of=as_of, config=config,
        community_id=community_id,
    )
    return community, team, rows, previous_rows


def _agent_in_team(agent: models.Agent, community: CommunityRef | None, team: TeamFigures,
                   rows: list[AgentPoints], previous_rows: list[AgentPoints],
                   breakdown: Breakdown, *, period: Period, as_of: datetime,
                   config: PointsConfig, extras: Extras | None) -> AgentReport:
    agent_id = require_id(agent)
    points = next((r for r in rows if r.agent_id == agent_id), None)
    if points is None:
        # No activity in the period: figures against the team, outside the ranking, and no
        # total or grade — it would be the team's means, which this agent did not earn.
        points = replace(
            agent_points((extras or Extras()).apply([AgentStats(agent_id=agent_id)])[0],
                         team, config), total=None, grade=None)
    points = replace(points, name=agent.name, external_id=agent.external_id)
    previous = next((r for r in previous_rows if r.agent_id == agent_id), None)
    change = (
        points.total - previous.total
        if previous is not None and previous.total is not None and points.total is not None
        else None
    )
    return AgentReport(
        period=period,
        as_of=as_of,
        community=community,
        team=team,
        team_size=sum(1 for r in rows if r.rank is not None),
        points=points,
        previous=previous,
        change=change,
        breakdown=breakdown,
    )
