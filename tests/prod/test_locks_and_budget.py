"""Periodic jobs run once across replicas; replicas split the bot-wide send budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import scheduler
from surveys.core import locks
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.outbox import replicas
from surveys.outbox.limits import Limiter

SLOT = datetime(2026, 11, 16, 9, 0)


@pytest.fixture
async def pg_engines(pg_db_url: str) -> AsyncIterator[list[AsyncEngine]]:
    engines = [create_engine(pg_db_url) for _ in range(3)]
    yield engines
    for engine in engines:
        await engine.dispose()


async def test_a_slot_is_claimed_by_one_replica_only(
    db: SessionFactory, clock: FrozenClock
) -> None:
    assert await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="a")
    assert not await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="b")
    # Another slot, or another job, is a separate run.
    assert await locks.claim_slot(
        db=db, job="weekly_summary", slot=SLOT + timedelta(days=7), worker="b"
    )
    assert await locks.claim_slot(db=db, job="deadlines", slot=SLOT, worker="b")


async def test_a_slot_left_unfinished_by_a_dead_replica_is_taken_over_later(
    db: SessionFactory, clock: FrozenClock
) -> None:
    assert await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="died")
    clock.advance(timedelta(minutes=5))
    assert not await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="b")
    clock.advance(locks.STALE_AFTER)
    assert await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="b")
    await locks.finish_slot(db=db, job="weekly_summary", slot=SLOT)
    clock.advance(locks.STALE_AFTER * 2)
    assert not await locks.claim_slot(db=db, job="weekly_summary", slot=SLOT, worker="c")


async def test_a_finished_slot_does_not_run_again(db: SessionFactory, clock: FrozenClock) -> None:
    runs = []
    for worker in ("a", "b"):
        async with locks.job_guard(db, "weekly_summary", worker=worker, slot=SLOT) as run:
            if run:
                runs.append(worker)
    assert runs == ["a"]


@pytest.mark.postgres
async def test_the_advisory_lock_lets_one_replica_in_at_a_time(
    pg_engines: list[AsyncEngine],
) -> None:
    first, second, _ = (session_factory(e) for e in pg_engines)
    async with locks.exclusive(first, "job:reminders") as got_first:
        assert got_first
        async with locks.exclusive(second, "job:reminders") as got_second:
            assert not got_second
        async with locks.exclusive(second, "job:expiry") as other_job:
            assert other_job
    async with locks.exclusive(second, "job:reminders") as after_release:
        assert after_release


@pytest.mark.postgres
async def test_replicas_firing_the_same_cron_slot_at_once_run_it_once(
    pg_engines: list[AsyncEngine],
) -> None:
    runs: list[str] = []

    async def replica(name: str, engine: AsyncEngine) -> None:
        async with locks.job_guard(
            session_factory(engine), "weekly_summary", worker=name, slot=SLOT
        ) as run:
            if run:
                runs.append(name)
                await asyncio.sleep(0.2)  # the job takes a while

    await asyncio.gather(*(replica(f"r{i}", e) for i, e in enumerate(pg_engines)))
    # ... and a replica whose scheduler fires late finds the slot done.
    await replica("late", pg_engines[0])
    assert len(runs) == 1


async def test_live_replicas_split_the_budget_and_a_leaving_one_hands_its_share_back(
    db: SessionFactory,
) -> None:
    ttl = timedelta(seconds=30)
    assert await replicas.heartbeat(db=db, worker="a", ttl=ttl) == 1
    assert await replicas.heartbeat(db=db, worker="b", ttl=ttl) == 2
    assert await replicas.heartbeat(db=db, worker="c", ttl=ttl) == 3
    await replicas.leave(db=db, worker="c")
    assert await replicas.heartbeat(db=db, worker="a", ttl=ttl) == 2
    limiter = Limiter(per_second=30, per_chat_interval=1.0)
    replicas.apply_share(limiter, 30, 2)
    assert limiter.per_second == 15
    assert limiter.burst >= 1


async def test_a_crashed_replica_drops_out_of_the_count_after_its_ttl(
    db: SessionFactory, clock: FrozenClock
) -> None:
    ttl = timedelta(seconds=6)
    await replicas.heartbeat(db=db, worker="crashed", ttl=ttl)
    assert await replicas.heartbeat(db=db, worker="a", ttl=ttl) == 2
    clock.advance(timedelta(seconds=7))
    assert await replicas.heartbeat(db=db, worker="a", ttl=ttl) == 1


async def test_share_budget_keeps_each_limiter_at_its_share(db: SessionFactory) -> None:
    stop = asyncio.Event()
    limiters = [Limiter(per_second=30, per_chat_interval=1.0) for _ in range(3)]
    tasks = [
        asyncio.create_task(
            replicas.share_budget(
                db=db, limiter=lim, budget=30, worker=f"w{i}", stop=stop, interval=0.1
            )
        )
        for i, lim in enumerate(limiters)
    ]
    try:
        for _ in range(100):
            await asyncio.sleep(0.05)
            if all(abs(lim.per_second - 10) < 1e-9 for lim in limiters):
                break
        assert [lim.per_second for lim in limiters] == [10, 10, 10]
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    assert await replicas.heartbeat(db=db, worker="alone", ttl=timedelta(seconds=1)) == 1


@pytest.mark.postgres
async def test_the_schedulers_runner_runs_a_cron_job_once_across_replicas(
    pg_engines: list[AsyncEngine], clock: FrozenClock
) -> None:

    runs: list[int] = []

    async def weekly(app: object) -> int:
        runs.append(id(app))
        await asyncio.sleep(0.2)
        return 1

    job = scheduler.Job("weekly_summary_probe", weekly, cron="0 9 * * mon")
    apps = [SimpleNamespace(db=session_factory(e)) for e in pg_engines]
    await asyncio.gather(*(scheduler._runner(app, job)() for app in apps))  # type: ignore[arg-type]
    await scheduler._runner(apps[0], job)()  # type: ignore[arg-type]  # a late tick, same minute
    assert len(runs) == 1
