"""Read models of complaints: what the chat shows; no ORM object and no phone escapes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import ComplaintContext, owner_unit
from surveys.complaints.reach import moved_away
from surveys.core import clock
from surveys.core.errors import ErrorCode, Forbidden
from surveys.models import Agent, ComplaintMessage

HANDLING = ("open", "acknowledged", "escalated")  # the resolve deadline runs for these


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
    resolve_deadline: datetime | None = None
    escalations: int = 0  # times the owner's "not satisfied" reopened it
    resolve_overdue: bool = False  # still being handled past the resolve deadline (now)
    work_order_category: str | None = None  # the category's code
    work_order_occurrence: int = 1  # above 1: the order repeats a problem of the unit


@dataclass(frozen=True)
class ComplaintResult:
    view: ComplaintView
    changed: bool
    # False when the owner could not be told (never bound in Telegram: a web page or phone
    # answer; or erased): the agent must not be told the owner heard anything.
    owner_told: bool = True
    # Not told because the home moved to another account and the one that filed the
    # complaint no longer holds a home with the owner's phone (surveys.complaints.reach).
    home_moved: bool = False
    # Not told because the owner had their details erased (/forget): nobody to call either.
    owner_erased: bool = False


def told_result(ctx: ComplaintContext, view: ComplaintView, *, told: bool,
                changed: bool = True) -> ComplaintResult:
    """Return the result of a change the owner should hear of: told, or why not."""
    untold = changed and not told
    erased = untold and ctx.owner.forgotten_at is not None
    return ComplaintResult(view, changed, owner_told=told or not changed,
                           home_moved=untold and not erased
                           and moved_away(ctx.complaint, ctx.owner),
                           owner_erased=erased)


def build_view(ctx: ComplaintContext, messages: Sequence[ComplaintMessage] = ()) -> ComplaintView:
    """Build the read model of a complaint as of now."""
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
        owner_name=ctx.person.name, owner_unit=owner_unit(ctx.owner),
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
        resolve_deadline=c.resolve_deadline, escalations=c.escalations,
        resolve_overdue=(c.resolved_at is None and c.status in HANDLING
                         and c.resolve_deadline is not None and now > c.resolve_deadline),
        work_order_category=ctx.work_order.category if ctx.work_order else None,
        work_order_occurrence=ctx.work_order.occurrence if ctx.work_order else 1,
    )

async def agent_by_telegram(session: AsyncSession, telegram_user_id: int) -> Agent:
    """Return the active agent with this Telegram account, or raise Forbidden."""
    agent = (
        await session.exec(select(Agent).where(Agent.telegram_user_id == telegram_user_id))
    ).first()
    if agent is None or not agent.active:
        raise Forbidden("only an agent may do this", code=ErrorCode.NOT_AN_AGENT)
    return agent

async def load_messages(session: AsyncSession, complaint_id: int) -> list[ComplaintMessage]:
    """Return the messages relayed about a complaint, oldest first."""
    stmt = (
        select(ComplaintMessage)
        .where(ComplaintMessage.complaint_id == complaint_id)
        .order_by(col(ComplaintMessage.created_at), col(ComplaintMessage.id))
    )
    return list((await session.exec(stmt)).all())
