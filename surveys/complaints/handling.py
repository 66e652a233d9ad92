"""Complaint handling: acknowledge, reply, resolve, follow-up and deadline alerts.

Import these from `surveys.complaints.opening`. Each service owns its transaction; double taps are
harmless (the result says `changed=False`).
"""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints import views
from surveys.complaints.alerts import (
    ComplaintContext,
    load_context,
    notify_agent,
    notify_managers,
    notify_owner,
)
from surveys.complaints.escalation import (
    alert_closed_unsatisfied,
    check_round,
    escalate,
    follow_up_key,
)
from surveys.complaints.reach import owners_complaint
from surveys.complaints.risk import alert_risk_words
from surveys.complaints.transitions import move as _move
from surveys.complaints.views import ComplaintResult, agent_by_telegram, build_view, load_messages
from surveys.core import clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden, InvalidTransition, NotFound
from surveys.core.text import clean_free_text
from surveys.models import Complaint, ComplaintMessage, ComplaintStatus, Role
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import ComplaintNews

MESSAGE_MAX_CHARS = 2000
CLOSED = (ComplaintStatus.CLOSED_SATISFIED, ComplaintStatus.CLOSED_UNSATISFIED,
          ComplaintStatus.CLOSED_UNREACHABLE, ComplaintStatus.DISMISSED)


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


async def check_agent_may_handle(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> None:
    """Raise unless this agent is the one credited with the complaint (as a tap on it does)."""
    async with db() as s:
        await _owned_complaint(s, complaint_id, agent_telegram_user_id)


async def _mark_acknowledged(s: AsyncSession, complaint: Complaint) -> bool:
    now = clock.now()
    return await _move(
        s, complaint, col(Complaint.acknowledged_at).is_(None), acknowledged_at=now,
        status=case((col(Complaint.status) == ComplaintStatus.OPEN,
                     ComplaintStatus.ACKNOWLEDGED.value), else_=col(Complaint.status)))


def _clean_text(text: str) -> str:
    return clean_free_text(text, max_chars=MESSAGE_MAX_CHARS, empty=ErrorCode.MESSAGE_EMPTY,
                           too_long=ErrorCode.MESSAGE_TOO_LONG, what="the message")


async def acknowledge(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int
) -> ComplaintResult:
    """Acknowledge a complaint (first feedback to the owner); a second tap changes nothing."""
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        changed = await _mark_acknowledged(s, ctx.complaint)
        told = changed and await notify_owner(
            s, ctx, kind=OutboxKind.COMPLAINT_ACKNOWLEDGED,
            dedupe_key=f"complaint_ack:{complaint_id}"
        )
        return views.told_result(ctx, build_view(ctx), told=told, changed=changed)


async def reply_to_owner(
    *, db: SessionFactory, complaint_id: int, agent_telegram_user_id: int, text: str,
    tap_key: str | None = None,
) -> ComplaintResult:
    """Relay the agent's words to the owner; the first reply also acknowledges.

    `tap_key` names the button tap that chose the words (a reply template on one prompt):
    the same tap again relays nothing and says `changed=False`.
    """
    words = _clean_text(text)
    for attempt in range(2):
        try:
            return await _reply(db, complaint_id, agent_telegram_user_id, words, tap_key)
        except IntegrityError:
            # The same tap relayed concurrently won the race: the second pass finds its row.
            if attempt or tap_key is None:
                raise
    raise AssertionError("unreachable")


async def _reply(db: SessionFactory, complaint_id: int, agent_telegram_user_id: int,
                 words: str, tap_key: str | None) -> ComplaintResult:
    async with db() as s, s.begin():
        ctx = await _owned_complaint(s, complaint_id, agent_telegram_user_id)
        if ctx.complaint.status in CLOSED:
            raise InvalidTransition("reply", ctx.complaint.status, code=ErrorCode.COMPLAINT_CLOSED)
        if tap_key is not None and await _tapped(s, complaint_id, tap_key):
            return ComplaintResult(build_view(ctx, await load_messages(s, complaint_id)), False)
        message = ComplaintMessage(
            complaint_id=complaint_id, sender_role=Role.AGENT, text=words, created_at=clock.now(),
            tap_key=tap_key,
        )
        s.add(message)
        await s.flush()
        await _mark_acknowledged(s, ctx.complaint)
        told = await notify_owner(
            s, ctx, kind=OutboxKind.COMPLAINT_REPLY, dedupe_key=f"complaint_reply:{message.id}",
            extra=ComplaintNews(message_id=message.id, reply_text=words),
        )
        view = build_view(ctx, await load_messages(s, complaint_id))
        return views.told_result(ctx, view, told=told)


async def _tapped(s: AsyncSession, complaint_id: int, tap_key: str) -> bool:
    found = await s.exec(select(ComplaintMessage.id).where(
        ComplaintMessage.complaint_id == complaint_id, ComplaintMessage.tap_key == tap_key))
    return found.first() is not None


async def owners_open_complaint(
    s: AsyncSession, complaint_id: int, owner_telegram_user_id: int
) -> Complaint:
    """Return the complaint if it is this owner's and still open; else raise."""
    complaint = await s.get(Complaint, complaint_id)
    if complaint is None or not await owners_complaint(s, complaint, owner_telegram_user_id):
        raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
    if complaint.status in CLOSED:
        raise InvalidTransition("reply", complaint.status, code=ErrorCode.COMPLAINT_CLOSED)
    return complaint


async def owner_message(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int, text: str,
    complaint_config: ComplaintConfig | None = None,
) -> ComplaintResult:
    """Relay the owner's words about their complaint to the credited agent."""
    words = _clean_text(text)
    config = complaint_config or ComplaintConfig()
    async with db() as s, s.begin():
        complaint = await owners_open_complaint(s, complaint_id, owner_telegram_user_id)
        ctx = await load_context(s, complaint)
        await relay_owner_words(s, ctx, words, config)
        return ComplaintResult(build_view(ctx, await load_messages(s, complaint_id)), True)


async def relay_owner_words(s: AsyncSession, ctx: ComplaintContext, words: str,
                            config: ComplaintConfig) -> ComplaintMessage:
    """Store the owner's words on the complaint and queue them to the agent (caller's txn)."""
    complaint_id = ctx.complaint.id
    assert complaint_id is not None
    message = ComplaintMessage(
        complaint_id=complaint_id, sender_role=Role.OWNER, text=words, created_at=clock.now()
    )
    s.add(message)
    await s.flush()
    await notify_agent(
        s, ctx, kind=OutboxKind.COMPLAINT_OWNER_MESSAGE,
        dedupe_key=f"complaint_owner_message:{message.id}",
        extra=ComplaintNews(message_id=message.id, reply_text=words),
    )
    await alert_risk_words(
        s, text=words, words=config.risk_words, exceptions=config.risk_word_exceptions,
        source="message",
        source_key=f"complaint_message:{message.id}", owner=ctx.owner, agent=ctx.agent,
        work_order=ctx.work_order, complaint_id=complaint_id, writer=ctx.person)
    return message


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
        # An escalated complaint asks again: each round has its own key.
        asked = await notify_owner(
            s, ctx, kind=OutboxKind.COMPLAINT_FOLLOW_UP, dedupe_key=follow_up_key(c),
            extra=ComplaintNews(round=c.escalations),
        )
        if asked:
            await _move(s, c, col(Complaint.status) == ComplaintStatus.RESOLVED,
                        status=ComplaintStatus.FOLLOW_UP.value, follow_up_at=now)
        return views.told_result(ctx, build_view(ctx), told=asked)


async def record_follow_up(
    *, db: SessionFactory, complaint_id: int, owner_telegram_user_id: int, satisfied: bool,
    follow_up_round: int | None, complaint_config: ComplaintConfig | None = None,
) -> ComplaintResult:
    """Close a complaint with the owner's answer, or escalate it; the first answer stands.

    `follow_up_round` is the round of the question answered (`None`: a button sent before
    rounds were recorded, taken as the first round); an older round's answer is refused.
    """
    config = complaint_config or ComplaintConfig()
    asked_round = follow_up_round or 0
    async with db() as s, s.begin():
        complaint = await s.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
        if not await owners_complaint(s, complaint, owner_telegram_user_id):
            raise Forbidden("only the owner who complained may answer",
                            code=ErrorCode.FOLLOW_UP_NOT_OWNER)
        check_round(complaint, asked_round=asked_round, satisfied=satisfied)
        ctx = await load_context(s, complaint)
        if not satisfied and complaint.escalations < config.max_escalations:
            if await escalate(s, ctx, owner_id=complaint.owner_id, config=config):
                return ComplaintResult(build_view(ctx), True)
        elif await _move(s, complaint, col(Complaint.status) == ComplaintStatus.FOLLOW_UP,
                         col(Complaint.escalations) == asked_round, satisfied=satisfied,
                         closed_at=clock.now(), status=_closing_status(satisfied)):
            await notify_agent(
                s, ctx, kind=OutboxKind.COMPLAINT_CLOSED,
                dedupe_key=f"complaint_closed:{complaint_id}",
                extra=ComplaintNews(satisfied=satisfied),
            )
            if not satisfied and complaint.escalations:
                await alert_closed_unsatisfied(s, ctx)
            return ComplaintResult(build_view(ctx), True)
        # A second tap on this round's question, or on the one that escalated: it stands.
        if complaint.status in CLOSED or complaint.status == ComplaintStatus.ESCALATED:
            return ComplaintResult(build_view(ctx), False)
        raise InvalidTransition("follow_up", complaint.status)


def _closing_status(satisfied: bool) -> str:
    return (ComplaintStatus.CLOSED_SATISFIED if satisfied
            else ComplaintStatus.CLOSED_UNSATISFIED).value


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
            extra = ComplaintNews(overdue_hours=round(late, 1))
            await notify_managers(s, ctx, kind=OutboxKind.COMPLAINT_OVERDUE, dedupe_prefix=prefix,
                                  extra=extra)
            await notify_agent(s, ctx, kind=OutboxKind.COMPLAINT_OVERDUE,
                               dedupe_key=f"{prefix}:agent",
                               extra=extra.model_copy(update={"audience": "agent"}))
        return [c.id for c in overdue if c.id is not None]
