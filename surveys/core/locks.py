"""Run periodic jobs once across replicas.

On PostgreSQL a job runs inside `pg_try_advisory_xact_lock(key(name))`: a replica that does not
get the lock skips that run, so two replicas never run the same job at the same time. A job
with a schedule slot (a cron job such as the weekly summaries) also claims the slot in the
`job_run` table, so a replica whose clock or scheduler fires a little later does not run the
same slot again after the first one finished. On SQLite (one process by design) the lock is a
no-op and only the slot ledger applies.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import JobRun

# A slot whose replica died mid-run is taken over after this long.
STALE_AFTER = timedelta(minutes=10)


def lock_key(name: str) -> int:
    """Map a lock name to the signed 64-bit key PostgreSQL advisory locks take."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def is_postgres(db: SessionFactory) -> bool:
    """Tell whether the session factory is bound to PostgreSQL."""
    bind = db.kw.get("bind")
    return bool(bind is not None and bind.dialect.name == "postgresql")


@asynccontextmanager
async def exclusive(db: SessionFactory, name: str) -> AsyncIterator[bool]:
    """Hold the cluster-wide lock `name` for the block; yield False if another replica has it."""
    if not is_postgres(db):
        yield True
        return
    async with db() as session, session.begin():
        result = await session.exec(select(func.pg_try_advisory_xact_lock(lock_key(name))))
        # The lock lives as long as this transaction, which the block keeps open.
        yield bool(result.one())


def slot_of(when: datetime) -> datetime:
    """Return the schedule slot a cron run belongs to (its minute)."""
    return when.replace(second=0, microsecond=0)


async def claim_slot(*, db: SessionFactory, job: str, slot: datetime, worker: str) -> bool:
    """Claim one scheduled run of `job`; False when another replica has (or had) it."""
    now = clock.now()
    try:
        async with db() as session, session.begin():
            session.add(JobRun(job=job, slot=slot, worker=worker, started_at=now))
        return True
    except IntegrityError:
        pass
    async with db() as session, session.begin():
        taken = await session.exec(
            update(JobRun)
            .where(
                col(JobRun.job) == job,
                col(JobRun.slot) == slot,
                col(JobRun.finished_at).is_(None),
                col(JobRun.started_at) < now - STALE_AFTER,
            )
            .values(worker=worker, started_at=now)
        )
        return bool(taken.rowcount)


async def finish_slot(*, db: SessionFactory, job: str, slot: datetime) -> None:
    """Mark a claimed run done."""
    async with db() as session, session.begin():
        await session.exec(
            update(JobRun)
            .where(col(JobRun.job) == job, col(JobRun.slot) == slot)
            .values(finished_at=clock.now())
        )


@asynccontextmanager
async def job_guard(
    db: SessionFactory, job: str, *, worker: str, slot: datetime | None = None
) -> AsyncIterator[bool]:
    """Yield True when this replica should run `job` now (and, with `slot`, that slot)."""
    async with exclusive(db, f"job:{job}") as locked:
        run = locked and (
            slot is None or await claim_slot(db=db, job=job, slot=slot, worker=worker)
        )
        yield run
        if run and slot is not None:
            await finish_slot(db=db, job=job, slot=slot)
