"""Assessment services: the team report and one agent's report with every input behind it.

Points are computed on demand from the records (never stored): `surveys.assessment.stats` aggregates
in SQL, `scoring.points` applies the formulas. The team of an agent is their community's
agents (all agents when the agent has no community); an agent belongs to a period's team
when they have a closed order, a survey sent or a complaint in it. See docs/points.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from scoring.points.config import PointsConfig
from scoring.points.model import (
    AgentPoints,
    AgentStats,
    RatingStats,
    TeamFigures,
    compute_team,
)
from scoring.points.targets import TargetResult
from scoring.revisits import RevisitRate, RevisitRates
from scoring.timeliness import TimelinessReport
from surveys import models
from surveys.assessment.detail import Breakdown
from surveys.assessment.periods import AdjustmentLine, PeriodStatus
from surveys.assessment.revisit_rates import ClosedOrders
from surveys.assessment.stats import PeriodCounts, period_counts
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound

Agent: Any = models.Agent
Community: Any = models.Community



@dataclass(frozen=True)
class CommunityRef:
    """The community a report covers."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class TeamReport:
    """Every agent's points in a period, best first, with the team's figures."""

    period: Period
    as_of: datetime
    community: CommunityRef | None
    team: TeamFigures
    rows: list[AgentPoints]
    previous_totals: dict[int, float | None] = field(default_factory=dict)
    # Counted responses per channel ("chat", "web", staff-entered "phone", "visit").
    channels: dict[str, int] = field(default_factory=dict)
    status: PeriodStatus | None = None  # None: computed without the cycle (a plain report)
    adjustments: dict[int, list[AdjustmentLine]] = field(default_factory=dict)
    targets: list[TargetResult] = field(default_factory=list)  # the team's
    revisits: RevisitRates | None = None  # 回访率 per community and agent (views.team_view)
    # Response and resolution times (views.team_view; read live like the 回访率).
    timeliness: TimelinessReport | None = None


@dataclass(frozen=True)
class AgentReport:
    """One agent's points, the previous period's for the trend, and the full breakdown."""

    period: Period
    as_of: datetime
    community: CommunityRef | None
    team: TeamFigures
    team_size: int  # ranked agents in the team
    points: AgentPoints
    previous: AgentPoints | None
    change: float | None  # total minus the previous period's total
    breakdown: Breakdown
    status: PeriodStatus | None = None
    adjustments: list[AdjustmentLine] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)  # the agent's own shares
    team_targets: list[TargetResult] = field(default_factory=list)
    revisit: RevisitRate | None = None  # the agent's own 回访率 (views.agent_view, read live)


@dataclass(frozen=True)
class Extras:
    """Inputs from outside the period's records: late adjustments and reviews, per agent."""

    adjustments: dict[int, float] = field(default_factory=dict)
    reviews: dict[int, dict[str, RatingStats]] = field(default_factory=dict)

    def apply(self, stats: list[AgentStats]) -> list[AgentStats]:
        """Return the stats with each agent's adjustment and reviews filled in."""
        return [replace(s, adjustment=self.adjustments.get(s.agent_id, 0.0),
                        reviews=dict(self.reviews.get(s.agent_id, {})))
                for s in stats]

    def agent_ids(self) -> set[int]:
        """Agents who must be listed even without activity in the period: those carrying an
        adjustment. A review alone does not list an agent: with no work in the period the
        rest of their total would be the team's mean, a score nobody earned."""
        return set(self.adjustments)


async def community_ref(session: AsyncSession, community_id: int | None) -> CommunityRef | None:
    """Return the community a report covers (None: the whole company)."""
    if community_id is None:
        return None
    conn = await session.connection()
    row = (
        await conn.execute(
            select(Community.id, Community.code, Community.name).where(
                Community.id == community_id
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"community {community_id}", code=ErrorCode.COMMUNITY_NOT_FOUND,
                       id=community_id)
    return CommunityRef(id=row.id, code=row.code, name=row.name)


async def _named(session: AsyncSession, rows: list[AgentPoints]) -> list[AgentPoints]:
    if not rows:
        return rows
    conn = await session.connection()
    result = await conn.execute(
        select(Agent.id, Agent.name, Agent.external_id).where(
            Agent.id.in_([r.agent_id for r in rows])
        )
    )
    names = {r.id: (r.name, r.external_id) for r in result}
    return [
        replace(r, name=names.get(r.agent_id, ("", ""))[0],
                external_id=names.get(r.agent_id, ("", ""))[1])
        for r in rows
    ]


async def compute_points(
    session: AsyncSession,
    *,
    period: Period,
    as_of: datetime,
    config: PointsConfig,
    community_id: int | None,
    extras: Extras | None = None,
    closed: ClosedOrders | None = None,
) -> tuple[TeamFigures, list[AgentPoints], PeriodCounts]:
    """Compute the team's figures and each agent's points from the period's records."""
    extras = extras or Extras()
    counts = await period_counts(
        session,
        start=period.start,
        end=period.end,
        as_of=as_of,
        csat_min_rating=config.csat_min_rating,
        community_id=community_id,
        agent_ids=extras.agent_ids(),
        staff_split=config.staff_entered_weight != 1.0,
        count_repeats=config.repeat_penalty.enabled,
        closed=closed,
    )
    team, rows = compute_team(extras.apply(counts.stats), config)
    return team, await _named(session, rows), counts


async def team_report(
    *,
    db: SessionFactory,
    period: Period,
    config: PointsConfig,
    community_id: int | None = None,
    as_of: datetime | None = None,
    extras: Extras | None = None,
    closed: ClosedOrders | None = None,
    previous_live: bool = True,
) -> TeamReport:
    """Compute every agent's points for a period (one community, or the whole company).

    `closed` (the period's closed orders from `order_pass`) gives the closed orders the points
    count and adds the period's 回访率;
    `previous_live=False` leaves out the previous period's totals (a caller that reads them
    from that period's snapshot)."""
    as_of = as_of or clock.now()
    previous_rows: list[AgentPoints] = []
    async with db() as session, session.begin():
        community = await community_ref(session, community_id)
        team, rows, counts = await compute_points(
            session, period=period, as_of=as_of, config=config, community_id=community_id,
            extras=extras, closed=closed,
        )
        if previous_live:
            _, previous_rows, _ = await compute_points(
                session,
                period=period.previous(),
                as_of=as_of,
                config=config,
                community_id=community_id,
            )
    previous = {p.agent_id: p.total for p in previous_rows}
    return TeamReport(
        period=period,
        as_of=as_of,
        community=community,
        team=team,
        rows=rows,
        previous_totals={r.agent_id: previous.get(r.agent_id) for r in rows},
        channels=counts.channels,
        revisits=counts.revisits,
    )


async def find_community_id(*, db: SessionFactory, code: str) -> int:
    """Return the id of the community with this code."""
    async with db() as session, session.begin():
        conn = await session.connection()
        row = (await conn.execute(select(Community.id).where(Community.code == code))).first()
    if row is None:
        raise NotFound(f"community {code}", code=ErrorCode.COMMUNITY_NOT_FOUND, id=code)
    return int(row.id)
