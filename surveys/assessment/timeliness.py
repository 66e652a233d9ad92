"""Objective timeliness of a period: one lean query, percentiles in Python (`scoring.timeliness`).

The orders closed in the period with an opening time, with their credited agent (the
survey's), urgency, category and first action. Percentiles are computed in Python so SQLite
and PostgreSQL give the same figures (neither shares a percentile function with the other).
Grouped by category code ("" for orders closed before categories existed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from scoring.periods import Period
from scoring.timeliness import Norm, OrderTimes, TimelinessReport, timeliness
from surveys import models
from surveys.core.db import SessionFactory

Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder


async def order_timeliness(*, db: SessionFactory, period: Period,
                           community_id: int | None = None, norm: Norm | None = None
                           ) -> TimelinessReport:
    """Return response and resolution times of the orders closed in the period."""
    stmt = (
        select(Survey.agent_id, WorkOrder.category, WorkOrder.urgency, WorkOrder.opened_at,
               WorkOrder.first_action_at, WorkOrder.closed_at)
        .select_from(WorkOrder)
        .join(Survey, Survey.work_order_id == WorkOrder.id)
        .where(WorkOrder.closed_at >= period.start, WorkOrder.closed_at < period.end,
               WorkOrder.opened_at.is_not(None))
    )
    if community_id is not None:
        stmt = stmt.where(WorkOrder.community_id == community_id)
    async with db() as s:
        rows = (await (await s.connection()).execute(stmt)).all()
    orders = [
        OrderTimes(agent_id=agent_id, group=category or "",
                   urgent=urgency == models.Urgency.URGENT, opened_at=opened,
                   first_action_at=first, closed_at=closed)
        for agent_id, category, urgency, opened, first, closed in rows
        if closed >= opened  # the intake refuses the opposite; a hand-edited row stays out
    ]
    return timeliness(orders, norm=norm, grouped_by="category")
