"""Complaint handling: acknowledge, reply, resolve, follow-up, deadlines and listing.

Import these from `surveys.complaints`. Each service owns its transaction; double taps are
harmless (the result says `changed=False`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys import clock
from surveys.complaint_alerts import (
    ComplaintContext,
    load_context,
    notify_agent,
    notify_managers,
    notify_owner,
    owner_unit,
)
from surveys.db import SessionFactory
from surveys.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from surveys.models import (
    Agent,
    Complaint,
    ComplaintMessage,
    ComplaintStatus,
    Manager,
    Owner,
    Role,
)

MESSAGE_MAX_CHARS = 2000
CLOSED = (ComplaintStatus.CLOSED_SATISFIED, ComplaintStatus.CLOSED_UNSATISFIED)


@dataclass(frozen=True)
class ComplaintMessageView:
    id: int
    sender_role: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ComplaintView:
    """A complaint as the chat shows it; no ORM object and no phone number escapes."""

    id: int
    source: str
    status: str
    text: str | None
    tags: tuple[str, ...]
    evidence: dict[str, object]
    urgent: bool
    voided: bool
    opened_at: datetime
    ack_deadline: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    follow_up_at: datetime | None
    closed_at: datetime | None
    satisfied: bool | None
    overdue: bool  # unacknowledged past the deadline (now)
    acknowledged_on_time: bool | None  # None while open and not yet late
    owner_name: str
    owner_unit: str | None
    agent_id: int | None
    agent_name: str | None
    survey_id: int | None
    work_order_external_id: str | None
    work_order_title: str | None
    messages: tuple[ComplaintMessageView, ...] = ()


@dataclass(frozen=True)
class ComplaintResult:
    view: ComplaintView
    changed: bool


def _view(ctx: ComplaintContext, messages: Sequence[ComplaintMessage] = ()) -> ComplaintView:
    c = ctx.complaint
    now = clock.now()
    on_time: bool | None
    if c.acknowledged_at is not None:
        on_time = c.acknowledged_at <= c.ack_deadline
    else:
        on_time = False if now > c.ack_deadline else None
    return ComplaintView(
        id=c.id or 0, source=c.source, status=c.status, text=c.text,
        tags=tuple(c.tags or ()), evidence=dict(c.evidence or {}), urgent=c.urgent,
        voided=c.voided, opened_at=c.opened_at, ack_deadline=c.ack_deadline,
        acknowledged_at=c.acknowledged_at, resolved_at=c.resolved_at,
        follow_up_at=c.follow_up_at, closed_at=c.closed_at, satisfied=c.satisfied,
        overdue=c.acknowledged_at is None and now > c.ack_deadline,
        acknowledged_on_time=on_time,
        owner_name=ctx.owner.name, owner_unit=owner_unit(ctx.owner),
        agent_id=c.agent_id, agent_name=ctx.agent.name if ctx.agent else None,
        survey_id=c.survey_id,
        work_order_external_id=ctx.work_order.external_id if ctx.work_order else None,
        work_order_title=ctx.work_order.title if ctx.work_order else None,
        messages=tuple(
            ComplaintMessageView(
                id=m.id or 0, sender_role=m.sender_role, text=m.text, created_at=m.created_at
            )
            for m in messages
        ),
    )


async def _agent(session: AsyncSession, telegram_user_id: int) -> Agent:
    agent = (
        await session.exec(select(Agent).where(Agent.telegram_user_id == telegram_user_id))
    ).first()
    if agent is None or not agent.active:
        raise Forbidden("only an agent may do this")
    return agent


async def _owned_complaint(
    session: AsyncSession, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintContext:
    agent = await _agent(session, agent_telegram_user_id)
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(f"complaint {complaint_id}")
    if complaint.agent_id != agent.id:
        raise Forbidden("only the credited agent may act on this complaint")
    return await load_context(session, complaint)


def _mark_acknowledged(complaint: Complaint) -> bool:
    if complaint.acknowledged_at is not None:
        return False
    complaint.acknowledged_at = clock.now()
    if complaint.status == ComplaintStatus.OPEN:
        complaint.status = ComplaintStatus.ACKNOWLEDGED
    return True


def _clean_text(text: str) -> str:
    words = (text or "").strip()
    if not words:
        raise InvalidInput("message is empty")
    if len(words) > MESSAGE_MAX_CHARS:
        raise InvalidInput(f"message is longer than {MESSAGE_MAX_CHARS} characters")
    return words


async def _messages(session: AsyncSession, complaint_id: int) -> list[ComplaintMessage]:
    stmt = (
        select(ComplaintMessage)
        .where(ComplaintMessage.complaint_id == complaint_id)
        .order_by(col(ComplaintMessage.created_at), col(ComplaintMessage.id))
    )
    return list((await session.exec(stmt)).all())


async def acknowledge(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintResult:
    """Acknowledge a complaint (first feedback to the owner); a second tap changes nothing."""
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        changed = _mark_acknowledged(ctx.complaint)
        if changed:
            await notify_owner(
                s, ctx, kind="complaint_acknowledged", dedupe_key=f"complaint_ack:{complaint_id}"
            )
        return ComplaintResult(_view(ctx), changed)


async def reply_to_owner(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int, text: str
) -> ComplaintResult:
    """Relay the agent's words to the owner; the first reply also acknowledges."""
    words = _clean_text(text)
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        if ctx.complaint.status in CLOSED:
            raise InvalidTransition("reply", ctx.complaint.status)
        message = ComplaintMessage(
            complaint_id=complaint_id, sender_role=Role.AGENT, text=words, created_at=clock.now()
        )
        s.add(message)
        await s.flush()
        _mark_acknowledged(ctx.complaint)
        await notify_owner(
            s, ctx, kind="complaint_reply", dedupe_key=f"complaint_reply:{message.id}",
            extra={"message_id": message.id, "reply_text": words},
        )
        return ComplaintResult(_view(ctx, await _messages(s, complaint_id)), True)


async def owner_message(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int, text: str
) -> ComplaintResult:
    """Relay the owner's words about their complaint to the credited agent."""
    words = _clean_text(text)
    async with db() as s, s.begin():
        complaint = await s.get(Complaint, complaint_id)
        owner = (
            await s.exec(select(Owner).where(Owner.telegram_user_id == owner_telegram_user_id))
        ).first()
        if complaint is None or owner is None or complaint.owner_id != owner.id:
            raise NotFound(f"complaint {complaint_id}")
        if complaint.status in CLOSED:
            raise InvalidTransition("reply", complaint.status)
        ctx = await load_context(s, complaint)
        message = ComplaintMessage(
            complaint_id=complaint_id, sender_role=Role.OWNER, text=words, created_at=clock.now()
        )
        s.add(message)
        await s.flush()
        await notify_agent(
            s, ctx, kind="complaint_owner_message",
            dedupe_key=f"complaint_owner_message:{message.id}",
            extra={"message_id": message.id, "reply_text": words},
        )
        return ComplaintResult(_view(ctx, await _messages(s, complaint_id)), True)


async def resolve(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintResult:
    """Mark a complaint resolved and ask the owner whether they are satisfied."""
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        c = ctx.complaint
        if c.resolved_at is not None:
            return ComplaintResult(_view(ctx), False)
        now = clock.now()
        # Resolving is feedback too: a complaint resolved unacknowledged counts as acknowledged.
        _mark_acknowledged(c)
        c.resolved_at = now
        c.status = ComplaintStatus.RESOLVED
        asked = await notify_owner(
            s, ctx, kind="complaint_follow_up", dedupe_key=f"complaint_follow_up:{complaint_id}"
        )
        if asked:
            c.status = ComplaintStatus.FOLLOW_UP
            c.follow_up_at = now
        return ComplaintResult(_view(ctx), True)


async def record_follow_up(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int, satisfied: bool
) -> ComplaintResult:
    """Close a complaint with the owner's answer; the first answer stands."""
    async with db() as s, s.begin():
        complaint = await s.get(Complaint, complaint_id)
        owner = (
            await s.exec(select(Owner).where(Owner.telegram_user_id == owner_telegram_user_id))
        ).first()
        if complaint is None:
            raise NotFound(f"complaint {complaint_id}")
        if owner is None or complaint.owner_id != owner.id:
            raise Forbidden("only the owner who complained may answer")
        ctx = await load_context(s, complaint)
        if complaint.status in CLOSED:
            return ComplaintResult(_view(ctx), False)
        if complaint.status != ComplaintStatus.FOLLOW_UP:
            raise InvalidTransition("follow_up", complaint.status)
        complaint.satisfied = satisfied
        complaint.closed_at = clock.now()
        complaint.status = (
            ComplaintStatus.CLOSED_SATISFIED if satisfied else ComplaintStatus.CLOSED_UNSATISFIED
        )
        await notify_agent(
            s, ctx, kind="complaint_closed", dedupe_key=f"complaint_closed:{complaint_id}",
            extra={"satisfied": satisfied},
        )
        return ComplaintResult(_view(ctx), True)


async def check_deadlines(*, db: SessionFactory) -> list[int]:
    """Alert managers and the agent once about each complaint unacknowledged past deadline."""
    now = clock.now()
    async with db() as s, s.begin():
        stmt = (
            select(Complaint)
            .where(
                Complaint.status == ComplaintStatus.OPEN,
                col(Complaint.acknowledged_at).is_(None),
                col(Complaint.overdue_alerted_at).is_(None),
                col(Complaint.ack_deadline) < now,
            )
            .order_by(col(Complaint.ack_deadline), col(Complaint.id))
        )
        overdue = list((await s.exec(stmt)).all())
        for complaint in overdue:
            ctx = await load_context(s, complaint)
            prefix = f"complaint_overdue:{complaint.id}"
            late = (now - complaint.ack_deadline).total_seconds() / 3600
            extra = {"overdue_hours": round(late, 1)}
            await notify_managers(s, ctx, kind="complaint_overdue", dedupe_prefix=prefix,
                                  extra=extra)
            await notify_agent(s, ctx, kind="complaint_overdue", dedupe_key=f"{prefix}:agent",
                               extra=extra)
            complaint.overdue_alerted_at = now
        return [c.id for c in overdue if c.id is not None]


async def _viewer_filter(session: AsyncSession, telegram_user_id: int) -> list[object]:
    manager = (
        await session.exec(select(Manager).where(Manager.telegram_user_id == telegram_user_id))
    ).first()
    if manager is not None and manager.active:
        if manager.community_id is None:
            return []
        owners = select(Owner.id).where(Owner.community_id == manager.community_id)
        return [col(Complaint.owner_id).in_(owners)]
    agent = await _agent(session, telegram_user_id)
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
        return [_view(await load_context(s, c)) for c in rows]


async def get_complaint(
    *, db: SessionFactory, complaint_id: int, viewer_telegram_user_id: int
) -> ComplaintView:
    """Return one complaint with its messages, if the viewer may see it."""
    async with db() as s:
        complaint = await s.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"complaint {complaint_id}")
        owner = (
            await s.exec(select(Owner).where(Owner.telegram_user_id == viewer_telegram_user_id))
        ).first()
        if owner is None or owner.id != complaint.owner_id:
            conditions = await _viewer_filter(s, viewer_telegram_user_id)
            visible = (
                await s.exec(
                    select(Complaint.id).where(
                        Complaint.id == complaint_id, *conditions  # type: ignore[arg-type]
                    )
                )
            ).first()
            if visible is None:
                raise NotFound(f"complaint {complaint_id}")
        ctx = await load_context(s, complaint)
        return _view(ctx, await _messages(s, complaint_id))
