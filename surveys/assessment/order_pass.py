"""One pass over the orders closed in a period, for every live section that counts them.

The open month's report counts the same orders three times over: their response and
resolution times (`timeliness`), their surveys per credited agent with the 回访率
(`revisit_rates.closed_orders`, beside the points) and their number and repeats by category,
building and agent (`breakdowns`). This reads them once — in pages by id from the covering
index `ix_work_order_month_pass`, with the survey's credited agent and whether it has a
counted response — and counts each section from the same columns in numpy
(bench/report_month.py: one scan instead of three, each with its own GROUP BY sort).

The rules are the sections' own: times and closed orders count orders with a survey (times
also need an opening time no later than the closing); the views count every order; a
community's scope is the order's community, except the closed orders per agent, which go by
the agent's community (their orders anywhere).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Any

import numpy as np
from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.periods import Period
from scoring.timeliness import Collector, Norm, TimelinessReport
from surveys import models
from surveys.assessment.breakdowns import GroupKey
from surveys.assessment.revisit_rates import ClosedOrders, rates_of
from surveys.assessment.timeliness import hours, hours_between
from surveys.core.db import SessionFactory
from surveys.core.gcpause import gc_paused

Agent: Any = models.Agent
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder
PAGE_ROWS = 50_000

# Bits of an order's `flags` column (one integer instead of five columns to transfer).
SURVEYED, ANSWERED, COMPLAINT, REPEAT, URGENT = 1, 2, 4, 8, 16



@dataclass(frozen=True)
class OrderPass:
    """What one pass over a period's closed orders counted, for each section."""

    times: TimelinessReport  # response and resolution times
    closed: ClosedOrders  # surveys of closed orders per agent, and the 回访率
    groups: dict[GroupKey, tuple[int, int]]  # orders and repeats per group (the views)


def _bit(condition: Any, value: int) -> Any:
    return case((condition, value), else_=0)


def _statement(start: datetime, end: datetime, community_id: int | None) -> Any:
    surveyed = Survey.id.is_not(None)
    timed = and_(surveyed, WorkOrder.opened_at.is_not(None),
                 WorkOrder.closed_at >= WorkOrder.opened_at)
    flags = (_bit(surveyed, SURVEYED) + _bit(Response.id.is_not(None), ANSWERED)
             + _bit(WorkOrder.kind == models.WorkOrderKind.COMPLAINT, COMPLAINT)
             + _bit(WorkOrder.occurrence > 1, REPEAT)
             + _bit(WorkOrder.urgency == models.Urgency.URGENT, URGENT))
    stmt = (
        # Agents as integers (0: none; ids start at 1), so numpy reads them without a check.
        select(WorkOrder.id, func.coalesce(Survey.agent_id, 0), WorkOrder.category,
               WorkOrder.building, func.coalesce(WorkOrder.agent_id, 0),
               WorkOrder.community_id, flags,
               hours_between(WorkOrder.opened_at, WorkOrder.first_action_at),
               # NULL where the order has no time to count: one column carries the filter.
               case((timed, hours_between(WorkOrder.opened_at, WorkOrder.closed_at))))
        .select_from(WorkOrder)
        .outerjoin(Survey, Survey.work_order_id == WorkOrder.id)
        .outerjoin(Response, and_(Response.survey_id == Survey.id, Response.voided == false(),
                                  Response.submitted_at.is_not(None)))
        .where(WorkOrder.closed_at >= start, WorkOrder.closed_at < end)
        .order_by(WorkOrder.id).limit(PAGE_ROWS)
    )
    if community_id is not None:
        # The agent's own community counts their closed orders made anywhere.
        stmt = stmt.where(or_(WorkOrder.community_id == community_id, Survey.agent_id.in_(
            select(Agent.id).where(Agent.community_id == community_id))))
    return stmt


class _Codes:
    """Dense integer codes of a text column's values (None is a value of its own)."""

    def __init__(self) -> None:
        self.values: list[str | None] = []
        self._dense: dict[int, int] = {}
        self._first: dict[str | None, int] = {}
        self._count = count()

    def of(self, column: Sequence[str | None]) -> np.ndarray:
        # A value's running number (a C-level map, no Python call per order), made dense
        # through the page's few distinct numbers.
        raw = np.fromiter(map(self._first.setdefault, column, self._count), dtype=np.int64,
                          count=len(column))
        distinct, inverse = np.unique(raw, return_inverse=True)
        by_value = {v: k for k, v in self._first.items()}
        dense = np.array([self._code(int(d), by_value) for d in distinct], dtype=np.int64)
        return dense[inverse]

    def _code(self, raw: int, by_value: dict[int, str | None]) -> int:
        if raw not in self._dense:
            self._dense[raw] = len(self.values)
            self.values.append(by_value[raw])
        return self._dense[raw]


class _Columns:
    """The pages' columns as integer arrays, joined once."""

    NAMES = ("survey_agent", "category", "building", "order_agent", "community", "flags")

    def __init__(self) -> None:
        self.categories, self.buildings = _Codes(), _Codes()
        self._parts: dict[str, list[np.ndarray]] = {n: [] for n in (*self.NAMES, "response",
                                                                   "resolution")}

    def add(self, page: Sequence[Sequence[Any]]) -> None:
        cols = list(zip(*page, strict=True))
        part = self._parts
        part["survey_agent"].append(np.array(cols[1], dtype=np.int64))
        part["category"].append(self.categories.of(cols[2]))
        part["building"].append(self.buildings.of(cols[3]))
        part["order_agent"].append(np.array(cols[4], dtype=np.int64))
        part["community"].append(np.array(cols[5], dtype=np.int64))
        part["flags"].append(np.array(cols[6], dtype=np.int64))
        part["response"].append(hours(cols[7]))
        part["resolution"].append(hours(cols[8]))  # None -> NaN: no time to count

    def joined(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
                for name, parts in self._parts.items()}


def _keyed(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct key in the order of its first row, and each row's number among them."""
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return distinct[order], rank[inverse.reshape(-1)]


def _sums(key: np.ndarray, weights: dict[str, np.ndarray]
          ) -> Iterator[tuple[int, dict[str, int]]]:
    """Each distinct key's sum of each weight."""
    distinct, codes = _keyed(key)
    totals = {name: np.bincount(codes, weights=w, minlength=len(distinct)).astype(np.int64)
              for name, w in weights.items()}
    for i, k in enumerate(distinct.tolist()):
        yield k, {name: int(t[i]) for name, t in totals.items()}


def _times(c: dict[str, np.ndarray], in_scope: np.ndarray, categories: _Codes,
           norm: Norm | None) -> TimelinessReport:
    times = Collector()
    timed = ~np.isnan(c["resolution"]) & in_scope
    if timed.any():
        n_cat = len(categories.values)
        urgent = (c["flags"][timed] & URGENT) != 0
        distinct, codes = _keyed((c["survey_agent"][timed] * n_cat + c["category"][timed]) * 2
                                 + urgent)
        keys = [(k // (2 * n_cat) or None, categories.values[k // 2 % n_cat] or "", bool(k % 2))
                for k in distinct.tolist()]
        times.add_coded(keys=keys, codes=codes, response_hours=c["response"][timed],
                        resolution_hours=c["resolution"][timed])
    return times.report(norm)


async def _closed(conn: AsyncConnection, c: dict[str, np.ndarray], community_id: int | None
                  ) -> ClosedOrders:
    flags = c["flags"]
    surveyed = (flags & SURVEYED) != 0
    answered = surveyed & ((flags & ANSWERED) != 0)
    complaint = surveyed & ((flags & COMPLAINT) != 0)
    weights = {"closed": surveyed, "answered": answered, "complaint_closed": complaint,
               "complaint_answered": complaint & answered}
    width = int(c["survey_agent"].max()) + 1 if len(flags) else 1
    per_agent: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    sums = [(k // width, k % width or None, s)
            for k, s in _sums(c["community"] * width + c["survey_agent"], weights)]
    homes = await _homes(conn, community_id, {a for _, a, _ in sums if a is not None})
    for community, agent, counted in sums:
        if not counted["closed"]:
            continue
        if agent is not None and (community_id is None or homes.get(agent) == community_id):
            per_agent[agent] = per_agent.get(agent, 0) + counted["closed"]
        if community_id is None or community == community_id:
            rows.append({"community_id": community, "agent_id": agent, **counted})
    return ClosedOrders(per_agent=per_agent, revisits=await rates_of(conn, rows))


async def _homes(conn: AsyncConnection, community_id: int | None, agents: set[int]
                 ) -> dict[int, int | None]:
    if community_id is None or not agents:
        return {}
    return dict((await conn.execute(select(Agent.id, Agent.community_id).where(
        Agent.id.in_(list(agents))))).all())


def _groups(c: dict[str, np.ndarray], in_scope: np.ndarray, columns: _Columns
            ) -> dict[GroupKey, tuple[int, int]]:
    n_bld = len(columns.buildings.values)
    width = int(c["order_agent"].max()) + 1 if len(in_scope) else 1
    key = (c["category"] * n_bld + c["building"]) * width + c["order_agent"]
    weights = {"orders": in_scope, "repeats": in_scope & ((c["flags"] & REPEAT) != 0)}
    out: dict[GroupKey, tuple[int, int]] = {}
    for k, counted in _sums(key, weights):
        if counted["orders"]:
            group = k // width
            out[(columns.categories.values[group // n_bld],
                 columns.buildings.values[group % n_bld], k % width or None)] = (
                counted["orders"], counted["repeats"])
    return out


async def order_pass(conn: AsyncConnection, *, start: datetime, end: datetime,
                     community_id: int | None = None, norm: Norm | None = None) -> OrderPass:
    """Read the orders closed in [start, end) once and count every section's figures."""
    stmt = _statement(start, end, community_id)
    columns = _Columns()
    with gc_paused():
        in_period = [WorkOrder.closed_at >= start, WorkOrder.closed_at < end]
        # Pages by id within the ids of the period's orders (orders arrive when closed): the
        # covering index answers, surveys and responses are probed in order.
        lowest, highest = (await conn.execute(
            select(func.min(WorkOrder.id), func.max(WorkOrder.id)).where(*in_period))).one()
        after = (lowest or 0) - 1
        while highest is not None:
            page = (await conn.execute(stmt.where(WorkOrder.id > after,
                                                  WorkOrder.id <= highest))).all()
            if page:
                columns.add(page)
            if len(page) < PAGE_ROWS:
                break
            after = page[-1][0]
        c = columns.joined()
        in_scope = (np.ones(len(c["flags"]), dtype=bool) if community_id is None
                    else c["community"] == community_id)
        return OrderPass(times=_times(c, in_scope, columns.categories, norm),
                         closed=await _closed(conn, c, community_id),
                         groups=_groups(c, in_scope, columns))


async def month_orders(*, db: SessionFactory, period: Period, community_id: int | None = None,
                       norm: Norm | None = None) -> OrderPass:
    """Count the period's closed orders for every live section (one community, or all)."""
    async with db() as s:
        return await order_pass(await s.connection(), start=period.start, end=period.end,
                                community_id=community_id, norm=norm)


async def order_timeliness(*, db: SessionFactory, period: Period,
                           community_id: int | None = None, norm: Norm | None = None
                           ) -> TimelinessReport:
    """Return response and resolution times of the orders closed in the period."""
    return (await month_orders(db=db, period=period, community_id=community_id,
                               norm=norm)).times
