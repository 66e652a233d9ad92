"""Objective timeliness of a period: one lean query streamed into `scoring.timeliness`.

The orders closed in the period with an opening time: their credited agent (the survey's),
urgency, category, and the two durations in hours, computed by the database
(`hours_between`: julianday on SQLite, EXTRACT(EPOCH …) on PostgreSQL). Rows are read in pages
into packed per-cell arrays; numpy takes the percentiles, so SQLite and PostgreSQL give the same
figures (they share no percentile function). Grouped by category code ("" for orders closed
before categories existed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Float, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from scoring.periods import Period
from scoring.timeliness import Collector, Norm, TimelinessReport
from surveys import models
from surveys.core.db import SessionFactory
from surveys.core.gcpause import gc_paused

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


def _hours(values: Sequence[Any]) -> np.ndarray:
    """Durations as floats rounded to the millisecond (NaN where there is none).

    Rounded exactly as Python's `round(x, 6)` (julianday's float noise must not push 2 h past
    a 2 h norm), without a Python call per value: see `round6`.
    """
    return round6(np.array(values, dtype=float))  # None -> NaN; PostgreSQL's numeric -> float


def round6(data: np.ndarray) -> np.ndarray:
    """Return `round(x, 6)` of each value, bit for bit, computed by numpy.

    `round` takes the integer k nearest to the exact x·10⁶ (ties to even) and returns the
    double nearest to k / 10⁶. numpy's product x * 1e6 is off the exact one by at most half
    a unit in its last place, so `rint` finds the same k unless that product lies within a
    few units of a tie; those few values go through `round` itself. k / 1e6 divides two
    exact doubles, which IEEE rounds to the nearest, as `round` does.
    """
    scaled = data * 1e6
    with np.errstate(invalid="ignore"):  # NaN (no duration) stays NaN and is never near
        near_tie = np.abs(scaled - np.floor(scaled) - 0.5) <= 4 * np.spacing(np.abs(scaled))
    out = np.rint(scaled) / 1e6
    if near_tie.any():
        where = np.flatnonzero(near_tie)
        out[where] = [round(x, 6) for x in data[where].tolist()]
    return out


async def order_timeliness(*, db: SessionFactory, period: Period,
                           community_id: int | None = None, norm: Norm | None = None
                           ) -> TimelinessReport:
    """Return response and resolution times of the orders closed in the period."""
    in_period = [WorkOrder.closed_at >= period.start, WorkOrder.closed_at < period.end]
    if community_id is not None:
        in_period.append(WorkOrder.community_id == community_id)
    stmt = (
        select(WorkOrder.id, Survey.agent_id, WorkOrder.category, WorkOrder.urgency,
               hours_between(WorkOrder.opened_at, WorkOrder.first_action_at),
               hours_between(WorkOrder.opened_at, WorkOrder.closed_at))
        .select_from(WorkOrder)
        .join(Survey, Survey.work_order_id == WorkOrder.id)
        .where(*in_period, WorkOrder.opened_at.is_not(None),
               WorkOrder.closed_at >= WorkOrder.opened_at)
        .order_by(WorkOrder.id).limit(PAGE_ROWS)
    )
    urgent = models.Urgency.URGENT.value
    times = Collector()
    with gc_paused():
        async with db() as s:
            conn = await s.connection()
            # Pages by id within the ids of the period's orders (orders arrive when closed, so
            # that range is about the period's): the index ix_work_order_timeliness alone answers,
            # survey rows are probed in order, and earlier history is never read.
            lowest, highest = (await conn.execute(
                select(func.min(WorkOrder.id), func.max(WorkOrder.id)).where(*in_period))).one()
            after = (lowest or 0) - 1
            while highest is not None:
                page = (await conn.execute(stmt.where(WorkOrder.id > after,
                                                      WorkOrder.id <= highest))).all()
                if page:
                    times.add_columns(
                        agent_ids=[r[1] for r in page], groups=[r[2] or "" for r in page],
                        urgent=[r[3] == urgent for r in page],
                        response_hours=_hours([r[4] for r in page]),
                        resolution_hours=np.nan_to_num(_hours([r[5] for r in page])))
                if len(page) < PAGE_ROWS:
                    break
                after = page[-1][0]
    return times.report(norm)
