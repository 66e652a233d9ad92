"""Report texts kept a few minutes in the database, so any replica can turn their pages.

Building a month's report costs seconds of CPU at scale; the text a page was cut from is
stored when its first page is sent and read back on each ◀️ / ▶️ tap while it is fresh,
whichever replica Telegram hands the tap to. Storing a text deletes the stale ones, so the
table holds only the last few minutes' reports.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import PageText


async def keep_text(*, db: SessionFactory, key: str, text: str, fresh_for: timedelta) -> None:
    """Store a text just sent under its key (replacing an older one), dropping stale texts."""
    now = clock.now()
    try:
        async with db() as session, session.begin():
            await session.exec(delete(PageText).where(col(PageText.key) == key))
            await session.exec(delete(PageText).where(col(PageText.created_at) < now - fresh_for))
            session.add(PageText(key=key, text=text, created_at=now))
    except IntegrityError:
        pass  # another replica stored the same view's text this instant: equally fresh


async def fresh_text(*, db: SessionFactory, key: str, fresh_for: timedelta) -> str | None:
    """Return the text stored under the key if it is still fresh, else None."""
    async with db() as session:
        row = await session.get(PageText, key)
    if row is None or clock.now() - row.created_at > fresh_for:
        return None
    return row.text
