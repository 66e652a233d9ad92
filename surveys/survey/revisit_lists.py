"""The 回访 staff's morning list: each active, bound 回访 staff member gets the surveys of
their communities waiting for a phone or visit 回访, as one outbox message a day.

The day is the caller's (the job passes the company's date), so the list is queued once per
person and day however often the job runs, on any replica.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlmodel import col, select

from surveys.core.db import SessionFactory
from surveys.core.pii import mask_phone
from surveys.models import Revisitor
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.revisit_payloads import PendingOrder, RevisitListPayload
from surveys.outbox.store import enqueue
from surveys.survey.revisits import pending_revisits

log = logging.getLogger(__name__)


async def queue_revisit_lists(*, db: SessionFactory, day: date, window: timedelta,
                              limit: int) -> int:
    """Queue today's list for every active, bound 回访 staff member with work; return how many."""
    async with db() as s:
        people = list((await s.exec(select(Revisitor).where(
            col(Revisitor.active).is_(True), col(Revisitor.chat_id).is_not(None)))).all())
    queued = 0
    for person in people:
        targets, count = await pending_revisits(db=db, community_id=person.community_id,
                                                window=window, limit=limit)
        if not count:
            continue
        payload = RevisitListPayload(count=count, locale=person.language, orders=[
            PendingOrder(work_order=t.work_order, title=t.title, owner_name=t.owner_name,
                         owner_phone=mask_phone(t.owner_phone) if t.owner_phone else None,
                         building=t.building, room=t.room, reason=t.reason)
            for t in targets])
        assert person.chat_id is not None
        async with db() as s, s.begin():
            row = await enqueue(s, kind=OutboxKind.REVISIT_LIST, chat_id=person.chat_id,
                                dedupe_key=f"revisit-list:{person.id}:{day.isoformat()}",
                                payload=payload)
        queued += row is not None
    log.info("回访 lists queued: %s (of %s staff)", queued, len(people))
    return queued
