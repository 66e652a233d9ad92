"""Escalation (issue 14): an unsatisfied follow-up reopens the complaint, and the resolve
deadline's overdue alerts.

"Not satisfied" after "resolved" moves the complaint to `escalated` (audit entry
`complaint_escalated`), alerts the managers concerned at once, gives the agent the card back
and restarts the resolve deadline; the next "resolved" asks the owner again. After
`max_escalations` reopenings the next unsatisfied answer closes it unsatisfied (managers
alerted). Lifecycle: docs/complaints.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import (
    ComplaintContext,
    load_context,
    notify_agent,
    notify_managers,
)
from surveys.complaints.transitions import move
from surveys.complaints.views import HANDLING
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidTransition
from surveys.models import Complaint, ComplaintStatus, Role
from surveys.outbox.escalation_payloads import EscalationPayload, ResolveOverduePayload
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import ComplaintNews

UNRESOLVED = HANDLING  # complaints still being handled: the resolve deadline runs for these


def resolve_deadline(config: ComplaintConfig, *, urgent: bool, start: datetime) -> datetime:
    """Return when a complaint opened (or escalated) at `start` must be resolved."""
    hours = config.urgent_resolve_hours if urgent else config.resolve_hours
    return start + timedelta(hours=hours)


def follow_up_key(complaint: Complaint) -> str:
    """Return the outbox key of the follow-up question of the complaint's current round."""
    base = f"complaint_follow_up:{complaint.id}"
    return f"{base}:{complaint.escalations}" if complaint.escalations else base


def check_round(complaint: Complaint, *, asked_round: int, satisfied: bool) -> None:
    """Refuse an answer to a follow-up question of a round that is no longer current.

    `asked_round` is the number of escalations when the question was asked. The current
    round's question may be tapped again (the first answer stands), and so may the
    "not satisfied" that escalated the complaint; anything else on an older question is stale.
    """
    current = complaint.escalations
    repeat_of_escalation = (complaint.status == ComplaintStatus.ESCALATED
                            and asked_round == current - 1 and not satisfied)
    if asked_round != current and not repeat_of_escalation:
        code = (ErrorCode.FOLLOW_UP_ESCALATED if complaint.status == ComplaintStatus.ESCALATED
                else ErrorCode.FOLLOW_UP_STALE)  # no newer question to point to yet
        raise InvalidTransition("follow_up", complaint.status, code=code)


async def escalate(
    s: AsyncSession, ctx: ComplaintContext, *, owner_id: int | None, config: ComplaintConfig
) -> bool:
    """Reopen a complaint in follow-up as escalated and alert; False if another tap won."""
    c = ctx.complaint
    now, round_ = clock.now(), c.escalations + 1
    deadline = resolve_deadline(config, urgent=c.urgent, start=now)
    if not await move(s, c, col(Complaint.status) == ComplaintStatus.FOLLOW_UP,
                      col(Complaint.escalations) == c.escalations,
                      status=ComplaintStatus.ESCALATED.value, satisfied=False, resolved_at=None,
                      escalations=round_, escalated_at=now, resolve_deadline=deadline,
                      resolve_overdue_alerted_at=None):
        return False
    audit.record(s, actor_role=Role.OWNER, actor_id=owner_id, action="complaint_escalated",
                 subject_kind="complaint", subject_id=c.id,
                 detail={"reason": "unsatisfied_follow_up", "round": round_,
                         "resolve_deadline": deadline.isoformat()})
    prefix = f"complaint_escalated:{c.id}:{round_}"
    await notify_managers(s, ctx, kind=OutboxKind.COMPLAINT_ESCALATED, dedupe_prefix=prefix,
                          extra=ComplaintNews(audience="manager"), model=EscalationPayload)
    await notify_agent(s, ctx, kind=OutboxKind.COMPLAINT_ESCALATED,
                       dedupe_key=f"{prefix}:agent", extra=ComplaintNews(audience="agent"),
                       model=EscalationPayload)
    return True


async def alert_closed_unsatisfied(s: AsyncSession, ctx: ComplaintContext) -> None:
    """Tell the managers a complaint closed unsatisfied after its last allowed escalation."""
    c = ctx.complaint
    audit.record(s, actor_role=Role.OWNER, actor_id=c.owner_id,
                 action="complaint_closed_unsatisfied", subject_kind="complaint",
                 subject_id=c.id, detail={"escalations": c.escalations})
    await notify_managers(s, ctx, kind=OutboxKind.COMPLAINT_ESCALATED,
                          dedupe_prefix=f"complaint_escalated:{c.id}:closed",
                          extra=ComplaintNews(audience="manager", closed=True),
                          model=EscalationPayload)


async def check_resolve_deadlines(*, db: SessionFactory) -> list[int]:
    """Alert managers and the agent once about each complaint unresolved past its deadline."""
    now = clock.now()
    async with db() as s, s.begin():
        stmt = (
            select(Complaint)
            .where(col(Complaint.status).in_(UNRESOLVED),
                   col(Complaint.resolved_at).is_(None),
                   col(Complaint.resolve_overdue_alerted_at).is_(None),
                   col(Complaint.resolve_deadline).is_not(None),
                   col(Complaint.resolve_deadline) < now)
            .order_by(col(Complaint.resolve_deadline), col(Complaint.id))
        )
        alerted: list[int] = []
        for complaint in (await s.exec(stmt)).all():
            # A "resolved" that won the race meanwhile makes the alert moot.
            if not await move(s, complaint, col(Complaint.status).in_(UNRESOLVED),
                              col(Complaint.resolved_at).is_(None),
                              col(Complaint.resolve_overdue_alerted_at).is_(None),
                              resolve_overdue_alerted_at=now):
                continue
            assert complaint.id is not None and complaint.resolve_deadline is not None
            alerted.append(complaint.id)
            ctx = await load_context(s, complaint)
            prefix = f"complaint_resolve_overdue:{complaint.id}:{complaint.escalations}"
            late = (now - complaint.resolve_deadline).total_seconds() / 3600
            extra = ComplaintNews(overdue_hours=round(late, 1))
            await notify_managers(s, ctx, kind=OutboxKind.COMPLAINT_RESOLVE_OVERDUE,
                                  dedupe_prefix=prefix, extra=extra, model=ResolveOverduePayload)
            await notify_agent(s, ctx, kind=OutboxKind.COMPLAINT_RESOLVE_OVERDUE,
                               dedupe_key=f"{prefix}:agent",
                               extra=extra.model_copy(update={"audience": "agent"}),
                               model=ResolveOverduePayload)
        return alerted
