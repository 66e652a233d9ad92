"""Late corrections: a closed period never changes; a later change to one agent's records in
it (an appeal voided after the close, a response or a complaint follow-up that arrived after
it, a work order of the period the property system reported only after it) becomes an
adjustment line in the next period that is still open.

delta = the closed period's total recomputed now (with the weights it was closed with, and
the adjustments carried into it) − its snapshot total − the deltas already carried from it.
Only agents whose own records changed after the close get a line (a colleague's voided
complaint moves the team rate a little, but that is no correction of anyone's record).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from scoring.points.model import compute_team
from surveys import models
from surveys.assessment.periods import AdjustmentLine
from surveys.assessment.reports import Extras
from surveys.assessment.reviews import review_stats
from surveys.assessment.stats import period_counts
from surveys.assessment.versions import by_id
from surveys.core.db import SessionFactory
from surveys.models import ClosedPeriod, PeriodAdjustment, SnapshotRow

Agent: Any = models.Agent
Appeal: Any = models.Appeal
Complaint: Any = models.Complaint
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder

MIN_DELTA = 0.05  # smaller differences are rounding, not corrections


async def late_changes(session: AsyncSession, closed: ClosedPeriod
                       ) -> dict[int, dict[str, set[int]]]:
    """Return, per agent, the records of a closed period that changed after its close.

    These are candidates only (a change at the very instant of the close is already in the
    snapshot, and then gives a delta of 0): the recomputed total decides.
    """
    conn = await session.connection()
    start, end, at = closed.start, closed.end, closed.closed_at
    out: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    in_period = and_(Complaint.opened_at >= start, Complaint.opened_at < end)
    rows = await conn.execute(
        select(Appeal.id, Complaint.agent_id).join(Complaint, Complaint.id == Appeal.complaint_id)
        .where(Appeal.decided_at >= at, Appeal.status == "voided", in_period))
    for appeal_id, agent_id in rows:
        out[agent_id]["appeals"].add(appeal_id)
    sent = and_(Survey.sent_at >= start, Survey.sent_at < end)
    rows = await conn.execute(
        select(Appeal.id, Survey.agent_id).join(Response, Response.id == Appeal.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Appeal.decided_at >= at, Appeal.status == "voided", sent))
    for appeal_id, agent_id in rows:
        out[agent_id]["appeals"].add(appeal_id)
    rows = await conn.execute(
        select(Response.id, Survey.agent_id).join(Survey, Survey.id == Response.survey_id)
        .where(Response.submitted_at >= at, sent))
    for response_id, agent_id in rows:
        out[agent_id]["responses"].add(response_id)
    rows = await conn.execute(
        select(Complaint.id, Complaint.agent_id).where(
            in_period, or_(Complaint.resolved_at >= at, Complaint.closed_at >= at,
                           Complaint.acknowledged_at >= at)))
    for complaint_id, agent_id in rows:
        out[agent_id]["complaints"].add(complaint_id)
    # Closed orders (workload, complaint rate) count by closing time: an order of the period
    # recorded after the close (a late CSV import) was never in the snapshot.
    rows = await conn.execute(
        select(WorkOrder.id, Survey.agent_id).join(Survey, Survey.work_order_id == WorkOrder.id)
        .where(WorkOrder.closed_at >= start, WorkOrder.closed_at < end,
               WorkOrder.created_at >= at))
    for order_id, agent_id in rows:
        out[agent_id]["work_orders"].add(order_id)
    out.pop(None, None)  # type: ignore[call-overload]
    return out


async def _external_ids(session: AsyncSession, changes: dict[int, dict[str, set[int]]]
                        ) -> dict[int, str]:
    ids = {i for why in changes.values() for i in why["work_orders"]}
    if not ids:
        return {}
    conn = await session.connection()
    rows = await conn.execute(select(WorkOrder.id, WorkOrder.external_id)
                              .where(WorkOrder.id.in_(sorted(ids))))
    return {int(order_id): str(external) for order_id, external in rows}


async def carried_into(session: AsyncSession, period_id: int) -> dict[int, float]:
    """Sum the adjustments a closed period carried into its own totals, per agent."""
    rows = (await session.exec(select(PeriodAdjustment).where(
        PeriodAdjustment.period_id == period_id))).all()
    out: dict[int, float] = defaultdict(float)
    for row in rows:
        out[row.agent_id] += row.delta
    return out


async def _already(session: AsyncSession, source_id: int) -> dict[int, float]:
    rows = (await session.exec(select(PeriodAdjustment).where(
        PeriodAdjustment.source_period_id == source_id))).all()
    out: dict[int, float] = defaultdict(float)
    for row in rows:
        out[row.agent_id] += row.delta
    return out


async def _snapshot_totals(session: AsyncSession, period_id: int, scope: int
                           ) -> dict[int, float | None]:
    rows = (await session.exec(select(SnapshotRow).where(
        SnapshotRow.period_id == period_id, SnapshotRow.scope == scope))).all()
    return {row.agent_id: row.total for row in rows}


async def _lines_for(db: SessionFactory, closed: ClosedPeriod, now: datetime
                     ) -> list[AdjustmentLine]:
    assert closed.id is not None
    version = await by_id(db=db, version_id=closed.config_version_id)
    config = version.config
    async with db() as session, session.begin():
        changes = await late_changes(session, closed)
        if not changes:
            return []
        carried = await carried_into(session, closed.id)
        already = await _already(session, closed.id)
        reviews = await review_stats(session, period_label=closed.label,
                                     criteria=config.review.criteria)
        conn = await session.connection()
        scopes = dict((await conn.execute(select(Agent.id, Agent.community_id).where(
            Agent.id.in_(list(changes))))).all())
        orders = await _external_ids(session, changes)
        lines = []
        for scope in sorted({c or 0 for c in scopes.values()}):
            stats = (await period_counts(
                session, start=closed.start, end=closed.end, as_of=now,
                csat_min_rating=config.csat_min_rating, community_id=scope or None,
                staff_split=config.staff_entered_weight != 1.0)).stats
            stats = Extras(adjustments=dict(carried), reviews=reviews).apply(stats)
            live = {p.agent_id: p.total for p in compute_team(stats, config)[1]}
            snap = await _snapshot_totals(session, closed.id, scope)
            for agent_id, community in sorted(scopes.items()):
                if (community or 0) != scope:
                    continue
                now_total, was = live.get(agent_id), snap.get(agent_id)
                if now_total is None or was is None:
                    continue
                delta = now_total - was - already.get(agent_id, 0.0)
                if abs(delta) >= MIN_DELTA:
                    why = changes[agent_id]
                    lines.append(AdjustmentLine(
                        agent_id=agent_id, source_label=closed.label, delta=delta,
                        appeals=tuple(sorted(why["appeals"])),
                        responses=tuple(sorted(why["responses"])),
                        complaints=tuple(sorted(why["complaints"])),
                        work_orders=tuple(sorted(orders[i] for i in why["work_orders"]))))
    return lines


async def pending(*, db: SessionFactory, target: Period, lookback: int, now: datetime
                  ) -> list[AdjustmentLine]:
    """Return the corrections of the closed periods before `target` not carried yet."""
    async with db() as session:
        closed = list((await session.exec(
            select(ClosedPeriod).where(col(ClosedPeriod.end) <= target.start)
            .order_by(col(ClosedPeriod.end).desc()).limit(lookback)
        )).all())
    lines: list[AdjustmentLine] = []
    for row in closed:
        lines += await _lines_for(db, row, now)
    return lines


def by_agent(lines: list[AdjustmentLine]) -> dict[int, list[AdjustmentLine]]:
    """Group adjustment lines by agent."""
    out: dict[int, list[AdjustmentLine]] = defaultdict(list)
    for line in lines:
        out[line.agent_id].append(line)
    return dict(out)
