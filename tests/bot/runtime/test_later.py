"""A reply Telegram kept refusing waits in the outbox: the same edit queued twice is one row."""

from __future__ import annotations

from sqlmodel import select

from bot.runtime.later import OutboxLater
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage
from surveys.outbox.ports import Button


async def test_the_same_edit_handed_over_twice_is_queued_once_and_a_new_one_again(
        db: SessionFactory) -> None:
    # An update handled again after a failure hands its edit over again: had the owner
    # deleted the card, two rows would send the card afresh twice.
    later = OutboxLater(db)
    stars = [[Button("1⭐", "s:1")]]
    for _ in range(2):
        await later.edit(chat_id=5001, message_id=7, text="★★★★☆", buttons=stars, survey_id=3)
    await later.edit(chat_id=5001, message_id=7, text="★★★☆☆", buttons=stars, survey_id=3)
    async with db() as s:
        rows = (await s.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(r.payload["text"], r.payload["edit_message_id"], r.payload["survey_id"])
            for r in rows] == [("★★★★☆", 7, 3), ("★★★☆☆", 7, 3)]
