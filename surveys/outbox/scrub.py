"""What `/forget` leaves of an owner in the outbox: messages to staff keep their facts, not the
owner.

Every kind that may name an owner to staff is listed in `SCRUBS` with its typed payload model
and what of it is the owner's: a row about the erased owner's records is read with its model,
those fields are cleared with `model_copy`, and the row stores the model's JSON again (so a
renderer reads it like any other row). Messages to the owner's own chat are dropped when
queued and emptied when sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.models import OutboxMessage, OutboxStatus
from surveys.outbox.escalation_payloads import (
    EscalationPayload,
    OwnerTextKeptPayload,
    ResolveOverduePayload,
    RiskWordsPayload,
)
from surveys.outbox.kinds import OutboxKind, OutboxPayload
from surveys.outbox.payloads import (
    AppealPayload,
    ComplaintPayload,
    CorrectionPayload,
)
from surveys.outbox.repeat_payloads import RepeatProblemPayload
from surveys.outbox.revisit_payloads import RevisitListPayload
from surveys.people.privacy import ErasedOwner

ERASED_CHAT = 0  # the chat id of a sent message to a forgotten owner
P = TypeVar("P", bound=OutboxPayload)
C = TypeVar("C", bound=ComplaintPayload)  # complaint, escalation and correction payloads
# What a complaint message to staff says of the owner: name, home, words (the complaint's
# text; the owner's message relayed to the agent is `reply_text`).
COMPLAINT_OWNER_FIELDS = ("owner_name", "owner_unit", "text", "reply_text")
APPEAL_OWNER_FIELDS = ("complaint_text", "comment")


def _cleared(payload: P, fields: tuple[str, ...], value: object = None) -> P:
    """The payload with those of the fields it holds set to `value` (others stay unset)."""
    return payload.model_copy(update={f: value for f in fields
                                      if f in payload.model_fields_set})


def _complaint(p: C, erased: ErasedOwner) -> C | None:
    if not erased.about(complaint_id=p.complaint_id, work_order=p.work_order_external_id):
        return None
    return _cleared(p, COMPLAINT_OWNER_FIELDS)


def _appeal(p: AppealPayload, erased: ErasedOwner) -> AppealPayload | None:
    if not erased.about(complaint_id=p.complaint_id, response_id=p.response_id):
        return None
    return _cleared(p, APPEAL_OWNER_FIELDS)


def _risk_words(p: RiskWordsPayload, erased: ErasedOwner) -> RiskWordsPayload | None:
    if not erased.about(complaint_id=p.complaint_id, work_order=p.work_order_external_id):
        return None
    return _cleared(_cleared(p, ("owner_name", "owner_unit")), ("text",), "")


def _owner_text(p: OwnerTextKeptPayload, erased: ErasedOwner) -> OwnerTextKeptPayload | None:
    if p.owner_id != erased.owner_id and p.owner_id not in erased.owner_ids:  # any of its homes
        return None
    return _cleared(_cleared(p, ("owner_name", "owner_unit")), ("text",), "")


def _revisit_list(p: RevisitListPayload, erased: ErasedOwner) -> RevisitListPayload | None:
    if not any(erased.about(work_order=o.work_order) for o in p.orders):
        return None
    owner = {"owner_name": None, "owner_phone": None, "building": None, "room": None}
    return p.model_copy(update={"orders": [
        o.model_copy(update=owner) if erased.about(work_order=o.work_order) else o
        for o in p.orders]})


def _repeat(p: RepeatProblemPayload, erased: ErasedOwner) -> RepeatProblemPayload | None:
    if not erased.about(work_order=p.work_order_external_id):
        return None
    return p.model_copy(update={"room": ""})  # the building stays, like the order's


class KindScrub(Protocol):
    """Erase an owner from a stored payload of one kind."""

    def __call__(self, stored: Mapping[str, object], erased: ErasedOwner
                 ) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Scrub(Generic[P]):
    """A kind's payload model and what clears the owner from it (None: not about them)."""

    payload: type[P]
    clear: Callable[[P, ErasedOwner], P | None]

    def __call__(self, stored: Mapping[str, object], erased: ErasedOwner
                 ) -> dict[str, Any] | None:
        """Return the stored JSON without the owner, or None when it is not about them."""
        try:
            payload = self.payload.of(stored)
        except ValidationError:  # emptied (sent to a chat forgotten before): nobody's data
            return None
        cleared = self.clear(payload, erased)
        return None if cleared is None else cleared.to_json()


# Kinds to staff that may name an owner (messages to the owner's chat are emptied whole).
SCRUBS: dict[OutboxKind, KindScrub] = {
    OutboxKind.COMPLAINT_OPENED: Scrub(ComplaintPayload, _complaint),
    OutboxKind.MANAGER_ALERT: Scrub(ComplaintPayload, _complaint),
    OutboxKind.COMPLAINT_ACKNOWLEDGED: Scrub(ComplaintPayload, _complaint),
    OutboxKind.COMPLAINT_OWNER_MESSAGE: Scrub(ComplaintPayload, _complaint),
    OutboxKind.COMPLAINT_CLOSED: Scrub(ComplaintPayload, _complaint),
    OutboxKind.COMPLAINT_OVERDUE: Scrub(ComplaintPayload, _complaint),
    OutboxKind.COMPLAINT_ESCALATED: Scrub(EscalationPayload, _complaint),
    OutboxKind.COMPLAINT_RESOLVE_OVERDUE: Scrub(ResolveOverduePayload, _complaint),
    OutboxKind.RISK_WORDS: Scrub(RiskWordsPayload, _risk_words),
    OutboxKind.OWNER_TEXT_KEPT: Scrub(OwnerTextKeptPayload, _owner_text),
    OutboxKind.APPEAL_FILED: Scrub(AppealPayload, _appeal),
    OutboxKind.APPEAL_DECIDED: Scrub(AppealPayload, _appeal),
    OutboxKind.TAG_CORRECTION_PROPOSED: Scrub(CorrectionPayload, _complaint),
    OutboxKind.TAG_CORRECTION_DECIDED: Scrub(CorrectionPayload, _complaint),
    OutboxKind.TAG_CORRECTION_APPLIED: Scrub(CorrectionPayload, _complaint),
    OutboxKind.REVISIT_LIST: Scrub(RevisitListPayload, _revisit_list),
    OutboxKind.REPEAT_PROBLEM: Scrub(RepeatProblemPayload, _repeat),
}


async def scrub_staff_messages(session: AsyncSession, *, erased: ErasedOwner) -> int:
    """Erase the owner's name, home, phone and words from messages to staff; return how many."""
    if erased.since is None:
        return 0
    rows = (await session.exec(select(OutboxMessage).where(
        col(OutboxMessage.kind).in_(list(SCRUBS)),
        col(OutboxMessage.created_at) >= erased.since))).all()
    changed = 0
    for row in rows:
        cleared = SCRUBS[OutboxKind(row.kind)](row.payload or {}, erased)
        if cleared is not None:
            row.payload = cleared
            changed += 1
    return changed


async def forget_chat(session: AsyncSession, *, chat_id: int) -> None:
    """Drop queued messages to the owner's chat; keep sent ones without whom or what."""
    # Queued messages would carry their data (and reach them).
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
