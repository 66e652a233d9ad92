"""Remember handled Telegram update ids: Telegram delivers updates at least once.

An update is marked only after it was handled, so one whose handling was cut short (a crash,
a kill -9) is handled again when Telegram redelivers it; the services are idempotent, which
makes the rare concurrent duplicate harmless.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import ProcessedUpdate


async def already_handled(*, db: SessionFactory, bot_id: int, update_id: int) -> bool:
    """Tell whether this update id was handled before."""
    async with db() as session:
        found = await session.get(ProcessedUpdate, (bot_id, update_id))
    return found is not None


async def mark_handled(*, db: SessionFactory, bot_id: int, update_id: int) -> None:
    """Remember that an update was handled (a second mark is harmless)."""
    try:
        async with db() as session, session.begin():
            session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id))
    except IntegrityError:
        pass


async def forget_old_updates(*, db: SessionFactory, older_than: timedelta) -> int:
    """Delete update ids older than the given age; return how many."""
    cutoff = clock.now() - older_than
    async with db() as session, session.begin():
        result = await session.execute(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < cutoff)
        )
    return int(getattr(result, "rowcount", 0) or 0)
