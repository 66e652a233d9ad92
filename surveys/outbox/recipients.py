"""Whether a manager's message queued for later still has a manager to read it."""

from __future__ import annotations

from sqlmodel import col, select

from surveys.core.db import SessionFactory
from surveys.models import Manager, OutboxMessage
from surveys.outbox.kinds import OutboxKind

# Manager messages that may wait in the outbox: the summary of an owner's texts kept past the
# daily limit waits up to 24 hours (surveys.complaints.owner_alerts).
WAITING_MANAGER_KINDS = frozenset({OutboxKind.OWNER_TEXT_KEPT})


async def manager_gone(db: SessionFactory, row: OutboxMessage) -> bool:
    """Tell whether a waiting manager message's chat has no active manager any more."""
    if row.kind not in WAITING_MANAGER_KINDS:
        return False
    async with db() as s:
        active = (await s.exec(select(Manager.id).where(
            col(Manager.chat_id) == row.chat_id, col(Manager.active).is_(True)).limit(1))).first()
    # Deactivated (left the team) since it was queued: an owner's words are not theirs to read.
    return active is None
