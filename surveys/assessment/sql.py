"""What the SQL aggregation of the points shares (surveys.assessment.stats).

The mapped classes typed for expressions, counting, scoping to a community, rows by label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func
from sqlalchemy.ext.asyncio import AsyncConnection

from surveys import models

# The mapped classes typed as Any: SQLModel's attribute types confuse mypy in SQL expressions.
Agent: Any = models.Agent
Complaint: Any = models.Complaint
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder


def as_int(value: Any) -> int:
    """Return a SQL count or sum as an int (NULL, from an empty group, as 0)."""
    return int(value or 0)


def count_if(condition: ColumnElement[bool]) -> Any:
    """Count the rows of a group where `condition` holds (0 for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def scoped(stmt: Select[Any], agent_col: Any, community_id: int | None) -> Select[Any]:
    """Keep rows credited to an agent, of the community's agents when one is given."""
    stmt = stmt.where(agent_col.is_not(None))
    if community_id is not None:
        stmt = stmt.join(Agent, Agent.id == agent_col).where(Agent.community_id == community_id)
    return stmt


async def mapped_rows(conn: AsyncConnection, stmt: Select[Any]) -> list[Any]:
    """Run the statement and return its rows as mappings by label."""
    return list((await conn.execute(stmt)).mappings())


def column_sums(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Sum each named column over the rows."""
    return {c: sum(as_int(r[c]) for r in rows) for c in columns}
