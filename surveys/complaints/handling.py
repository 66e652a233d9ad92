"""Complaint handling: acknowledge, reply, resolve, follow-up and deadline alerts.

Import these from `surveys.complaints.opening`. Each service owns its transaction; double taps are
harmless (the result says `changed=False`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import (
    ComplaintContext,
    load_context,
    notify_agent,
    notify_managers,
    notify_owner,
)
from surveys.complaints.views import ComplaintResult, agent_by_telegram, build_view, load_messages
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden, InvalidInput, InvalidTransition, NotFound
from surveys.core.text import storable
from surveys.models import Complaint, ComplaintMessage, ComplaintStatus, Owner, Role
from surveys.outbox.kinds import OutboxKind

MESSAGE_MAX_CHARS = 2000
CLOSED = (ComplaintStatus.CLOSED_SATISFIED, ComplaintStatus.CLOSED_UNSATISFIED,
          ComplaintStatus.DISMISSED)


async def _owned_complaint(
    session: AsyncSession, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintContext:
    agent = await agent_by_telegram(session, agent_telegram_user_id)
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
    if complaint.agent_id != agent.id:
        raise Forbidden("only the credited agent may act on this complaint",
                        code=ErrorCode.COMPLAINT_NOT_YOURS)
    if complaint.status == ComplaintStatus.DISMISSED:  # a stale button of a non-complaint
        raise InvalidTransition("handle", complaint.status, code=ErrorCode.COMPLAINT_CLOSED)
    return await load_context(session, complaint)


async def _move(s: AsyncSession, complaint: Complaint, *conditions: Any,
                **values: Any) -> bool:
    """Change the complaint only if it is still in the state `conditions` describe.

    A compare-and-set: two taps handled at once each read the complaint, but only the change
    whose starting state still holds is written; the other sees False. The row is read
    again either way, so the caller words the state that is stored now.
    """
    result = await s.exec(update(Complaint)
                          .where(col(Complaint.id) == complaint.id, *conditions)
                          .values(**values))
    await s.refresh(complaint)
    return bool(result.rowcount)


async def _mark_acknowledged(s: AsyncSession, complaint: Complaint) -> bool:
    now = clock.now()
    return await _move(
        s, complaint, col(Complaint.acknowledged_at).is_(None), acknowledged_at=now,
        status=case((col(Complaint.status) == ComplaintStatus.OPEN,
                     ComplaintStatus.ACKNOWLEDGED.value), else_=col(Complaint.status)))


def _clean_text(text: str) -> str:
    words = storable(text or "").strip()
    if not words:
        raise InvalidInput("message is empty", code=ErrorCode.MESSAGE_EMPTY)
    if len(words) > MESSAGE_MAX_CHARS:
        raise InvalidInput(f"message is longer than {MESSAGE_MAX_CHARS} characters",
                           code=ErrorCode.MESSAGE_TOO_LONG, limit=MESSAGE_MAX_CHARS)
    return words


async def acknowledge(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintResult:
    """Acknowledge a complaint (first feedback to the owner); a second tap changes nothing."""
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        changed = await _mark_acknowledged(s, ctx.complaint)
        if changed:
            await notify_owner(
                s, ctx, kind=OutboxKind.COMPLAINT_ACKNOWLEDGED,
                dedupe_key=f"complaint_ack:{complaint_id}"
            )
        return ComplaintResult(build_view(ctx), changed)


async def reply_to_owner(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int, text: str
) -> ComplaintResult:
    """Relay the agent's words to the owner; the first reply also acknowledges."""
    words = _clean_text(text)
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        if ctx.complaint.status in CLOSED:
            raise InvalidTransition("reply", ctx.complaint.status, code=ErrorCode.COMPLAINT_CLOSED)
        message = ComplaintMessage(
            complaint_id=complaint_id, sender_role=Role.AGENT, text=words, created_at=clock.now()
        )
        s.add(message)
        await s.flush()
        await _mark_acknowledged(s, ctx.complaint)
        await notify_owner(
            s, ctx, kind=OutboxKind.COMPLAINT_REPLY, dedupe_key=f"complaint_reply:{message.id}",
            extra={"message_id": message.id, "reply_text": words},
        )
        return ComplaintResult(build_view(ctx, await load_messages(s, complaint_id)), True)


async def owners_open_complaint(
    s: AsyncSession, complaint_id: int, owner_telegram_user_id: int
) -> Complaint:
    """Return the complaint if it is this owner's and still open; else raise."""
    complaint = await s.get(Complaint, complaint_id)
    owner = (
        await s.exec(select(Owner).where(Owner.telegram_user_id == owner_telegram_user_id))
    ).first()
    if complaint is None or owner is None or complaint.owner_id != owner.id:
        raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
    if complaint.status in CLOSED:
        raise InvalidTransition("reply", complaint.status, code=ErrorCode.COMPLAINT_CLOSED)
    return complaint


async def owner_message(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int, text: str
) -> ComplaintResult:
    """Relay the owner's words about their complaint to the credited agent."""
    words = _clean_text(text)
    async with db() as s, s.begin():
        complaint = await owners_open_complaint(s, complaint_id, owner_telegram_user_id)
        ctx = await load_context(s, complaint)
        message = ComplaintMessage(
            complaint_id=complaint_id, sender_role=Role.OWNER, text=words, created_at=clock.now()
        )
        s.add(message)
        await s.flush()
        await notify_agent(
            s, ctx, kind=OutboxKind.COMPLAINT_OWNER_MESSAGE,
            dedupe_key=f"complaint_owner_message:{message.id}",
            extra={"message_id": message.id, "reply_text": words},
        )
        return ComplaintResult(build_view(ctx, await load_messages(s, complaint_id)), True)


async def resolve(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintResult:
    """Mark a complaint resolved and ask the owner whether they are satisfied."""
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        c = ctx.complaint
        now = clock.now()
        # Resolving is feedback too: a complaint resolved unacknowledged counts as acknowledged.
        resolved = await _move(
            s, c, col(Complaint.resolved_at).is_(None), col(Complaint.status).not_in(CLOSED),
            resolved_at=now, status=ComplaintStatus.RESOLVED.value,
            acknowledged_at=func.coalesce(col(Complaint.acknowledged_at), now))
        if not resolved:
            return ComplaintResult(build_view(ctx), False)
        asked = await notify_owner(
            s, ctx, kind=OutboxKind.COMPLAINT_FOLLOW_UP,
            dedupe_key=f"complaint_follow_up:{complaint_id}"
        )
        if asked:
            await _move(s, c, col(Complaint.status) == ComplaintStatus.RESOLVED,
                        status=ComplaintStatus.FOLLOW_UP.value, follow_up_at=now)
        return ComplaintResult(build_view(ctx), True)


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
            raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
        if owner is None or complaint.owner_id != owner.id:
            raise Forbidden("only the owner who complained may answer",
                            code=ErrorCode.FOLLOW_UP_NOT_OWNER)
        ctx = await load_context(s, complaint)
        closed = ComplaintStatus.CLOSED_SATISFIED if satisfied else (
            ComplaintStatus.CLOSED_UNSATISFIED)
        if not await _move(s, complaint, col(Complaint.status) == ComplaintStatus.FOLLOW_UP,
                           satisfied=satisfied, closed_at=clock.now(), status=closed.value):
            if complaint.status in CLOSED:  # the first answer stands
                return ComplaintResult(build_view(ctx), False)
            raise InvalidTransition("follow_up", complaint.status)
        await notify_agent(
            s, ctx, kind=OutboxKind.COMPLAINT_CLOSED, dedupe_key=f"complaint_closed:{complaint_id}",
            extra={"satisfied": satisfied},
        )
        return ComplaintResult(build_view(ctx), True)


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
        overdue = []
        for complaint in (await s.exec(stmt)).all():
            # An acknowledgement that won the race meanwhile makes the alert moot.
            if not await _move(s, complaint, col(Complaint.status) == ComplaintStatus.OPEN,
                               col(Complaint.acknowledged_at).is_(None),
                               col(Complaint.overdue_alerted_at).is_(None),
                               overdue_alerted_at=now):
                continue
            overdue.append(complaint)
            ctx = await load_context(s, complaint)
            prefix = f"complaint_overdue:{complaint.id}"
            late = (now - complaint.ack_deadline).total_seconds() / 3600
            extra = {"overdue_hours": round(late, 1)}
            await notify_managers(s, ctx, kind=OutboxKind.COMPLAINT_OVERDUE, dedupe_prefix=prefix,
                                  extra=extra)
            await notify_agent(s, ctx, kind=OutboxKind.COMPLAINT_OVERDUE,
                               dedupe_key=f"{prefix}:agent",
                               extra=extra)
        return [c.id for c in overdue if c.id is not None]
