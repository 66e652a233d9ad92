"""CSV import of closed work orders: streamed, in batches, every bad row reported by line.

Columns (header row required, any order, extra columns ignored): external_id,
community_code, owner_name, owner_phone, agent_external_id, and optionally building, room,
agent_name, kind, urgency, title, category (a code or name of the company's list; empty:
inferred from the title; unknown: the row is refused), opened_at, closed_at, first_action_at
(between the two). Encodings: see `surveys.intake.table`.
Each order is closed with `close_work_order`'s rules (`surveys.intake.batch`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scoring.categories import CategoryConfig
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.intake.batch import Outcome, close_work_orders
from surveys.intake.categories import DEFAULT_CATEGORIES
from surveys.intake.importer import BATCH_ROWS, Hooks, ImportReport, cell, import_file
from surveys.intake.order_in import WorkOrderIn

log = logging.getLogger(__name__)

REQUIRED = ("external_id", "community_code", "owner_name", "owner_phone", "agent_external_id")
OPTIONAL = ("building", "room", "agent_name", "kind", "urgency", "title", "category",
            "opened_at", "closed_at", "first_action_at")


def row_to_order(cells: dict[str, str]) -> WorkOrderIn:
    """Validate one row as a closed work order (raises pydantic's ValidationError)."""
    body: dict[str, Any] = {
        "external_id": cell(cells, "external_id") or "",
        "community_code": cell(cells, "community_code") or "",
        "owner": {"name": cell(cells, "owner_name") or "",
                  "phone": cell(cells, "owner_phone") or "",
                  "building": cell(cells, "building"), "room": cell(cells, "room")},
        "agent_external_id": cell(cells, "agent_external_id") or "",
    }
    for name in ("agent_name", "kind", "urgency", "title", "category", "opened_at", "closed_at",
                 "first_action_at"):
        if cell(cells, name) is not None:
            body[name] = cell(cells, name)
    return WorkOrderIn.model_validate(body)


def order_column(loc: tuple[str | int, ...]) -> str:
    """Name the CSV column a validation error is about (owner.phone -> owner_phone)."""
    where = "_".join(str(p) for p in loc)
    return where or "closed_at"  # the one check across fields: closed_at before opened_at


async def import_orders_csv(
    *, db: SessionFactory, path: str | Path, survey_config: SurveyConfig,
    hooks: Hooks | None = None, batch_rows: int = BATCH_ROWS,
    categories: CategoryConfig = DEFAULT_CATEGORIES,
    courtesy: CourtesyConfig | None = None,
) -> ImportReport:
    """Import closed work orders from a CSV file; never stop at a bad row."""

    async def write(orders: Sequence[WorkOrderIn]) -> list[Outcome]:
        return await close_work_orders(db=db, orders=orders, survey_config=survey_config,
                                       categories=categories, courtesy=courtesy)

    return await import_file(
        path, required=REQUIRED, what="work orders", parse=row_to_order,
        key=lambda c: cell(c, "external_id") or "", write=write, columns=order_column,
        hooks=hooks or Hooks(), batch_rows=batch_rows)
