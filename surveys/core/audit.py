"""The audit log: who did what, when and why (appeal filings and decisions, among others)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import AuditLog


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_role: str
    actor_id: int | None
    action: str
    subject_kind: str
    subject_id: int | None
    detail: dict[str, Any]


def record(
    session: AsyncSession,
    *,
    actor_role: str,
    actor_id: int | None,
    action: str,
    subject_kind: str,
    subject_id: int | None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit entry inside the caller's transaction (it commits with the change)."""
    entry = AuditLog(
        at=clock.now(),
        actor_role=actor_role,
        actor_id=actor_id,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        detail=dict(detail or {}),
    )
    session.add(entry)
    return entry


async def list_entries(
    *,
    db: SessionFactory,
    subject_kind: str | None = None,
    subject_id: int | None = None,
    action: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Return audit entries, oldest first, optionally for one subject or action."""
    stmt = select(AuditLog)
    if subject_kind is not None:
        stmt = stmt.where(AuditLog.subject_kind == subject_kind)
    if subject_id is not None:
        stmt = stmt.where(AuditLog.subject_id == subject_id)
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    stmt = stmt.order_by(col(AuditLog.at), col(AuditLog.id)).limit(limit)
    async with db() as session:
        rows = (await session.exec(stmt)).all()
    return [
        AuditEntry(
            id=row.id or 0,
            at=row.at,
            actor_role=row.actor_role,
            actor_id=row.actor_id,
            action=row.action,
            subject_kind=row.subject_kind,
            subject_id=row.subject_id,
            detail=dict(row.detail or {}),
        )
        for row in rows
    ]
