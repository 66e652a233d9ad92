"""An owner's right to be forgotten: erase personal data, keep anonymous ratings.

`forget_owner` clears the owner's name, phone, building, room and Telegram ids, their comment
and complaint texts, and the chat ids on their surveys and queued messages; it sets
`forgotten_at` and opts them out; a prompt waiting for their text is dropped. The ratings (and
the classifier's tags) stay, tied to an owner row that no longer says who it was, so the
statistics and agents' points do not change.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import col, select

from surveys import clock
from surveys.db import SessionFactory
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


async def forget_owner(*, db: SessionFactory, telegram_user_id: int) -> int | None:
    """Erase the personal data of the owner bound to this Telegram user; return their id."""
    async with db() as session, session.begin():
        owner = (
            await session.exec(
                select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
            )
        ).one_or_none()
        if owner is None or owner.id is None:
            return None
        owner_id = owner.id
        chat_id = owner.chat_id
        now = clock.now()
        owner.name = ERASED
        owner.phone = owner.building = owner.room = None
        owner.telegram_user_id = owner.chat_id = None
        owner.language = None
        owner.opted_out = True
        owner.forgotten_at = now

        survey_ids = select(Survey.id).where(col(Survey.owner_id) == owner_id)
        await session.exec(
            update(Response).where(col(Response.survey_id).in_(survey_ids)).values(comment=None)
        )
        await session.exec(
            update(Survey)
            .where(col(Survey.owner_id) == owner_id)
            .values(chat_id=None, message_id=None)
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
        if chat_id is not None:
            # Queued messages to this chat would carry their data (and reach them): drop them.
            await session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.chat_id) == chat_id,
                    col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                )
                .values(status=OutboxStatus.FAILED, payload={}, last_error="owner forgotten")
            )
        await session.exec(
            delete(StaffPrompt).where(col(StaffPrompt.telegram_user_id) == telegram_user_id)
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
        session.add(
            AuditLog(
                actor_role=Role.OWNER,
                actor_id=owner_id,
                action="owner.forget",
                subject_kind="owner",
                subject_id=owner_id,
                detail={},
            )
        )
    return owner_id
