"""/forget as one service: the owner's rows erased and the outbox scrubbed in one transaction."""

from __future__ import annotations

from surveys.core import clock
from surveys.core.db import SessionFactory, purge_old_copies
from surveys.outbox.scrub import forget_chat, scrub_staff_messages
from surveys.people.privacy import erase_person


async def forget_owner(*, db: SessionFactory, telegram_user_id: int) -> int | None:
    """Erase the personal data of the owner bound to this Telegram user; return their id.

    Their rows (`surveys.people.privacy.erase_person`), messages to staff about their records
    and every message to their chat (`surveys.outbox.scrub`); the ratings stay, anonymous.
    """
    async with db() as session, session.begin():
        erased = await erase_person(session, telegram_user_id=telegram_user_id,
                                    now=clock.now())
        if erased is None:
            return None
        await scrub_staff_messages(session, erased=erased)
        if erased.chat_id is not None:
            await forget_chat(session, chat_id=erased.chat_id)
    await purge_old_copies(db)  # no copy of the erased rows left in SQLite's WAL or free space
    return erased.owner_id
