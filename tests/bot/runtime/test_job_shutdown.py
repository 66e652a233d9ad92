"""A job run in flight when the bot stops ends before the database engine is disposed: it
finishes and keeps its writes, or, past the grace, is cancelled and rolled back; the stop
never hangs. Every test runs on both runtimes (the module uses `running_bot`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.scheduler import Job, JobHost, build_scheduler
from surveys.core import locks
from surveys.core.db import create_engine, session_factory
from surveys.models import JobRun
from tests.fixtures.chat import Harness, running_bot

SLOT = datetime(2026, 11, 23, 1, 0)
WEEKLY = "0 9 * * mon"  # a cron job: the runner claims its slot and marks it finished after


@pytest.fixture
def disposals(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[int, int]]:
    """Record, at each engine's disposal, how many of its connections were still checked out."""
    seen: dict[int, int] = {}
    dispose = AsyncEngine.dispose

    async def recording(self: AsyncEngine, close: bool = True) -> None:
        seen.setdefault(id(self), self.sync_engine.pool.checkedout())
        await dispose(self, close)

    monkeypatch.setattr(AsyncEngine, "dispose", recording)
    yield seen


def fire_now(h: Harness, name: str, func: Callable[[JobHost], Awaitable[Any]]) -> None:
    """Start the app's own scheduler with one cron job, told to fire now."""
    scheduler = build_scheduler(h.app, h.settings.schedule, {name: Job(name, func, cron=WEEKLY)})
    h.app.scheduler = scheduler  # the app stops it on close
    scheduler.start()
    scheduler.get_job(name).modify(
        next_run_time=datetime.now(ZoneInfo(h.settings.schedule.timezone)))
    scheduler.wakeup()


async def job_rows(db_url: str) -> dict[str, JobRun]:
    """Return the job_run rows by job name, read after the app has closed."""
    engine = create_engine(db_url)
    try:
        async with session_factory(engine)() as s:
            return {row.job: row for row in (await s.exec(select(JobRun))).all()}
    finally:
        await engine.dispose()


async def test_a_job_still_running_when_the_bot_stops_finishes_and_keeps_its_writes(
        db_url: str, disposals: dict[int, int]) -> None:
    started, ended = asyncio.Event(), asyncio.Event()

    async def late_writer(host: JobHost) -> None:
        started.set()
        await host.stop_event.wait()  # the stop has begun ...
        await asyncio.sleep(0.2)  # ... and the run still has work to do before its write
        await locks.claim_slot(db=host.db, job="written-after-stop", slot=SLOT, worker="probe")
        ended.set()

    async with running_bot(db_url) as h:
        app_engine = id(h.app.engine)
        fire_now(h, "late_writer", late_writer)
        await asyncio.wait_for(started.wait(), timeout=30)

    assert ended.is_set()
    rows = await job_rows(db_url)
    assert "written-after-stop" in rows  # the job's own write
    assert rows["late_writer"].finished_at is not None  # and the runner's, after the job
    assert disposals[app_engine] == 0  # no session was still open when the engine closed


async def test_a_job_that_does_not_end_is_cancelled_and_rolled_back_and_the_stop_returns(
        db_url: str, disposals: dict[int, int], caplog: pytest.LogCaptureFixture) -> None:
    started, unwound = asyncio.Event(), asyncio.Event()

    async def stuck(host: JobHost) -> None:
        try:
            async with host.db() as s, s.begin():
                s.add(JobRun(job="written-by-stuck", slot=SLOT, worker="probe"))
                await s.flush()  # a write transaction is open (SQLite's write lock is held)
                started.set()
                await asyncio.Event().wait()  # never set: only a cancel ends this run
        finally:
            unwound.set()

    caplog.set_level(logging.WARNING, logger="bot.scheduler")
    async with running_bot(db_url) as h:
        app_engine = id(h.app.engine)
        h.app.job_grace = 2.0
        fire_now(h, "stuck", stuck)
        await asyncio.wait_for(started.wait(), timeout=30)

    assert unwound.is_set()
    assert disposals[app_engine] == 0  # the cancelled run's session had closed before the engine
    rows = await job_rows(db_url)
    assert "written-by-stuck" not in rows  # rolled back, not half-written
    assert rows["stuck"].finished_at is None  # the slot stays claimed, not marked done
    assert any("job stuck still running" in r.getMessage() for r in caplog.records)
