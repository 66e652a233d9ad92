"""The steps of `surveys.complaints.owner_text`: join a complaint in hand, keep a text over the
daily limit (its managers' alerts: `owner_alerts`). Each runs inside the caller's
transaction, the owner row locked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import load_context
from surveys.complaints.handling import CLOSED, relay_owner_words
from surveys.complaints.opening import direct_target, open_direct_in
from surveys.complaints.owner_alerts import alert_managers
from surveys.complaints.reach import still_reached
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
    before the home moved to this account is the earlier account's: never joined (unless
    this account filed it, and the home came back to it).
    """
    stmt = select(Complaint).where(col(Complaint.owner_id) == owner.id,
                                   col(Complaint.status).not_in(CLOSED))
    if owner.moved_at is not None:
        since_move = col(Complaint.opened_at) >= owner.moved_at
        stmt = stmt.where(since_move if owner.telegram_user_id is None else or_(
            since_move, col(Complaint.telegram_user_id) == owner.telegram_user_id))
    in_hand = (await s.exec(
        stmt.order_by(col(Complaint.opened_at).desc(), col(Complaint.id).desc()))).all()
    return await _in_hand(s, owner, list(in_hand), config)


async def left_in_hand(s: AsyncSession, telegram_user_id: int, config: ComplaintConfig, *,
                       home_id: int | None = None) -> list[tuple[Owner, Complaint]]:
    """Return, per home that moved away from this account, the complaint its words join.

    `home_id`: that home only. The complaint in hand there is one it filed, not closed, that
    the bot still speaks with it about (`reach.owners_complaint`), by the rules of
    `joinable_complaint` as they stood when the home moved (its later orders are not hers).
    """
    # Held now by another account (one held by none was not moved away: `reach.moved_away`),
    # and this account still reached about it: `reach.owners_complaint`, in one query.
    stmt = (select(Complaint, Owner).join(Owner, col(Owner.id) == col(Complaint.owner_id))
            .where(col(Complaint.telegram_user_id) == telegram_user_id,
                   col(Complaint.status).not_in(CLOSED),
                   col(Owner.telegram_user_id).is_not(None),
                   col(Owner.telegram_user_id) != telegram_user_id,
                   still_reached(telegram_user_id)))
    if home_id is not None:
        stmt = stmt.where(col(Owner.id) == home_id)
    rows = (await s.exec(stmt.order_by(col(Owner.id), col(Complaint.opened_at).desc(),
                                       col(Complaint.id).desc()))).all()
    by_home: dict[int, tuple[Owner, list[Complaint]]] = {}
    for complaint, home in rows:
        assert home.id is not None
        by_home.setdefault(home.id, (home, []))[1].append(complaint)
    found = [(home, await _in_hand(s, home, complaints, config, before=home.moved_at))
             for home, complaints in by_home.values()]
    return [(home, complaint) for home, complaint in found if complaint is not None]


async def _in_hand(s: AsyncSession, owner: Owner, complaints: list[Complaint],
                   config: ComplaintConfig, *, before: datetime | None = None
                   ) -> Complaint | None:
    """The first of `complaints` (newest first) a new text of the home's owner belongs to."""
    if not complaints:
        return None
    order, agent_id = await direct_target(s, owner, before=before)
    recent = clock.now() - timedelta(hours=config.join_hours)
    for complaint in complaints:
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


async def register_text(s: AsyncSession, owner: Owner, note: OwnerText, config: ComplaintConfig,
                        complaint: Complaint | None) -> OwnerTextResult:
    """Join `complaint` (the home's in hand) with a waiting text, else open one (daily limit).

    `owner` is the home the words are registered for; a home that moved away from the
    writer only with their complaint in hand there (`left_in_hand`): nothing opens on it.
    """
    assert owner.id is not None
    note.owner_id = owner.id  # the home it is registered for (asked, or named by context)
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
    """Count the home's direct complaints opened in the last 24 hours by its account.

    Those opened before it moved here were the earlier account's.
    """
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

