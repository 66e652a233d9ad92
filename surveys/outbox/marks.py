"""What became of a claimed row, recorded: sent (and its survey with it), or failed.

Each update matches the row only while this dispatcher still holds its claim, so one whose
lease passed to another dispatcher never overwrites the other's outcome.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.expiry import expiry_for
from surveys.core.pii import mask_secrets
from surveys.models import OutboxMessage, OutboxStatus, Survey, SurveyStatus

log = logging.getLogger("surveys.outbox.dispatch")  # one logger name for the dispatcher's lines


async def mark_sent(*, db: SessionFactory, row: OutboxMessage, worker: str,
                    message_id: int | None, stood_in: bool = False) -> None:
    """Mark the row sent; a survey's row marks its survey (and those folded into it) sent.

    A message that stood in for a deleted survey card (a reminder, or a reply edit of the
    card sent afresh) is the survey's card from then on.
    """
    now = clock.now()
    async with db() as s, s.begin():
        result = await s.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row.id,
                   col(OutboxMessage.claimed_by) == worker,
                   col(OutboxMessage.status) == OutboxStatus.SENDING)
            .values(status=OutboxStatus.SENT, sent_at=now, message_id=message_id,
                    claimed_until=None, attempts=row.attempts + 1)
        )
        if not result.rowcount:
            log.error("outbox row %s was sent but its lease had passed to another "
                      "dispatcher: it may be sent twice", row.id)
        if stood_in and message_id:
            # Later edits (an answer, the expiry) go to the card the owner can still see.
            await _move_card(s, row, message_id)
        if row.kind == "survey" and row.survey_id is not None:
            await s.exec(
                update(Survey)
                .where(col(Survey.id) == row.survey_id,
                       col(Survey.status) == SurveyStatus.PENDING)
                .values(status=SurveyStatus.SENT, sent_at=now, chat_id=row.chat_id,
                        message_id=message_id, expires_at=expiry_for(now, row.payload))
            )
            # The orders folded into it were surveyed by this message too (points count
            # them as sent; their answer is copied when this one is submitted).
            await s.exec(
                update(Survey)
                .where(col(Survey.folded_into_id) == row.survey_id,
                       col(Survey.status) == SurveyStatus.FOLDED)
                .values(sent_at=now)
            )


async def _move_card(s: AsyncSession, row: OutboxMessage, message_id: int) -> None:
    if row.kind == "reminder" and row.survey_id:
        await s.exec(update(Survey).where(col(Survey.id) == row.survey_id)
                     .values(message_id=message_id))
    survey_id, edited = row.payload.get("survey_id"), row.payload.get("edit_message_id")
    if row.kind == "text" and survey_id and edited:
        # Only from the card it edited: a stale edit never takes the survey off a newer card.
        await s.exec(update(Survey).where(col(Survey.id) == int(survey_id),
                                          col(Survey.chat_id) == row.chat_id,
                                          col(Survey.message_id) == int(edited))
                     .values(message_id=message_id))


async def finish(
    *, db: SessionFactory, row: OutboxMessage, worker: str, status: OutboxStatus, error: str,
    survey_status: str | None, attempts: int | None = None,
) -> None:
    """Close the row with `status` and its error; a pending survey's row sets its status."""
    async with db() as s, s.begin():
        await s.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row.id,
                   col(OutboxMessage.claimed_by) == worker)
            .values(status=status, last_error=mask_secrets(error)[:2000], claimed_until=None,
                    attempts=attempts if attempts is not None else row.attempts)
        )
        if survey_status and row.survey_id and row.kind == "survey":
            await s.exec(
                update(Survey)
                .where(col(Survey.id) == row.survey_id,
                       col(Survey.status) == SurveyStatus.PENDING)
                .values(status=survey_status)
            )


async def uncancellable(coro: Coroutine[Any, Any, Any]) -> None:
    """Run a coroutine to completion even if the caller is cancelled meanwhile."""
    task = asyncio.ensure_future(coro)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()
    if cancelled:
        raise asyncio.CancelledError
