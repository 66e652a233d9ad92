"""Pending chat-menu resets of people who stopped being staff, kept in the job_run ledger.

Deactivating an agent or manager happens where no bot may be running (the admin CLI), so
it only records that their chat still shows a staff menu; the bot resets it at start-up and
then every minute. One ledger row per reset: job `menu-reset:<user>:<chat>`, slot the time it
was asked for, worker `pending` until a bot claims it. No new table or column is needed, and
a claimed reset whose bot died is taken over like any stale ledger slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.locks import STALE_AFTER
from surveys.models import JobRun

PREFIX = "menu-reset:"
PENDING = "pending"  # the worker of a reset nobody has claimed yet


@dataclass(frozen=True)
class MenuReset:
    """One chat whose staff menu must go: the bot rebuilds it from the person's roles now."""

    telegram_user_id: int
    chat_id: int
    job: str
    slot: datetime


async def add_menu_reset(s: AsyncSession, *, telegram_user_id: int, chat_id: int) -> None:
    """Record a pending reset in the caller's transaction (once while one is pending)."""
    job = f"{PREFIX}{telegram_user_id}:{chat_id}"
    waiting = (await s.exec(select(JobRun).where(
        col(JobRun.job) == job, col(JobRun.finished_at).is_(None)))).first()
    if waiting is None:
        now = clock.now()
        s.add(JobRun(job=job, slot=now, worker=PENDING, started_at=now))
        await s.flush()


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(col(JobRun.worker) == PENDING, col(JobRun.started_at) < now - STALE_AFTER)


async def claim_menu_resets(*, db: SessionFactory, worker: str, limit: int = 100
                            ) -> list[MenuReset]:
    """Claim up to `limit` pending resets (oldest first) for this bot."""
    now = clock.now()
    async with db() as s:
        rows = (await s.exec(
            select(JobRun)
            .where(col(JobRun.job).startswith(PREFIX), col(JobRun.finished_at).is_(None),
                   _claimable(now))
            .order_by(col(JobRun.slot))
            .limit(limit)
        )).all()
        candidates = [(r.job, r.slot) for r in rows]
    claimed = []
    for job, slot in candidates:
        async with db() as s, s.begin():
            # Another replica may have claimed it since the select: the update decides.
            result = await s.exec(
                update(JobRun)
                .where(col(JobRun.job) == job, col(JobRun.slot) == slot,
                       col(JobRun.finished_at).is_(None), _claimable(now))
                .values(worker=worker, started_at=now)
            )
        if result.rowcount:
            user, _, chat = job.removeprefix(PREFIX).partition(":")
            claimed.append(MenuReset(int(user), int(chat), job, slot))
    return claimed


async def finish_menu_reset(*, db: SessionFactory, reset: MenuReset) -> None:
    """Mark a claimed reset done."""
    async with db() as s, s.begin():
        await s.exec(
            update(JobRun)
            .where(col(JobRun.job) == reset.job, col(JobRun.slot) == reset.slot)
            .values(finished_at=clock.now())
        )


async def pending_menu_resets(*, db: SessionFactory) -> int:
    """Count the resets not done yet (claimed or not)."""
    async with db() as s:
        rows = (await s.exec(select(JobRun.job).where(
            col(JobRun.job).startswith(PREFIX), col(JobRun.finished_at).is_(None)))).all()
    return len(rows)
