"""An owner's right to be forgotten: erase personal data, keep anonymous ratings.

`forget_owner` clears, on every owner row with the person's phone (one per community), the
owner's name, phone, building, room and Telegram ids, their comment (also in the classifier's
record) and complaint texts, the chat ids on their surveys, every
message to their chat (queued ones are dropped, sent ones keep no chat id or content), and
their name, home and words in messages to staff about their complaints and ratings; it sets
`forgotten_at` and opts them out; a prompt waiting for their text is dropped. The ratings (and
the classifier's tags) stay, tied to an owner row that no longer says who it was, so the
statistics and agents' points do not change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory, purge_old_copies
from surveys.models import (
    AuditLog,
    Complaint,
    ComplaintMessage,
    Invite,
    OutboxMessage,
    OutboxStatus,
    Owner,
    Response,
    Role,
    StaffPrompt,
    Survey,
)

ERASED = ""
ERASED_CHAT = 0  # the chat id of a sent message to a forgotten owner
# What staff messages about a complaint or rating say of the owner (see complaint_payload and
# appeals._payload); the owner's words relayed to the agent are `reply_text`.
OWNER_FIELDS = ("owner_name", "owner_unit", "text", "complaint_text", "comment")
STAFF_KINDS = ("complaint_opened", "manager_alert", "complaint_acknowledged",
               "complaint_owner_message", "complaint_closed", "complaint_overdue",
               "appeal_filed", "appeal_decided", "tag_correction_proposed",
               "tag_correction_decided", "tag_correction_applied")


async def _scrub_staff_messages(
    session: AsyncSession, *, since: datetime, complaint_ids: set[int | None],
    response_ids: set[int | None],
) -> None:
    """Erase the owner's name, home and words from messages to staff about their records."""
    rows = (
        await session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.kind).in_(STAFF_KINDS), col(OutboxMessage.created_at) >= since
            )
        )
    ).all()
    for row in rows:
        payload = dict(row.payload or {})
        if (
            payload.get("complaint_id") not in complaint_ids - {None}
            and payload.get("response_id") not in response_ids - {None}
        ):
            continue
        for key in OWNER_FIELDS:
            if key in payload:
                payload[key] = None
        if row.kind == "complaint_owner_message":
            payload["reply_text"] = None
        row.payload = payload


async def _person_rows(session: AsyncSession, owner: Owner) -> list[Owner]:
    """The bound owner row and every other row of that phone (one per community)."""
    if owner.phone is None:
        return [owner]
    others = (
        await session.exec(
            select(Owner).where(
                col(Owner.phone) == owner.phone, col(Owner.id) != owner.id,
                col(Owner.forgotten_at).is_(None),
            )
        )
    ).all()
    return [owner, *others]


async def _erase_row(session: AsyncSession, owner: Owner, now: datetime) -> None:
    """Erase one owner row's personal data and everything said by or about it."""
    owner_id = owner.id
    owner.name = ERASED
    owner.phone = owner.building = owner.room = None
    owner.telegram_user_id = owner.chat_id = None
    owner.language = None
    owner.opted_out = True
    owner.forgotten_at = now

    survey_ids = select(Survey.id).where(col(Survey.owner_id) == owner_id)
    responses = (
        await session.exec(select(Response).where(col(Response.survey_id).in_(survey_ids)))
    ).all()
    for response in responses:
        response.comment = None
        if response.classification and response.classification.get("text"):
            # The classifier's record repeats the whole comment; its aspects and evidence
            # words stay for the statistics.
            response.classification = {**response.classification, "text": None}
    await session.exec(
        update(Survey).where(col(Survey.owner_id) == owner_id).values(chat_id=None, message_id=None)
    )
    complaint_ids = select(Complaint.id).where(col(Complaint.owner_id) == owner_id)
    await session.exec(
        update(Complaint).where(col(Complaint.owner_id) == owner_id).values(text=None)
    )
    await session.exec(
        update(ComplaintMessage)
        .where(
            col(ComplaintMessage.complaint_id).in_(complaint_ids),
            col(ComplaintMessage.sender_role) == Role.OWNER,
        )
        .values(text=ERASED)
    )
    complaints = (
        await session.exec(select(Complaint).where(col(Complaint.owner_id) == owner_id))
    ).all()
    firsts = [c.opened_at for c in complaints] + [r.created_at for r in responses]
    if firsts:
        await _scrub_staff_messages(
            session, since=min(firsts), complaint_ids={c.id for c in complaints},
            response_ids={r.id for r in responses},
        )
    await session.exec(
        update(Invite)
        .where(
            col(Invite.role) == Role.OWNER,
            col(Invite.subject_id) == owner_id,
            col(Invite.used_at).is_(None),
        )
        .values(used_at=now)
    )
    session.add(AuditLog(actor_role=Role.OWNER, actor_id=owner_id, action="owner.forget",
                         subject_kind="owner", subject_id=owner_id, detail={}))


async def _forget_chat(session: AsyncSession, chat_id: int) -> None:
    # Queued messages to this chat would carry their data (and reach them): drop them.
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.chat_id) == chat_id,
            col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(status=OutboxStatus.FAILED, payload={}, last_error="owner forgotten")
    )
    # Sent ones keep their row (its dedupe key), but not whom it went to or what it said.
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.chat_id) == chat_id)
        .values(chat_id=ERASED_CHAT, payload={})
    )


async def forget_owner(*, db: SessionFactory, telegram_user_id: int) -> int | None:
    """Erase the personal data of the owner bound to this Telegram user; return their id.

    Every owner row with the bound row's phone is the same person (one row per community)
    and is erased too.
    """
    async with db() as session, session.begin():
        owner = (
            await session.exec(
                select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
            )
        ).one_or_none()
        if owner is None or owner.id is None:
            return None
        owner_id, chat_id, now = owner.id, owner.chat_id, clock.now()
        for row in await _person_rows(session, owner):
            await _erase_row(session, row, now)
        if chat_id is not None:
            await _forget_chat(session, chat_id)
        await session.exec(
            delete(StaffPrompt).where(col(StaffPrompt.telegram_user_id) == telegram_user_id)
        )
    await purge_old_copies(db)  # no copy of the erased rows left in SQLite's WAL or free space
    return owner_id
