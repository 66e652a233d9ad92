"""The immutable snapshot of a closed period: written once at close, read by every report.

Each scope (0 = the whole company, else a community id) stores its team figures and one row
per agent with every figure of `AgentPoints`, the previous period's figures and the change,
the adjustment lines carried in, and — in the agent's own scope — the breakdown (the ids of
every work order, response, complaint and appeal behind the figures). Since issue 13 (perf6)
the team row also keeps the scope's response and resolution times and its views by category
and building (`snapshot_extras`); periods closed before read those live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from scoring.points.model import AgentPoints, TeamFigures
from scoring.reports.groups import Breakdowns
from scoring.timeliness import TimelinessReport
from surveys.assessment.detail import Breakdown
from surveys.assessment.periods import AdjustmentLine, PeriodStatus
from surveys.assessment.reports import AgentReport, CommunityRef, TeamReport
from surveys.assessment.snapshot_extras import (
    GROUPS_KEY,
    TIMES_KEY,
    dump_groups,
    dump_times,
    load_groups,
    load_times,
)
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from surveys.models import Agent, Community, SnapshotRow, SnapshotTeam

POINTS = TypeAdapter(AgentPoints)
TEAM = TypeAdapter(TeamFigures)
BREAKDOWN = TypeAdapter(Breakdown)
LINES = TypeAdapter(list[AdjustmentLine])


@dataclass(frozen=True)
class Scoped:
    """One scope's computation at close, ready to store."""

    scope: int
    community: CommunityRef | None
    report: TeamReport
    previous: dict[int, AgentPoints]  # agent id -> the previous period's figures
    breakdowns: dict[int, Breakdown]  # only for agents whose own scope this is
    times: TimelinessReport | None = None  # the scope's response and resolution times
    groups: Breakdowns | None = None  # the scope's views by category and building


def row_points(p: AgentPoints, previous: AgentPoints | None,
               lines: list[AdjustmentLine]) -> dict[str, Any]:
    """Everything stored about one agent's figures (JSON)."""
    change = (p.total - previous.total if previous is not None and previous.total is not None
              and p.total is not None else None)
    return {"points": POINTS.dump_python(p, mode="json"),
            "previous": POINTS.dump_python(previous, mode="json") if previous else None,
            "change": change, "adjustments": LINES.dump_python(lines, mode="json")}


def store(session: AsyncSession, *, period_id: int, scoped: Scoped,
          lines: dict[int, list[AdjustmentLine]]) -> None:
    """Add one scope's team and rows to the session (inside the closing transaction)."""
    c = scoped.community
    session.add(SnapshotTeam(period_id=period_id, scope=scoped.scope,
                             community_code=c.code if c else "",
                             community_name=c.name if c else "",
                             team={**TEAM.dump_python(scoped.report.team, mode="json"),
                                   "channels": dict(scoped.report.channels), **_extras(scoped)}))
    for p in scoped.report.rows:
        breakdown = scoped.breakdowns.get(p.agent_id)
        session.add(SnapshotRow(
            period_id=period_id, scope=scoped.scope, agent_id=p.agent_id, rank=p.rank,
            total=p.total, grade=p.grade,
            points=row_points(p, scoped.previous.get(p.agent_id), lines.get(p.agent_id, [])),
            inputs=BREAKDOWN.dump_python(breakdown, mode="json") if breakdown else {},
        ))


def _extras(scoped: Scoped) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if scoped.times is not None:
        extras[TIMES_KEY] = dump_times(scoped.times)
    if scoped.groups is not None:
        extras[GROUPS_KEY] = dump_groups(scoped.groups)
    return extras


def _figures(team: SnapshotTeam) -> dict[str, Any]:
    """The team's points figures alone (without channels, times and views)."""
    return {k: v for k, v in team.team.items() if k not in ("channels", TIMES_KEY, GROUPS_KEY)}


async def _team_row(session: AsyncSession, period_id: int, scope: int) -> SnapshotTeam | None:
    return (await session.exec(select(SnapshotTeam).where(
        SnapshotTeam.period_id == period_id, SnapshotTeam.scope == scope))).first()


def _community(team: SnapshotTeam) -> CommunityRef | None:
    if not team.scope:
        return None
    return CommunityRef(id=team.scope, code=team.community_code, name=team.community_name)


async def read_team(*, db: SessionFactory, period: Period, status: PeriodStatus,
                    community_id: int | None) -> TeamReport:
    """Return a closed period's team report from its snapshot."""
    assert status.period_id is not None and status.closed_at is not None
    scope = community_id or 0
    async with db() as session:
        team = await _team_row(session, status.period_id, scope)
        rows = (await session.exec(select(SnapshotRow).where(
            SnapshotRow.period_id == status.period_id, SnapshotRow.scope == scope
        ).order_by(col(SnapshotRow.rank).is_(None), col(SnapshotRow.rank),
                   col(SnapshotRow.agent_id)))).all()
        if team is None and community_id is not None:
            found = await session.get(Community, community_id)
            if found is None:
                raise NotFound(f"community {community_id}")
    if team is None:  # a community without agents at close: an empty table
        empty = TeamFigures(agents=0, dimension_means={}, mean_closed_orders=0.0,
                            surveys_sent=0, responses=0, complaints=0)
        return TeamReport(period=period, as_of=status.closed_at, community=None, team=empty,
                          rows=[], status=status)
    points = [POINTS.validate_python(r.points["points"]) for r in rows]
    previous = {r.agent_id: (r.points.get("previous") or {}).get("total") for r in rows}
    lines = {r.agent_id: LINES.validate_python(r.points.get("adjustments") or []) for r in rows}
    channels = {str(k): int(v) for k, v in (team.team.get("channels") or {}).items()}
    times = team.team.get(TIMES_KEY)
    return TeamReport(
        period=period, as_of=status.closed_at, community=_community(team),
        team=TEAM.validate_python(_figures(team)), rows=points, previous_totals=previous,
        channels=channels, status=status, adjustments={k: v for k, v in lines.items() if v},
        timeliness=load_times(times) if times else None,
    )


async def read_groups(*, db: SessionFactory, status: PeriodStatus, community_id: int | None,
                      category_order: Iterable[str]) -> Breakdowns | None:
    """Return a closed period's views by category and building (None: not stored)."""
    assert status.period_id is not None
    async with db() as session:
        team = await _team_row(session, status.period_id, community_id or 0)
    stored = team.team.get(GROUPS_KEY) if team is not None else None
    return load_groups(stored, category_order) if stored else None


async def read_agent(*, db: SessionFactory, period: Period, status: PeriodStatus,
                     agent_id: int) -> AgentReport | None:
    """Return a closed period's report of one agent (None if the agent was not in it)."""
    assert status.period_id is not None and status.closed_at is not None
    async with db() as session:
        agent = await session.get(Agent, agent_id)
        if agent is None:
            raise NotFound(f"agent {agent_id}")
        scope = agent.community_id or 0
        row = (await session.exec(select(SnapshotRow).where(
            SnapshotRow.period_id == status.period_id, SnapshotRow.scope == scope,
            SnapshotRow.agent_id == agent_id))).first()
        if row is None:  # moved community since: the row of the scope it was closed in
            rows = (await session.exec(select(SnapshotRow).where(
                SnapshotRow.period_id == status.period_id,
                SnapshotRow.agent_id == agent_id))).all()
            row = next((r for r in rows if r.inputs), None)
        if row is None:
            return None
        team = await _team_row(session, status.period_id, row.scope)
        size = len((await session.exec(select(SnapshotRow.id).where(
            SnapshotRow.period_id == status.period_id, SnapshotRow.scope == row.scope,
            col(SnapshotRow.rank).is_not(None)))).all())
    assert team is not None
    prev = row.points.get("previous")
    return AgentReport(
        period=period, as_of=status.closed_at, community=_community(team),
        team=TEAM.validate_python(_figures(team)),
        team_size=size,
        points=POINTS.validate_python(row.points["points"]),
        previous=POINTS.validate_python(prev) if prev else None,
        change=row.points.get("change"),
        breakdown=BREAKDOWN.validate_python(row.inputs),
        status=status, adjustments=LINES.validate_python(row.points.get("adjustments") or []),
    )
