"""An owner's right to be forgotten: erase the owner's rows, keep anonymous ratings.

`erase_person` clears, on every owner row with the person's phone (one per community), the
owner's name, phone, building, room and Telegram ids, their comment (also in the classifier's
record) and complaint texts, the chat ids on their surveys, and the room on their work orders
(building and room in a community name a household); it sets `forgotten_at` and opts them out;
a prompt waiting for their text is dropped, and so are the owner texts the account wrote, also
those a home moved to another account since still holds. The ratings (and the classifier's
tags) stay, tied to an owner row that no longer says who it was, and so do each order's
building, category and repeat marks (`occurrence`, `repeat_of_id`), so the statistics, the
reports by building and agents' points do not change. A later order of that unit is no longer
counted as a repeat of theirs: nothing ties the unit to them any more. It returns the records
messages may be about: the outbox, a layer up, scrubs those (`surveys.outbox.scrub`), and
`surveys.survey.forget.forget_owner` is the one service that does both in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.models import (
    AuditLog,
    Complaint,
    ComplaintMessage,
    Invite,
    Owner,
    OwnerText,
    Response,
    Role,
    StaffPrompt,
    StoredClassification,
    Survey,
    WorkOrder,
)

ERASED = ""


@dataclass(frozen=True)
class ErasedOwner:
    """What was erased: the owner, their chat, and the records messages to staff may be about."""

    owner_id: int
    chat_id: int | None
    since: datetime | None  # the first of those records (None: the owner had none)
    complaint_ids: frozenset[int] = frozenset()
    response_ids: frozenset[int] = frozenset()
    work_orders: frozenset[str] = frozenset()  # external ids of their orders
    # Every owner row erased (each home, and each row with one of their phones).
    owner_ids: frozenset[int] = frozenset()

    def about(self, *, complaint_id: int | None = None, response_id: int | None = None,
              work_order: str | None = None) -> bool:
        """Tell whether a message naming these records is about the erased owner."""
        return (complaint_id in self.complaint_ids or response_id in self.response_ids
                or work_order in self.work_orders)


async def _person_rows(session: AsyncSession, homes: Sequence[Owner]) -> list[Owner]:
    """The account's bound homes and every other row of their phones (one per community)."""
    phones = {owner.phone for owner in homes if owner.phone is not None}
    others = (
        await session.exec(
            select(Owner).where(
                col(Owner.phone).in_(phones), col(Owner.id).not_in([o.id for o in homes]),
                col(Owner.forgotten_at).is_(None),
            ).order_by(col(Owner.id))
        )
    ).all() if phones else []
    return [*homes, *others]


def _without_words(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The classifier's record without the comment it repeats; its aspects and evidence words
    stay for the statistics. A record this code cannot read (no version wrote one) goes whole:
    it may hold the words anywhere."""
    if not stored:
        return stored
    try:
        verdict = StoredClassification.model_validate(stored)
    except ValidationError:
        return None
    return verdict.without_text() if verdict.text else stored


async def _erase_row(session: AsyncSession, owner: Owner, now: datetime) -> ErasedOwner:
    """Erase one owner row's personal data and their words in responses and complaints."""
    owner_id = owner.id
    assert owner_id is not None  # a stored row
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
        response.classification = _without_words(response.classification)
    await session.exec(
        update(Survey).where(col(Survey.owner_id) == owner_id).values(chat_id=None, message_id=None)
    )
    await session.exec(
        update(WorkOrder).where(col(WorkOrder.owner_id) == owner_id).values(room=None)
    )
    await _erase_complaint_words(session, col(Complaint.owner_id) == owner_id)
    # Texts kept without a complaint (awaiting a confirmation, over the daily limit).
    await session.exec(delete(OwnerText).where(col(OwnerText.owner_id) == owner_id))
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
    return await _records(session, owner_id, responses)


async def _records(session: AsyncSession, owner_id: int, responses: Sequence[Response]
                   ) -> ErasedOwner:
    """The owner row's complaints, responses and orders, and when the first began."""
    complaints = (await session.exec(select(Complaint.id, Complaint.opened_at).where(
        col(Complaint.owner_id) == owner_id))).all()
    # Every order of theirs (a repeat alert names an order that got no survey too), from the
    # earlier of its row and its survey (an order closed late has an older survey).
    surveyed = (await session.exec(select(WorkOrder.external_id, WorkOrder.created_at,
                                          Survey.created_at).outerjoin(
        Survey, col(Survey.work_order_id) == col(WorkOrder.id)).where(
        col(WorkOrder.owner_id) == owner_id))).all()
    firsts = [at for _, at in complaints] + [min(a for a in (made, sent) if a is not None)
                                             for _, made, sent in surveyed]
    return ErasedOwner(
        owner_id=owner_id, chat_id=None, since=min(firsts) if firsts else None,
        complaint_ids=frozenset(c for c, _ in complaints if c is not None),
        response_ids=frozenset(r.id for r in responses if r.id is not None),
        work_orders=frozenset(w for w, _, _ in surveyed), owner_ids=frozenset({owner_id}))


def _merged(parts: list[ErasedOwner], owner_id: int, chat_id: int | None) -> ErasedOwner:
    starts = [p.since for p in parts if p.since is not None]
    return ErasedOwner(
        owner_id=owner_id, chat_id=chat_id, since=min(starts) if starts else None,
        complaint_ids=frozenset().union(*(p.complaint_ids for p in parts)),
        response_ids=frozenset().union(*(p.response_ids for p in parts)),
        work_orders=frozenset().union(*(p.work_orders for p in parts)),
        owner_ids=frozenset().union(*(p.owner_ids for p in parts)))


async def erase_person(session: AsyncSession, *, telegram_user_id: int, now: datetime
                       ) -> ErasedOwner | None:
    """Erase the rows of the owner bound to this Telegram user, in the caller's transaction.

    Every home the account holds, and every owner row with one of their phones, is the same
    person (one row per home) and is erased too. Messages in the outbox are the caller's
    (`surveys.outbox.scrub`).
    """
    homes = (await session.exec(
        select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
        .order_by(col(Owner.id)))).all()
    if not homes or homes[0].id is None:
        return None
    owner_id, chat_id = homes[0].id, homes[0].chat_id
    parts = [await _erase_row(session, row, now) for row in await _person_rows(session, homes)]
    # The words the account wrote that a home it no longer holds keeps (moved by an invite).
    await session.exec(
        delete(OwnerText).where(col(OwnerText.telegram_user_id) == telegram_user_id))
    # ...and the account, its complaint text and its messages on complaints it filed on such a
    # home, also in the messages to staff about them (their words joined after the move).
    parts.append(await _filed_elsewhere(session, owner_id, telegram_user_id))
    await _erase_complaint_words(session, col(Complaint.telegram_user_id) == telegram_user_id)
    await session.exec(
        delete(StaffPrompt).where(col(StaffPrompt.telegram_user_id) == telegram_user_id)
    )
    return _merged(parts, owner_id, chat_id)


async def _filed_elsewhere(session: AsyncSession, owner_id: int, telegram_user_id: int
                           ) -> ErasedOwner:
    """The complaints the account filed that its erased homes do not hold (moved away)."""
    filed = (await session.exec(select(Complaint.id, Complaint.opened_at).where(
        col(Complaint.telegram_user_id) == telegram_user_id))).all()
    return ErasedOwner(owner_id=owner_id, chat_id=None,
                       since=min((at for _, at in filed), default=None),
                       complaint_ids=frozenset(c for c, _ in filed if c is not None))


async def _erase_complaint_words(session: AsyncSession, which: ColumnElement[bool]) -> None:
    """Erase the owner's words and the filing account on the complaints `which` selects."""
    # The messages first: their complaints are found by the condition the update clears.
    await session.exec(
        update(ComplaintMessage)
        .where(col(ComplaintMessage.complaint_id).in_(select(Complaint.id).where(which)),
               col(ComplaintMessage.sender_role) == Role.OWNER)
        .values(text=ERASED)
    )
    await session.exec(update(Complaint).where(which).values(text=None, telegram_user_id=None))
