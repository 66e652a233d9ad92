"""Objective timeliness of a period: one lean query streamed into `scoring.timeliness`.

The orders closed in the period with an opening time: their credited agent (the survey's),
urgency, category, and the two durations in hours, computed by the database
(`hours_between`: julianday on SQLite, EXTRACT(EPOCH …) on PostgreSQL). Rows are read in pages
into packed per-cell arrays; numpy takes the percentiles, so SQLite and PostgreSQL give the same
figures (they share no percentile function). Grouped by category code ("" for orders closed
before categories existed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from scoring.periods import Period
from scoring.timeliness import Collector, Norm, TimelinessReport
from surveys import models
from surveys.core.db import SessionFactory

Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder
PAGE_ROWS = 50_000


class hours_between(FunctionElement[float]):  # lower case: it reads like the SQL it emits
    """Hours from the first timestamp to the second, computed by the database."""

    type = Float()
    name = "hours_between"
    inherit_cache = True


@compiles(hours_between)
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


def _hours(value: Any) -> float | None:
    # Rounded to the millisecond: julianday's float noise must not push 2 h past a 2 h norm.
    return None if value is None else round(float(value), 6)


async def order_timeliness(*, db: SessionFactory, period: Period,
                           community_id: int | None = None, norm: Norm | None = None
                           ) -> TimelinessReport:
    """Return response and resolution times of the orders closed in the period."""
    stmt = (
        select(WorkOrder.id, Survey.agent_id, WorkOrder.category, WorkOrder.urgency,
               hours_between(WorkOrder.opened_at, WorkOrder.first_action_at),
               hours_between(WorkOrder.opened_at, WorkOrder.closed_at))
        .select_from(WorkOrder)
        .join(Survey, Survey.work_order_id == WorkOrder.id)
        .where(WorkOrder.closed_at >= period.start, WorkOrder.closed_at < period.end,
               WorkOrder.opened_at.is_not(None), WorkOrder.closed_at >= WorkOrder.opened_at)
    )
    if community_id is not None:
        stmt = stmt.where(WorkOrder.community_id == community_id)
    urgent = models.Urgency.URGENT.value
    times = Collector()
    after = 0
    async with db() as s:
        conn = await s.connection()
        # Pages by id (keyset): memory stays one page, and plain fetches are about half the
        # CPU of a streamed cursor on aiosqlite (measured, bench/timeliness.py).
        while True:
            page = (await conn.execute(stmt.where(WorkOrder.id > after)
                                       .order_by(WorkOrder.id).limit(PAGE_ROWS))).all()
            for _id, agent_id, category, urgency, response, resolution in page:
                times.add(agent_id=agent_id, group=category or "", urgent=urgency == urgent,
                          response_hours=_hours(response),
                          resolution_hours=_hours(resolution) or 0.0)
            if len(page) < PAGE_ROWS:
                return times.report(norm)
            after = page[-1][0]
