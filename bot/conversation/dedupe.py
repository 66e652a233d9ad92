"""Remember handled Telegram update ids: Telegram delivers updates at least once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from surveys import clock
from surveys.db import SessionFactory
from surveys.models import ProcessedUpdate


async def first_delivery(*, db: SessionFactory, bot_id: int, update_id: int) -> bool:
    """Record an update id; return False when it was handled before."""
    try:
        async with db() as session, session.begin():
            session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id))
    except IntegrityError:
        return False
    return True


async def forget_old_updates(*, db: SessionFactory, older_than: timedelta) -> int:
    """Delete update ids older than the given age; return how many."""
    cutoff = clock.now() - older_than
    async with db() as session, session.begin():
        result = await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.at < cutoff)  # type: ignore[arg-type]
        )
    return int(getattr(result, "rowcount", 0) or 0)
