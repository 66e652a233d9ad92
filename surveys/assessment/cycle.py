"""Closing a 考核 period: compute every scope once, store the snapshot, tell everyone.

Closing is refused for a period that is not a 考核 period, not ended, still in its appeal
window or already closed. The snapshot is stored in one transaction whose first statement
inserts the `closed_period` row: its label is unique, so of two managers closing at once
exactly one wins (SQLite and PostgreSQL alike) and the other is told who closed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from scoring.periods import Period
from scoring.points.config import FORMULA_VERSION, PointsConfig
from scoring.points.model import AgentPoints
from surveys.assessment import notices, snapshots
from surveys.assessment.adjustments import by_agent
from surveys.assessment.breakdowns import load_breakdowns
from surveys.assessment.detail import load_breakdown
from surveys.assessment.errors import CloseNotYours, PeriodAlreadyClosed, PeriodNotClosable
from surveys.assessment.order_pass import month_orders
from surveys.assessment.periods import PeriodStatus, closed_row, status
from surveys.assessment.reports import CommunityRef, team_report
from surveys.assessment.snapshots import Scoped
from surveys.assessment.versions import ConfigVersion, for_period
from surveys.assessment.views import extras_for, team_view
from surveys.core import audit, clock
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from surveys.models import Agent, ClosedPeriod, Community, Manager, PeriodAdjustment


@dataclass(frozen=True)
class Closer:
    """Who closes: a manager in chat, or an admin on the command line."""

    role: Literal["manager", "admin"]
    id: int | None
    name: str


@dataclass(frozen=True)
class CloseResult:
    label: str
    period_id: int
    agents: int
    closed_at: datetime
    config_version_id: int
    notices: int  # messages queued to agents and managers


async def manager_closer(*, db: SessionFactory, manager_id: int, label: str) -> Closer:
    """Return the closer record of a manager who may close a period (name for the audit).

    A close makes every community's figures final at once, so a manager limited to one
    community may close only when the company has no other community; otherwise the
    refusal names the company-wide managers who may.
    """
    async with db() as session:
        manager = await session.get(Manager, manager_id)
        if manager is None:
            raise NotFound(f"manager {manager_id}")
        if manager.community_id is not None:
            others = select(Community.id).where(Community.id != manager.community_id)
            if (await session.exec(others.limit(1))).first() is not None:
                home = await session.get(Community, manager.community_id)
                company = select(Manager.name).where(
                    col(Manager.community_id).is_(None), col(Manager.active).is_(True)
                ).order_by(col(Manager.id)).limit(5)
                closers = tuple((await session.exec(company)).all())
                raise CloseNotYours(label, home.name if home else "", closers)
    return Closer(role="manager", id=manager_id, name=manager.name)


async def check_closable(*, db: SessionFactory, period: Period, config: PointsConfig,
                         now: datetime) -> PeriodStatus:
    """Return the period's status if it may be closed now; raise the refusal otherwise."""
    st = await status(db=db, period=period, config=config, now=now)
    if st.state == "live":
        raise PeriodNotClosable(period.label, "not_cycle")
    if st.final:
        assert st.closed_at is not None
        raise PeriodAlreadyClosed(period.label, st.closed_by, st.closed_at)
    if st.state == "open":
        raise PeriodNotClosable(period.label, "open", period.end)
    if st.state == "review":
        raise PeriodNotClosable(period.label, "review", st.review_until)
    return st


async def _previous_points(db: SessionFactory, period: Period, current: PointsConfig,
                           timezone: str, community_id: int | None, now: datetime
                           ) -> dict[int, AgentPoints]:
    before = await team_view(db=db, period=period.previous(), current=current,
                             community_id=community_id, now=now, live_extras=False)
    return {p.agent_id: p for p in before.rows}


async def _scopes(db: SessionFactory) -> tuple[list[CommunityRef], dict[int, int]]:
    async with db() as session:
        communities = (await session.exec(select(Community).order_by(col(Community.id)))).all()
        agents = (await session.exec(select(Agent.id, Agent.community_id))).all()
    home = {a: (c or 0) for a, c in agents if a is not None}
    used = set(home.values())
    refs = [CommunityRef(id=c.id, code=c.code, name=c.name) for c in communities
            if c.id is not None and c.id in used]
    return refs, home


async def _compute(db: SessionFactory, period: Period, version: ConfigVersion,
                   current: PointsConfig, timezone: str, now: datetime) -> list[Scoped]:
    refs, home = await _scopes(db)
    out = []
    for ref in [None, *refs]:
        community_id = ref.id if ref else None
        extras, _ = await extras_for(db=db, period=period, config=version.config, now=now,
                                     community_id=community_id)
        report = await team_report(db=db, period=period, config=version.config,
                                   community_id=community_id, as_of=now, extras=extras)
        previous = await _previous_points(db, period, current, timezone, community_id, now)
        scope = community_id or 0
        breakdowns = {}
        async with db() as session:
            for p in report.rows:
                if home.get(p.agent_id, 0) == scope:
                    breakdowns[p.agent_id] = await load_breakdown(
                        session, agent_id=p.agent_id, start=period.start, end=period.end,
                        as_of=now)
        # Final with the close like the points, so the closed report never computes them again.
        orders = await month_orders(db=db, period=period, community_id=community_id)
        groups = await load_breakdowns(db=db, start=period.start, end=period.end,
                                       community_id=community_id, orders=orders.groups)
        out.append(Scoped(scope=scope, community=ref, report=report, previous=previous,
                          breakdowns=breakdowns, times=orders.times, groups=groups))
    return out


async def close_period(*, db: SessionFactory, period: Period, current: PointsConfig,
                       timezone: str, closer: Closer, now: datetime | None = None
                       ) -> CloseResult:
    """Close a period: store its immutable snapshot, audit it and queue the notices."""
    now = now or clock.now()
    await check_closable(db=db, period=period, config=current, now=now)
    version = await for_period(db=db, period=period, current=current, now=now,
                               timezone=timezone)
    _, lines = await extras_for(db=db, period=period, config=version.config, now=now)
    scoped = await _compute(db, period, version, current, timezone, now)
    lines_by_agent = by_agent(lines)
    sources = {}
    for label in {line.source_label for line in lines}:
        source = await closed_row(db=db, label=label)
        assert source is not None and source.id is not None
        sources[label] = source.id
    try:
        async with db() as session, session.begin():
            row = ClosedPeriod(label=period.label, kind=period.kind, start=period.start,
                               end=period.end, closed_at=now, closed_by_role=closer.role,
                               closed_by_id=closer.id, closed_by_name=closer.name,
                               config_version_id=version.id, formula_version=FORMULA_VERSION)
            session.add(row)
            await session.flush()  # the unique label decides who closes
            assert row.id is not None
            for scope in scoped:
                snapshots.store(session, period_id=row.id, scoped=scope, lines=lines_by_agent)
            for line in lines:
                session.add(PeriodAdjustment(
                    period_id=row.id, source_period_id=sources[line.source_label],
                    agent_id=line.agent_id,
                    delta=line.delta, reasons={"appeals": list(line.appeals),
                                               "responses": list(line.responses),
                                               "complaints": list(line.complaints),
                                               "work_orders": list(line.work_orders)}))
            company = scoped[0].report
            audit.record(session, actor_role=closer.role, actor_id=closer.id,
                         action="period_closed", subject_kind="period", subject_id=row.id,
                         detail={"label": period.label, "config_version_id": version.id,
                                 "formula_version": FORMULA_VERSION,
                                 "agents": len(company.rows), "adjustments": len(lines),
                                 "closed_by": closer.name})
            sent = await notices.queue(
                session, period=period, scoped=scoped,
                skip_manager_id=closer.id if closer.role == "manager" else None)
    except IntegrityError:
        winner = await closed_row(db=db, label=period.label)
        if winner is None:
            raise
        raise PeriodAlreadyClosed(period.label, winner.closed_by_name,
                                  winner.closed_at) from None
    return CloseResult(label=period.label, period_id=row.id, agents=len(company.rows),
                       closed_at=now, config_version_id=version.id, notices=sent)
