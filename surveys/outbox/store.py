"""The durable outbox: enqueue inside the caller's transaction; claim rows with a lease.

Every state change of a row is a short transaction of its own, so the bot can answer taps
while the dispatcher works (SQLite has one writer at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.pii import mask_secrets
from surveys.models import OutboxMessage, OutboxStatus
from surveys.outbox.kinds import OutboxKind, OutboxPayload
from surveys.outbox.payloads import TextPayload
from surveys.outbox.ports import Keyboard


async def enqueue(
    session: AsyncSession,
    *,
    kind: OutboxKind,
    dedupe_key: str,
    chat_id: int,
    payload: OutboxPayload,
    survey_id: int | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox in the caller's transaction; None if the key exists."""
    found = (
        await session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    ).first()
    if found is not None:
        return None
    row = OutboxMessage(**outbox_row(kind=kind, dedupe_key=dedupe_key, chat_id=chat_id,
                                     payload=payload.to_json(), survey_id=survey_id,
                                     not_before=not_before))
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None  # enqueued concurrently by someone else: same effect
    return row


def outbox_row(*, kind: str, dedupe_key: str, chat_id: int, payload: dict[str, Any],
               survey_id: int | None = None, not_before: datetime | None = None
               ) -> dict[str, Any]:
    """Return a new pending outbox row (for `enqueue`, or a batch that inserts many)."""
    now = clock.now()
    return {"kind": kind, "dedupe_key": dedupe_key, "chat_id": chat_id, "payload": payload,
            "survey_id": survey_id, "status": OutboxStatus.PENDING.value, "attempts": 0,
            "next_attempt_at": not_before or now, "created_at": now}


def buttons_to_json(buttons: Keyboard | None) -> list[list[dict[str, str | None]]] | None:
    """Serialise a keyboard for a "text" outbox payload."""
    if buttons is None:
        return None
    return [
        [{"text": b.text, "callback_data": b.callback_data, "url": b.url} for b in row]
        for row in buttons
    ]


async def enqueue_text(
    *,
    db: SessionFactory,
    chat_id: int,
    text: str,
    dedupe_key: str,
    buttons: Keyboard | None = None,
    edit_message_id: int | None = None,
    survey_id: int | None = None,
) -> bool:
    """Queue a text message (kind "text") or an edit of `edit_message_id`; False if known."""
    payload = TextPayload(text=text, buttons=buttons_to_json(buttons),
                          edit_message_id=edit_message_id, survey_id=survey_id)
    async with db() as s, s.begin():
        row = await enqueue(s, kind=OutboxKind.TEXT, dedupe_key=dedupe_key, chat_id=chat_id,
                            payload=payload)
        return row is not None


def _claimable(now: datetime) -> Any:
    return or_(
        and_(
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.next_attempt_at) <= now,
        ),
        # A lease that ran out: the process that held it died (or hung) before marking.
        and_(
            col(OutboxMessage.status) == OutboxStatus.SENDING,
            col(OutboxMessage.claimed_until) < now,
        ),
    )


async def claim(
    *, db: SessionFactory, worker: str, limit: int, lease: timedelta, postgres: bool = False
) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for `worker` (status SENDING, committed) and return them."""
    now = clock.now()
    until = now + lease
    async with db() as s, s.begin():
        query = (
            select(OutboxMessage.id)
            .where(_claimable(now))
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        )
        if postgres:
            query = query.with_for_update(skip_locked=True)
        ids = list((await s.exec(query)).all())
        if not ids:
            return []
        # The condition is repeated so two claimers on SQLite cannot take the same row.
        await s.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), _claimable(now))
            .values(status=OutboxStatus.SENDING, claimed_by=worker, claimed_until=until)
        )
        rows = (
            await s.exec(
                select(OutboxMessage)
                .where(
                    col(OutboxMessage.id).in_(ids),
                    col(OutboxMessage.claimed_by) == worker,
                    col(OutboxMessage.claimed_until) == until,
                )
                .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            )
        ).all()
        return list(rows)


async def renew_lease(
    *, db: SessionFactory, row_id: int, worker: str, lease: timedelta
) -> datetime | None:
    """Extend our lease on a row; None when it is no longer ours."""
    until = clock.now() + lease
    async with db() as s, s.begin():
        result = await s.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == row_id,
                col(OutboxMessage.claimed_by) == worker,
                col(OutboxMessage.status) == OutboxStatus.SENDING,
            )
            .values(claimed_until=until)
        )
        return until if result.rowcount else None


async def release(
    *, db: SessionFactory, rows: Sequence[tuple[int, datetime]], worker: str,
    attempts_delta: int = 0, error: str | None = None,
) -> None:
    """Put claimed rows back to PENDING, each due at its given time."""
    if not rows:
        return
    async with db() as s, s.begin():
        for row_id, due in rows:
            values: dict[str, Any] = {
                "status": OutboxStatus.PENDING, "next_attempt_at": due,
                "claimed_by": None, "claimed_until": None,
                "attempts": col(OutboxMessage.attempts) + attempts_delta,
            }
            if error is not None:
                values["last_error"] = mask_secrets(error)[:2000]
            await s.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.id) == row_id,
                    col(OutboxMessage.claimed_by) == worker,
                    col(OutboxMessage.status) == OutboxStatus.SENDING,
                )
                .values(**values)
            )


async def pending_count(*, db: SessionFactory) -> int:
    """Count rows not yet sent or failed (for health checks and tests)."""
    async with db() as s:
        count = await s.exec(
            select(func.count()).select_from(OutboxMessage).where(
                col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
            )
        )
        return int(count.one())
