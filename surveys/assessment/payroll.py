"""The payroll rows of a closed period: agent, community, points, grade, rank and the grade's
bonus coefficient (from the weights the period was closed with). Only a closed period has a
payroll: provisional figures never reach pay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from scoring.periods import Period
from scoring.points.config import PointsConfig
from surveys.assessment.errors import PeriodNotClosable
from surveys.assessment.periods import status
from surveys.assessment.snapshots import read_team
from surveys.assessment.versions import by_id
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import Agent, Community


@dataclass(frozen=True)
class PayrollRow:
    external_id: str
    name: str
    community: str
    total: float | None
    grade: str | None
    rank: int | None
    coefficient: float | None


@dataclass(frozen=True)
class Payroll:
    label: str
    scope: str  # the community's name, "" for the whole company
    closed_at: datetime
    closed_by: str
    rows: list[PayrollRow]


async def payroll(*, db: SessionFactory, period: Period, current: PointsConfig,
                  community_id: int | None = None, now: datetime | None = None) -> Payroll:
    """Return the payroll of a closed period for one scope; refuse a period not closed."""
    st = await status(db=db, period=period, config=current, now=now or clock.now())
    if st.state == "live":
        raise PeriodNotClosable(period.label, "not_cycle")
    if not st.final:
        raise PeriodNotClosable(period.label, "not_closed")
    assert st.config_version_id is not None and st.closed_at is not None
    config = (await by_id(db=db, version_id=st.config_version_id)).config
    team = await read_team(db=db, period=period, status=st, community_id=community_id)
    async with db() as session:
        agents = {a.id: a for a in (await session.exec(select(Agent).where(
            Agent.id.in_([r.agent_id for r in team.rows])))).all()}  # type: ignore[union-attr]
        names = {c.id: c.name for c in (await session.exec(select(Community))).all()}
    rows = []
    for p in team.rows:
        agent = agents.get(p.agent_id)
        rows.append(PayrollRow(
            external_id=p.external_id, name=p.name,
            community=names.get(agent.community_id, "") if agent and agent.community_id
            else "", total=p.total, grade=p.grade, rank=p.rank,
            coefficient=config.payroll.coefficient(p.grade)))
    return Payroll(label=period.label, scope=team.community.name if team.community else "",
                   closed_at=st.closed_at, closed_by=st.closed_by, rows=rows)
