"""Whether a closed order repeats an earlier problem, and the alert on the third time.

A repeat problem (返修/重复) is an order of the same community, building, room and category
as an earlier order closed within `repeat_days` before it. Its `occurrence` counts the
orders of that unit and category in the window, itself included (2: the first repeat); the
order that reaches `repeat_alert_at` (3 by default: the third time) alerts the community's
managers through the outbox (`OutboxKind.REPEAT_PROBLEM`). Categories that do not repeat
(其他) and orders without a building and room are never repeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.categories import CategoryConfig
from surveys.complaints.alerts import managers_for
from surveys.models import WorkOrder
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.repeat_payloads import RepeatProblemPayload
from surveys.outbox.store import outbox_row

UnitKey = tuple[int, str, str, str]  # community id, building, room, category


def unit_key(values: dict[str, Any], config: CategoryConfig) -> UnitKey | None:
    """Return the key repeats are counted by, or None when the order cannot repeat."""
    category = config.get(values.get("category"))
    if category is None or not category.repeats:
        return None
    building, room = values.get("building"), values.get("room")
    if not building or not room:
        return None
    return (int(values["community_id"]), str(building), str(room), category.code)


@dataclass(frozen=True)
class Earlier:
    """An order of the same unit and category: when it closed, and its id."""

    closed_at: datetime
    id: int


def repeat_of(closed_at: datetime, earlier: Sequence[Earlier], days: float
              ) -> tuple[int, int | None]:
    """Return (occurrence, the latest earlier order's id) for an order closed at `closed_at`."""
    since = closed_at - timedelta(days=days)
    inside = [e for e in earlier if since <= e.closed_at <= closed_at]
    if not inside:
        return 1, None
    latest = max(inside, key=lambda e: (e.closed_at, e.id))
    return len(inside) + 1, latest.id


async def load_earlier(s: AsyncSession, keys: set[UnitKey], *, since: datetime,
                       until: datetime) -> dict[UnitKey, list[Earlier]]:
    """Read the orders of these units and categories closed between `since` and `until`."""
    if not keys:
        return {}
    rooms = {k[2] for k in keys}
    conn = await s.connection()
    rows = (await conn.execute(
        select(col(WorkOrder.id), col(WorkOrder.community_id), col(WorkOrder.building),
               col(WorkOrder.room), col(WorkOrder.category), col(WorkOrder.closed_at))
        .where(col(WorkOrder.community_id).in_({k[0] for k in keys}),
               col(WorkOrder.room).in_(rooms),
               col(WorkOrder.closed_at) >= since, col(WorkOrder.closed_at) <= until)
    )).all()
    found: dict[UnitKey, list[Earlier]] = {}
    for oid, community_id, building, room, category, closed_at in rows:
        key = (community_id, building or "", room or "", category or "")
        if key in keys and oid is not None and closed_at is not None:
            found.setdefault(key, []).append(Earlier(closed_at, oid))
    return found


async def alert_rows(s: AsyncSession, order: WorkOrder, *, config: CategoryConfig,
                     community_name: str) -> list[dict[str, Any]]:
    """Return the outbox rows alerting the community's managers, if the order calls for it."""
    if order.occurrence != config.repeat_alert_at or order.id is None:
        return []
    category = config.get(order.category)
    payload = RepeatProblemPayload(
        work_order_id=order.id, work_order_external_id=order.external_id,
        work_order_title=order.title, community_name=community_name,
        building=order.building or "", room=order.room or "",
        category=order.category or "", category_name=category.name if category else "",
        category_labels=dict(category.labels) if category else {},
        occurrence=order.occurrence, days=config.repeat_days)
    rows = []
    for manager in await managers_for(s, order.community_id):
        assert manager.chat_id is not None  # the query keeps bound managers only
        rows.append(outbox_row(
            kind=OutboxKind.REPEAT_PROBLEM, dedupe_key=f"repeat:{order.id}:m{manager.id}",
            chat_id=manager.chat_id,
            payload=payload.model_copy(update={"locale": manager.language}).to_json()))
    return rows


async def mark_repeat(s: AsyncSession, values: dict[str, Any], config: CategoryConfig) -> None:
    """Set a new work order row's `occurrence` and `repeat_of_id` from the orders before it."""
    key = unit_key(values, config)
    if key is None:
        return
    closed = values["closed_at"]
    earlier = await load_earlier(s, {key}, since=closed - timedelta(days=config.repeat_days),
                                 until=closed)
    values["occurrence"], values["repeat_of_id"] = repeat_of(
        closed, earlier.get(key, []), config.repeat_days)
