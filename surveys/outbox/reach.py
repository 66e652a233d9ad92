"""Owners whose chat Telegram refuses for good: not tried again until they write, or a week.

A 403 (the bot blocked, the account deleted) or "chat not found" refuses every later
message to that chat too. The first refusal marks the owner (`Owner.unreachable_since`);
their next surveys and reminders are then given up at once (survey `undeliverable`, so the
回访 staff call instead) without a Bot API call each. Anything the owner sends the bot —
/start (what Telegram's "Restart" button sends after unblocking), a text, a tap — clears
the mark (`reachable_again`; binding again too, `surveys.people.binding`); after `RECHECK`
one message is tried again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col

from surveys.core.db import SessionFactory
from surveys.models import Owner

RECHECK = timedelta(days=7)


def unreachable(owner: Owner, now: datetime) -> bool:
    """Tell whether messages to this owner are given up without trying (marked lately)."""
    return owner.unreachable_since is not None and now - owner.unreachable_since < RECHECK


async def mark_unreachable(*, db: SessionFactory, chat_id: int, now: datetime) -> None:
    """Mark the owners of this chat unreachable from now (a later refusal moves the mark)."""
    async with db() as s, s.begin():
        await s.exec(
            update(Owner).where(col(Owner.chat_id) == chat_id).values(unreachable_since=now)
        )


async def reachable_again(*, db: SessionFactory, chat_id: int) -> None:
    """Clear the mark of the owners of this chat: they just wrote to the bot from it."""
    async with db() as s, s.begin():
        await s.exec(
            update(Owner).where(col(Owner.chat_id) == chat_id,
                                col(Owner.unreachable_since).is_not(None))
            .values(unreachable_since=None)
        )
