"""Which chat message is a survey's card: the one later edits (answers, expiry) go to."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import col

from surveys.core.db import SessionFactory
from surveys.models import Survey

log = logging.getLogger(__name__)


async def move_card(*, db: SessionFactory, survey_id: int, chat_id: int,
                    from_message_id: int, to_message_id: int) -> bool:
    """Make `to_message_id` the survey's card if `from_message_id` still is; return if moved.

    The chat layer sends a card afresh when Telegram refuses to edit it (the owner deleted
    it): without this the expiry would edit the deleted card and leave the fresh one's
    buttons live. Matching the old id makes a repeated call (an update handled twice) a
    no-op, and keeps a stale card's refusal from taking the survey off its current card.
    """
    async with db() as s, s.begin():
        result = await s.exec(
            update(Survey)
            .where(col(Survey.id) == survey_id, col(Survey.chat_id) == chat_id,
                   col(Survey.message_id) == from_message_id)
            .values(message_id=to_message_id)
        )
    moved = bool(result.rowcount)
    if moved:
        log.info("survey %s: its card is now message %s (message %s could not be edited)",
                 survey_id, to_message_id, from_message_id)
    return moved
