"""Listing and reading complaints: an agent sees their own, a manager their communities'."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import load_context
from surveys.complaints.handling import owners_open_complaint
from surveys.complaints.reach import owners_complaint
from surveys.complaints.views import ComplaintView, agent_by_telegram, build_view, load_messages
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.models import Complaint, Manager
from surveys.people.scope import complaint_in_community

# Complaints still being handled or awaiting the owner's answer (escalated ones included).
OPEN_STATUSES = ("open", "acknowledged", "escalated", "resolved", "follow_up")


async def _viewer_filter(session: AsyncSession, telegram_user_id: int) -> list[object]:
    manager = (
        await session.exec(select(Manager).where(Manager.telegram_user_id == telegram_user_id))
    ).first()
    if manager is not None and manager.active:
        if manager.community_id is None:
            return []
        return [complaint_in_community(manager.community_id)]
    agent = await agent_by_telegram(session, telegram_user_id)
    return [Complaint.agent_id == agent.id]


async def list_complaints(
    *,
    db: SessionFactory,
    viewer_telegram_user_id: int,
    status: str | Sequence[str] | None = None,
    overdue_only: bool = False,
    limit: int = 50,
) -> list[ComplaintView]:
    """List complaints newest first: an agent sees their own, a manager their communities'."""
    statuses = [status] if isinstance(status, str) else list(status or [])
    async with db() as s:
        conditions = await _viewer_filter(s, viewer_telegram_user_id)
        stmt = select(Complaint).where(*conditions)  # type: ignore[arg-type]
        if statuses:
            stmt = stmt.where(col(Complaint.status).in_(statuses))
        if overdue_only:
            stmt = stmt.where(
                col(Complaint.acknowledged_at).is_(None),
                col(Complaint.ack_deadline) < clock.now(),
            )
        stmt = stmt.order_by(col(Complaint.opened_at).desc(), col(Complaint.id).desc())
        rows = list((await s.exec(stmt.limit(limit))).all())
        return [build_view(await load_context(s, c)) for c in rows]


async def get_complaint(
    *, db: SessionFactory, complaint_id: int, viewer_telegram_user_id: int
) -> ComplaintView:
    """Return one complaint with its messages, if the viewer may see it."""
    async with db() as s:
        complaint = await s.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
        if not await owners_complaint(s, complaint, viewer_telegram_user_id):
            conditions = await _viewer_filter(s, viewer_telegram_user_id)
            visible = (
                await s.exec(
                    select(Complaint.id).where(
                        Complaint.id == complaint_id, *conditions  # type: ignore[arg-type]
                    )
                )
            ).first()
            if visible is None:
                raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
        ctx = await load_context(s, complaint)
        return build_view(ctx, await load_messages(s, complaint_id))


async def check_owner_may_write(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int
) -> None:
    """Raise unless this owner may still write to the agent about this complaint."""
    async with db() as s:
        await owners_open_complaint(s, complaint_id, owner_telegram_user_id)
