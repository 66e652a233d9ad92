"""Periodic jobs on APScheduler's AsyncIOScheduler: how they run, not which ones (`bot.jobs`).

A job is `async def job(host) -> object`; `host` is the running process (`bot.app.App`), seen
through `JobHost`. With several replicas only one runs each job at a time, and a cron slot runs
once across replicas (`surveys.core.locks`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import ScheduleConfig, Settings
from bot.runtime.base import ChatRuntime
from surveys.core import clock, locks
from surveys.core.db import SessionFactory

log = logging.getLogger(__name__)

# This process's name in the job_run ledger.
WORKER = f"{socket.gethostname()[:40]}:{os.getpid()}"


class JobHost(Protocol):
    """What a job may use of the running process."""

    @property
    def db(self) -> SessionFactory: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def runtime(self) -> ChatRuntime: ...

    @property
    def stop_event(self) -> asyncio.Event: ...

    def wake_dispatcher(self) -> None:
        """Make the outbox sender look for new rows now."""


JobFunc = Callable[[JobHost], Awaitable[Any]]
# A crontab line, or a function of the schedule settings returning one (e.g. the weekly
# summary's configured day and time).
Cron = str | Callable[[ScheduleConfig], str]


@dataclass(frozen=True)
class Job:
    """A periodic job: every `seconds`, or on a `cron` line in the configured time zone."""

    name: str
    func: JobFunc
    seconds: float | None = None
    cron: Cron | None = None

    def __post_init__(self) -> None:
        if (self.seconds is None) == (self.cron is None):
            raise ValueError("give exactly one of seconds= or cron=")


class Scheduler:
    """APScheduler's AsyncIOScheduler plus the job runs in flight, so a stop lets them end.

    APScheduler's own shutdown cancels the runs in flight a loop turn later and waits for
    none of them: a run cut off loses what it had left to write (the rest of Monday's
    summaries, the slot's finish), and its rollback may still be under way while the process
    disposes the database engine.
    """

    def __init__(self, timezone: str) -> None:
        self.aps = AsyncIOScheduler(timezone=timezone)
        self.in_flight: dict[asyncio.Task[Any], str] = {}  # run → job name

    @property
    def running(self) -> bool:
        """Tell whether the scheduler was started and not stopped."""
        return bool(self.aps.running)

    def start(self) -> None:
        """Start firing jobs on the running event loop."""
        self.aps.start()

    def get_job(self, job_id: str) -> Any:
        """Return APScheduler's job `job_id` (trigger, next run time), or None."""
        return self.aps.get_job(job_id)

    def wakeup(self) -> None:
        """Look for due jobs now (after a job's next run time was changed)."""
        self.aps.wakeup()

    async def stop(self, *, grace: float) -> None:
        """Fire no new run, let runs in flight finish within `grace` s, cancel the rest.

        Returns once every run has ended, its session closed, so the engine can be disposed
        (a run that ignores its cancel for another `grace` s is logged and left).
        """
        if not self.aps.running:
            return
        self.aps.pause()  # due jobs stay unfired while the runs in flight finish
        for task in await _wait(set(self.in_flight), grace):
            log.warning("job %s still running %g s after shutdown began; cancelling it",
                        self.in_flight.get(task, "?"), grace)
            task.cancel()
        self.aps.shutdown(wait=False)  # also cancels a run fired but not started yet
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a callback on the loop
        for task in await _wait(set(self.in_flight), grace):  # cancelled runs roll back
            log.error("job %s did not end when cancelled", self.in_flight.get(task, "?"))


async def _wait(tasks: set[asyncio.Task[Any]], seconds: float) -> set[asyncio.Task[Any]]:
    """Wait up to `seconds` for the tasks; return those still running."""
    if not tasks:
        return set()
    _, pending = await asyncio.wait(tasks, timeout=seconds)
    return pending


def build_scheduler(host: JobHost, schedule: ScheduleConfig, jobs: Mapping[str, Job]
                    ) -> Scheduler:
    """Create a scheduler with the given jobs (not started)."""
    timezone = schedule.timezone
    scheduler = Scheduler(timezone)
    for job in jobs.values():
        trigger: Any
        if job.seconds is not None:
            trigger = IntervalTrigger(seconds=job.seconds, timezone=timezone)
        else:
            cron = job.cron(schedule) if callable(job.cron) else str(job.cron)
            trigger = CronTrigger.from_crontab(cron, timezone=timezone)
        scheduler.aps.add_job(_runner(host, job, scheduler.in_flight), trigger, id=job.name,
                              name=job.name, max_instances=1, coalesce=True,
                              misfire_grace_time=60)
    return scheduler


def _runner(host: JobHost, job: Job, in_flight: dict[asyncio.Task[Any], str] | None = None
            ) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        task = asyncio.current_task()
        if in_flight is not None and task is not None:
            in_flight[task] = job.name
        try:
            await _run_once(host, job)
        finally:
            if in_flight is not None and task is not None:
                in_flight.pop(task, None)

    return run


async def _run_once(host: JobHost, job: Job) -> None:
    # With several replicas only one runs each job at a time (advisory lock), and a cron
    # slot (e.g. Monday's summaries) runs once even if another replica fires it later.
    slot = locks.slot_of(clock.now()) if job.cron is not None else None
    try:
        async with locks.job_guard(host.db, job.name, worker=WORKER, slot=slot) as mine:
            if not mine:
                log.debug("job %s: running on another replica", job.name)
                return
            result = await job.func(host)
        if result:
            log.info("job %s: %s", job.name, result)
    except Exception:
        log.exception("job %s failed", job.name)
