"""The steps of `surveys.complaints.owner_text`: join a complaint in hand, keep a text over the
daily limit (its managers' alerts: `owner_alerts`). Each runs inside the caller's
transaction, the owner row locked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import load_context
from surveys.complaints.handling import CLOSED, relay_owner_words
from surveys.complaints.opening import direct_target, open_direct_in
from surveys.complaints.owner_alerts import alert_managers
from surveys.complaints.text_outcomes import Outcome, OwnerTextResult, result_of
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.models import (
    Complaint,
    ComplaintMessage,
    ComplaintSource,
    ComplaintStatus,
    Owner,
    OwnerText,
    OwnerTextStatus,
    Role,
)

DAY = timedelta(hours=24)


async def joinable_complaint(s: AsyncSession, owner: Owner, config: ComplaintConfig
                             ) -> Complaint | None:
    """Return the owner's complaint in hand a new text of theirs belongs to, if any.

    Newest first among the complaints not closed: one about the work order or agent a new
    direct complaint would be about, or one opened within `join_hours`. A complaint opened
    before the home moved to this account is the earlier account's: never joined.
    """
    stmt = select(Complaint).where(col(Complaint.owner_id) == owner.id,
                                   col(Complaint.status).not_in(CLOSED))
    if owner.moved_at is not None:
        stmt = stmt.where(col(Complaint.opened_at) >= owner.moved_at)
    in_hand = (await s.exec(
        stmt.order_by(col(Complaint.opened_at).desc(), col(Complaint.id).desc()))).all()
    if not in_hand:
        return None
    order, agent_id = await direct_target(s, owner)
    recent = clock.now() - timedelta(hours=config.join_hours)
    for complaint in in_hand:
        if ((order is not None and complaint.work_order_id == order.id)
                or (agent_id is not None and complaint.agent_id == agent_id)
                or complaint.opened_at >= recent):
            return complaint
    return None


async def join(s: AsyncSession, complaint: Complaint, words: str, config: ComplaintConfig
               ) -> bool:
    """Add the owner's words to their complaint for the agent; False when already there.

    Words equal to the complaint's own or to the owner's last message on it (a resend, an
    impatient repeat) add nothing: the agent is not sent the same words twice.
    """
    last = (await s.exec(
        select(ComplaintMessage.text).where(
            col(ComplaintMessage.complaint_id) == complaint.id,
            col(ComplaintMessage.sender_role) == Role.OWNER,
        ).order_by(col(ComplaintMessage.id).desc()).limit(1)
    )).first()
    if words in (complaint.text, last):
        return False
    ctx = await load_context(s, complaint)
    message = await relay_owner_words(s, ctx, words, config)
    audit.record(s, actor_role=Role.OWNER, actor_id=complaint.owner_id,
                 action="complaint_owner_follow_up", subject_kind="complaint",
                 subject_id=complaint.id, detail={"message_id": message.id})
    return True


async def register_text(s: AsyncSession, owner: Owner, note: OwnerText,
                        config: ComplaintConfig) -> OwnerTextResult:
    """Join the home's complaint in hand with a waiting text, else open one (daily limit)."""
    assert owner.id is not None
    note.owner_id = owner.id  # the home it is registered for (asked, or named by context)
    complaint = await joinable_complaint(s, owner, config)
    if complaint is not None:
        await join(s, complaint, note.text, config)
        note.status, note.complaint_id = OwnerTextStatus.JOINED, complaint.id
        note.decided_at = clock.now()
        return OwnerTextResult(Outcome.JOINED, complaint_id=complaint.id,
                               awaits_answer=complaint.status == ComplaintStatus.FOLLOW_UP)
    return result_of(await open_or_keep(s, owner=owner, words=note.text,
                                        classification=note.classification, config=config,
                                        note=note))


async def opened_today(s: AsyncSession, owner: Owner) -> int:
    """Count the home's direct complaints opened in the last 24 hours by the account holding
    it (those opened before it moved here were the earlier account's)."""
    since: datetime = clock.now() - DAY
    if owner.moved_at is not None:
        since = max(since, owner.moved_at)
    return int((await s.exec(
        select(func.count()).select_from(Complaint).where(
            col(Complaint.owner_id) == owner.id,
            col(Complaint.source) == ComplaintSource.DIRECT,
            col(Complaint.opened_at) >= since,
        )
    )).one())


async def open_or_keep(s: AsyncSession, *, owner: Owner, words: str,
                       classification: dict[str, Any], config: ComplaintConfig,
                       note: OwnerText | None = None) -> Complaint | OwnerText:
    """Open a direct complaint, or keep the text for managers past the daily limit."""
    assert owner.id is not None
    count = await opened_today(s, owner)
    if count < config.owner_daily_complaints:
        complaint = await open_direct_in(s, owner=owner, words=words,
                                         classification=classification, config=config)
        if note is not None:
            note.status, note.complaint_id = OwnerTextStatus.OPENED, complaint.id
            note.decided_at = clock.now()
        return complaint
    if note is None:
        note = OwnerText(owner_id=owner.id, telegram_user_id=owner.telegram_user_id, text=words,
                         classification=classification)
        s.add(note)
    note.status, note.decided_at = OwnerTextStatus.KEPT, clock.now()
    await s.flush()
    told = await alert_managers(s, owner=owner, note=note, config=config)
    audit.record(s, actor_role=Role.OWNER, actor_id=owner.id, action="owner_text_kept",
                 subject_kind="owner_text", subject_id=note.id,
                 detail={"opened_today": count, "limit": config.owner_daily_complaints,
                         **told})
    return note

