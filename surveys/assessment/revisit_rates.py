"""回访率 of a period: per community and per credited agent, counted in SQL.

An order counts when it was closed in the period; it is answered when its survey has a
submitted, not voided response, whatever the channel (chat, web, phone, visit). Not part of
the points, so a closed period's figure is read live like the records behind it.

A live report counts them in its one pass over the period's orders (`order_pass`, with the
closed orders per agent its points count: `ClosedOrders`); this query serves the rest (an
agent's own figure, a closed period).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.periods import Period
from scoring.revisits import RevisitRate, RevisitRates
from surveys import models
from surveys.core.db import SessionFactory

Agent: Any = models.Agent
Community: Any = models.Community
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder


def _statement(in_period: ColumnElement[bool]) -> Select[Any]:
    answered = Response.id.is_not(None)
    complaint = WorkOrder.kind == models.WorkOrderKind.COMPLAINT
    # Grouped by ids only (names are read after, for the few groups): no join for a name.
    return (
        select(
            WorkOrder.community_id.label("community_id"), Survey.agent_id.label("agent_id"),
            func.count(Survey.id).label("closed"),
            func.count(Response.id).label("answered"),
            func.count(case((complaint, 1))).label("complaint_closed"),
            func.count(case((and_(complaint, answered), 1))).label("complaint_answered"),
        )
        .select_from(WorkOrder)
        .join(Survey, Survey.work_order_id == WorkOrder.id)
        .outerjoin(Response, and_(Response.survey_id == Survey.id, Response.voided == false(),
                                  Response.submitted_at.is_not(None)))
        .where(in_period)
        .group_by(WorkOrder.community_id, Survey.agent_id)
    )


def _in(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(WorkOrder.closed_at >= start, WorkOrder.closed_at < end)


def _rate(r: Any) -> RevisitRate:
    return RevisitRate(int(r["closed"]), int(r["answered"]), int(r["complaint_closed"]),
                       int(r["complaint_answered"]))


async def rates_of(conn: AsyncConnection, rows: Iterable[Any]) -> RevisitRates:
    """Sum grouped rows (community, agent and the four counts) per community and agent."""
    by_id: dict[int, RevisitRate] = {}
    agents: dict[int, RevisitRate] = {}
    for r in rows:
        rate = _rate(r)
        by_id[r["community_id"]] = by_id.get(r["community_id"], RevisitRate()) + rate
        if r["agent_id"] is not None:
            agent = int(r["agent_id"])
            agents[agent] = agents.get(agent, RevisitRate()) + rate
    names: dict[int, str] = dict((await conn.execute(select(Community.id, Community.name).where(
        Community.id.in_(list(by_id))))).all()) if by_id else {}
    communities = {names.get(cid, str(cid)): rate for cid, rate in by_id.items()}
    return RevisitRates(communities=communities, agents=agents)


async def revisit_rates(*, db: SessionFactory, period: Period, community_id: int | None = None,
                        agent_id: int | None = None) -> RevisitRates:
    """Return the 回访率 of the orders closed in the period (one community or agent, or all)."""
    stmt = _statement(_in(period.start, period.end))
    if community_id is not None:
        stmt = stmt.where(WorkOrder.community_id == community_id)
    if agent_id is not None:  # the credited agent's orders only (their /me, their summary)
        stmt = stmt.where(Survey.agent_id == agent_id)
    async with db() as s:
        conn = await s.connection()
        return await rates_of(conn, (await conn.execute(stmt)).mappings().all())


@dataclass(frozen=True)
class ClosedOrders:
    """Orders closed in a period: per credited agent of the scope, and the scope's 回访率.

    A community's agents are counted by the agent's community (their orders anywhere), its
    回访率 by the order's community (whoever was credited).
    """

    per_agent: dict[int, int]
    revisits: RevisitRates
