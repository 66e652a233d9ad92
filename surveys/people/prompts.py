"""Prompts: what a person's next text is for (a reply to relay, a reason to record).

Stored in `staff_prompt`, one row per Telegram user, so a prompt survives a restart and any
replica behind the webhook can take the text. Taking deletes the row and returns it in one
statement (`DELETE ... RETURNING`): of two replicas handling the same text, one gets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import StaffPrompt

DEFAULT_TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Prompt:
    """A taken prompt; `expired` ones are reported so the person can be told, not acted on."""

    kind: str
    target: int
    expires_at: datetime
    expired: bool


async def set_prompt(*, db: SessionFactory, telegram_user_id: int, kind: str, target: int,
                     ttl: timedelta = DEFAULT_TTL) -> datetime:
    """Wait for this person's next text as `kind` about `target`, replacing any earlier prompt.

    Returns when the prompt expires.
    """
    now = clock.now()
    values: dict[str, Any] = {"kind": kind, "target_id": target, "created_at": now,
                              "expires_at": now + ttl}
    async with db() as s, s.begin():
        dialect = (await s.connection()).dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(StaffPrompt).values(telegram_user_id=telegram_user_id, **values)
        await s.exec(stmt.on_conflict_do_update(
            index_elements=[col(StaffPrompt.telegram_user_id)], set_=values))
    return now + ttl


async def _delete(db: SessionFactory, telegram_user_id: int) -> tuple[str, int, datetime] | None:
    # Every text a person sends asks; a plain read first keeps the usual "nothing waiting"
    # answer off SQLite's single write lock.
    async with db() as s:
        if await s.get(StaffPrompt, telegram_user_id) is None:
            return None
    stmt = (delete(StaffPrompt)
            .where(col(StaffPrompt.telegram_user_id) == telegram_user_id)
            .returning(col(StaffPrompt.kind), col(StaffPrompt.target_id),
                       col(StaffPrompt.expires_at)))
    async with db() as s, s.begin():
        row = (await s.exec(stmt)).first()
    return None if row is None else (row[0], row[1], row[2])


async def take_prompt(*, db: SessionFactory, telegram_user_id: int) -> Prompt | None:
    """Remove and return this person's prompt (None if there is none, or another took it)."""
    row = await _delete(db, telegram_user_id)
    if row is None:
        return None
    kind, target, expires_at = row
    return Prompt(kind, target, expires_at, expired=expires_at <= clock.now())


async def clear_prompt(*, db: SessionFactory, telegram_user_id: int) -> bool:
    """Forget this person's prompt; tell whether a live (unexpired) one was waiting."""
    row = await _delete(db, telegram_user_id)
    return row is not None and row[2] > clock.now()
