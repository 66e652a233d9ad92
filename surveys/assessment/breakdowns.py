"""A period's work orders by category, by building and by agent (GROUP BY in SQL).

Orders count when closed in the period, responses when their survey was sent in it,
complaints when opened in it (voided ones left out); a community's view reads its own work
orders (a complaint without a work order: its owner's building, no category). A repeat is
counted for the building and category of the order that repeats, and for the agent of the
earlier order it repeats (the fix that did not last).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from scoring.reports.groups import Breakdowns, GroupRow, natural
from surveys import models
from surveys.core.db import SessionFactory

Agent: Any = models.Agent
Complaint: Any = models.Complaint
Owner: Any = models.Owner
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder

Key = tuple[str, str]  # category, building
GroupKey = tuple[str | None, str | None, int | None]  # category, building, the order's agent


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _scoped(stmt: Select[Any], community_id: int | None) -> Select[Any]:
    return stmt if community_id is None else stmt.where(WorkOrder.community_id == community_id)


def _key(category: str | None, building: str | None) -> Key:
    return category or "", building or ""


async def _order_groups(conn: AsyncConnection, start: datetime, end: datetime,
                        community_id: int | None) -> dict[GroupKey, tuple[int, int]]:
    orders = _scoped(select(
        WorkOrder.category, WorkOrder.building, WorkOrder.agent_id,
        func.count().label("orders"), _count_if(WorkOrder.occurrence > 1).label("repeats"),
    ).where(_in(WorkOrder.closed_at, start, end)), community_id).group_by(
        WorkOrder.category, WorkOrder.building, WorkOrder.agent_id)
    return {(r.category, r.building, r.agent_id): (r.orders, r.repeats)
            for r in await conn.execute(orders)}


async def load_breakdowns(*, db: SessionFactory, start: datetime, end: datetime,
                          community_id: int | None = None, category_order: Iterable[str] = (),
                          orders: dict[GroupKey, tuple[int, int]] | None = None) -> Breakdowns:
    """Group a period's orders, repeats, responses and complaints by category and building.

    `orders`: the orders and repeats per group when the caller counted them already
    (`order_pass.OrderPass.groups`, same scope); else they are counted here.
    """
    cells: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    agents: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    async with db() as session, session.begin():
        conn = await session.connection()
        if orders is None:
            orders = await _order_groups(conn, start, end, community_id)
        for (category, building, agent_id), (n, repeats) in orders.items():
            cell = cells[_key(category, building)]
            cell["orders"] += n
            cell["repeats"] += repeats
            if agent_id is not None:
                agents[agent_id]["orders"] += n
        earlier = aliased(WorkOrder)
        repeated = _scoped(select(earlier.agent_id, func.count().label("n"))
                           .select_from(WorkOrder)
                           .join(earlier, earlier.id == WorkOrder.repeat_of_id)
                           .where(_in(WorkOrder.closed_at, start, end)),
                           community_id).group_by(earlier.agent_id)
        for row in (await conn.execute(repeated)).mappings():
            if row["agent_id"] is not None:
                agents[row["agent_id"]]["repeats"] += row["n"]
        rated = _scoped(select(
            WorkOrder.category, WorkOrder.building, func.count().label("responses"),
            func.coalesce(func.sum(Response.overall), 0).label("overall_sum"),
        ).select_from(Survey).join(WorkOrder, WorkOrder.id == Survey.work_order_id)
            .join(Response, and_(Response.survey_id == Survey.id, Response.voided.is_(False),
                                 Response.submitted_at.is_not(None),
                                 Response.overall.is_not(None)))
            .where(_in(Survey.sent_at, start, end)), community_id).group_by(
            WorkOrder.category, WorkOrder.building)
        for row in (await conn.execute(rated)).mappings():
            cell = cells[_key(row["category"], row["building"])]
            cell["responses"] += row["responses"]
            cell["overall_sum"] += row["overall_sum"]
        complaints = select(
            WorkOrder.category, func.coalesce(WorkOrder.building, Owner.building).label("b"),
            func.count().label("n"),
        ).select_from(Complaint).join(Owner, Owner.id == Complaint.owner_id).join(
            WorkOrder, WorkOrder.id == Complaint.work_order_id, isouter=True,
        ).where(_in(Complaint.opened_at, start, end), Complaint.voided.is_(False))
        if community_id is not None:
            complaints = complaints.where(Owner.community_id == community_id)
        matrix: dict[tuple[str, str], int] = {}
        for row in (await conn.execute(complaints.group_by(WorkOrder.category, "b"))).mappings():
            category, building = _key(row["category"], row["b"])
            cells[(category, building)]["complaints"] += row["n"]
            matrix[(building, category)] = matrix.get((building, category), 0) + row["n"]
        names: dict[int, str] = {r.id: r.name for r in await conn.execute(
            select(Agent.id, Agent.name).where(Agent.id.in_(list(agents))))}
    return Breakdowns(
        by_category=_grouped(cells, 0, list(category_order)),
        by_building=_grouped(cells, 1, []),
        by_agent=sorted((GroupRow(key=names.get(a, str(a)), orders=v["orders"],
                                  repeats=v["repeats"]) for a, v in agents.items()),
                        key=lambda r: (-(r.repeat_rate or 0), -r.orders, r.key)),
        complaints=matrix)


def _grouped(cells: dict[Key, dict[str, int]], part: int, order: list[str]) -> list[GroupRow]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, values in cells.items():
        for name, n in values.items():
            sums[key[part]][name] += n
    return sort_groups([GroupRow(key=k, **v) for k, v in sums.items()], order)


def sort_groups(rows: list[GroupRow], order: list[str]) -> list[GroupRow]:
    """Sort rows in the given order of keys (any other key after them), else naturally."""
    if order:  # categories in the company's order, any unlisted code after them
        return sorted(rows, key=lambda r: (order.index(r.key) if r.key in order else len(order),
                                           r.key))
    return sorted(rows, key=lambda r: natural(r.key))
