"""Share the bot-wide message budget (about 30 messages/s) between live replicas.

Each replica writes a heartbeat row every `interval` seconds and counts the replicas seen
within `3 × interval`; its dispatcher's limiter then sends at `budget / live replicas`. A
replica that stops cleanly deletes its row, so the others take its share at their next
heartbeat; one that crashes drops out after `3 × interval`. While a replica joins, the others
learn of it within one interval: for that moment the sum may exceed the budget, which the
dispatchers' 429 handling (retry_after honoured, whole bot paused) absorbs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import col, func, select

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import ReplicaHeartbeat
from surveys.outbox.limits import Limiter

log = logging.getLogger(__name__)


async def heartbeat(*, db: SessionFactory, worker: str, ttl: timedelta) -> int:
    """Record this replica as alive; return how many replicas are alive (itself included)."""
    now = clock.now()
    async with db() as session, session.begin():
        seen = await session.exec(
            update(ReplicaHeartbeat)
            .where(col(ReplicaHeartbeat.worker) == worker)
            .values(last_seen=now)
        )
        if not seen.rowcount:
            session.add(ReplicaHeartbeat(worker=worker, started_at=now, last_seen=now))
        # Long-dead replicas leave the table so it stays small.
        await session.exec(
            delete(ReplicaHeartbeat).where(col(ReplicaHeartbeat.last_seen) < now - ttl * 10)
        )
    async with db() as session:
        live = await session.exec(
            select(func.count())
            .select_from(ReplicaHeartbeat)
            .where(col(ReplicaHeartbeat.last_seen) >= now - ttl)
        )
        return max(1, int(live.one()))


async def leave(*, db: SessionFactory, worker: str) -> None:
    """Remove this replica's heartbeat (clean shutdown)."""
    async with db() as session, session.begin():
        await session.exec(
            delete(ReplicaHeartbeat).where(col(ReplicaHeartbeat.worker) == worker)
        )


def apply_share(limiter: Limiter, budget: float, replicas: int) -> None:
    """Set the limiter to this replica's share of the budget."""
    limiter.per_second = budget / max(1, replicas)
    limiter.burst = max(1.0, limiter.per_second / 10)
    limiter.tokens = min(limiter.tokens, limiter.burst)


async def share_budget(
    *,
    db: SessionFactory,
    limiter: Limiter,
    budget: float,
    worker: str,
    stop: asyncio.Event,
    interval: float = 2.0,
) -> None:
    """Keep `limiter` at this replica's share of `budget` until `stop` is set."""
    ttl = timedelta(seconds=interval * 3)
    replicas = 0
    try:
        while not stop.is_set():
            try:
                live = await heartbeat(db=db, worker=worker, ttl=ttl)
            except Exception:  # database away: keep the last share, try again next beat
                log.warning("replica heartbeat failed", exc_info=True)
            else:
                if live != replicas:
                    log.info("%d live replica(s): sending at %.1f msg/s", live, budget / live)
                    replicas = live
                apply_share(limiter, budget, live)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.shield(leave(db=db, worker=worker))
