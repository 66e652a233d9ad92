"""Close a resolved complaint whose owner cannot be reached: "closed, owner unreachable".

A complaint closes with the owner's answer to the follow-up question. When the bot could not
ask (the owner is not bound in Telegram, opted out, or Telegram refuses the chat) or the
owner has not answered within `complaints.follow_up_wait_hours`, a manager overseeing the
complaint or 回访 staff of the owner's community closes it with a note of the attempts made
(calls, visits). Who, when and the note go into the audit log; the agent is told.

Points: the complaint keeps counting as resolved, and it is not a follow-up answer (neither
satisfied nor unsatisfied), exactly as it counted while it waited: the close changes no
figure; it only takes the complaint off the open lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import (
    ComplaintContext,
    load_context,
    notify_agent,
)
from surveys.complaints.reach import reached_home
from surveys.complaints.transitions import move
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden, InvalidTransition, NotFound
from surveys.core.text import clean_free_text
from surveys.models import Complaint, ComplaintStatus, Manager, Owner, Revisitor
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import ComplaintNews

NOTE_MAX_CHARS = 500
WAITING = (ComplaintStatus.RESOLVED, ComplaintStatus.FOLLOW_UP)
UNREACHABLE = ComplaintStatus.CLOSED_UNREACHABLE
Role = Literal["manager", "revisitor"]


@dataclass(frozen=True)
class ClosedUnreachable:
    complaint_id: int
    agent_name: str | None
    changed: bool  # False: it was already closed so (the same command again)


class UnreachableTooEarly(InvalidTransition):
    """The owner was asked and may still answer: closing waits until `until`."""

    def __init__(self, complaint_id: int, asked: datetime, until: datetime) -> None:
        super().__init__("close_unreachable", ComplaintStatus.FOLLOW_UP.value,
                         code=ErrorCode.UNREACHABLE_WAIT)
        self.fields["id"] = complaint_id
        self.asked, self.until = asked, until


async def close_unreachable(*, db: SessionFactory, complaint_id: int, role: Role,
                            staff_id: int, note: str, config: ComplaintConfig,
                            now: datetime | None = None) -> ClosedUnreachable:
    """Close a resolved complaint as "owner unreachable" with a note of the attempts made."""
    now = now or clock.now()
    note = clean_free_text(note, max_chars=NOTE_MAX_CHARS, empty=ErrorCode.REASON_REQUIRED,
                           too_long=ErrorCode.REASON_TOO_LONG, what="the note")
    async with db() as s, s.begin():
        complaint = await s.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                           id=complaint_id)
        ctx = await load_context(s, complaint)
        await _check_staff(s, ctx, role, staff_id)
        agent_name = ctx.agent.name if ctx.agent else None
        if complaint.status == UNREACHABLE:
            return ClosedUnreachable(complaint_id, agent_name, changed=False)
        _check_attempts(ctx, await reached_home(s, complaint, ctx.owner), config, now)
        if not await move(s, complaint, col(Complaint.status).in_(WAITING),
                          status=UNREACHABLE.value, closed_at=now):
            raise InvalidTransition("close_unreachable", complaint.status,
                                    code=ErrorCode.COMPLAINT_CLOSED)  # the owner answered
        audit.record(s, actor_role=role, actor_id=staff_id, action="complaint_closed_unreachable",
                     subject_kind="complaint", subject_id=complaint_id,
                     detail={"note": note, "asked_at": _iso(complaint.follow_up_at),
                             "owner_unreachable_since": _iso(ctx.owner.unreachable_since)})
        await notify_agent(s, ctx, kind=OutboxKind.COMPLAINT_CLOSED,
                           dedupe_key=f"complaint_closed:{complaint_id}",
                           extra=ComplaintNews(reasons=["owner_unreachable"]))
    return ClosedUnreachable(complaint_id, agent_name, changed=True)


async def _check_staff(s: AsyncSession, ctx: ComplaintContext, role: Role, staff_id: int
                       ) -> None:
    row: Manager | Revisitor | None = (await s.get(Manager, staff_id) if role == "manager"
                                        else await s.get(Revisitor, staff_id))
    if row is None or not row.active:
        raise Forbidden("only managers and 回访 staff", code=ErrorCode.UNREACHABLE_NOT_STAFF)
    community = ctx.community_id if role == "manager" else ctx.owner.community_id
    if row.community_id is not None and row.community_id != community:
        raise Forbidden("another community", code=ErrorCode.UNREACHABLE_OTHER_COMMUNITY,
                        id=ctx.complaint.id)
    agent = ctx.agent
    if agent is not None and agent.telegram_user_id is not None and (
            agent.telegram_user_id == row.telegram_user_id):
        raise Forbidden("own complaint", code=ErrorCode.UNREACHABLE_OWN_COMPLAINT,
                        id=ctx.complaint.id)


def _check_attempts(ctx: ComplaintContext, home: Owner | None, config: ComplaintConfig,
                    now: datetime) -> None:
    c = ctx.complaint
    if c.status not in WAITING:
        code = (ErrorCode.COMPLAINT_CLOSED if c.closed_at is not None
                else ErrorCode.UNREACHABLE_NOT_RESOLVED)
        refused = InvalidTransition("close_unreachable", c.status, code=code)
        refused.fields["id"] = c.id
        raise refused
    asked = c.follow_up_at
    if c.status == ComplaintStatus.RESOLVED or asked is None:
        return  # the bot could not ask the owner at all
    if (home is None or home.unreachable_since is not None or home.opted_out
            or home.chat_id is None):
        return  # no account may answer (the home moved away from the one that filed it),
        # Telegram refuses the chat, or the owner left it: no answer can come
    until = asked + timedelta(hours=config.follow_up_wait_hours)
    if now < until:
        raise UnreachableTooEarly(c.id or 0, asked, until)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None

