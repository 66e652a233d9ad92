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


def build_scheduler(host: JobHost, schedule: ScheduleConfig, jobs: Mapping[str, Job]
                    ) -> AsyncIOScheduler:
    """Create a scheduler with the given jobs (not started)."""
    timezone = schedule.timezone
    scheduler = AsyncIOScheduler(timezone=timezone)
    for job in jobs.values():
        trigger: Any
        if job.seconds is not None:
            trigger = IntervalTrigger(seconds=job.seconds, timezone=timezone)
        else:
            cron = job.cron(schedule) if callable(job.cron) else str(job.cron)
            trigger = CronTrigger.from_crontab(cron, timezone=timezone)
        scheduler.add_job(_runner(host, job), trigger, id=job.name, name=job.name,
                          max_instances=1, coalesce=True, misfire_grace_time=60)
    return scheduler


def _runner(host: JobHost, job: Job) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
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

    return run
