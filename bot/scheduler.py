"""Periodic jobs on APScheduler's AsyncIOScheduler; a feature adds a job with one line.

    register_job("weekly_summary", send_weekly_summaries, cron="0 9 * * mon")

A job is `async def job(app) -> object`; `app` is the running `bot.app.App`.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import ScheduleConfig

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

JobFunc = Callable[["App"], Awaitable[Any]]
# A crontab line, or a function of the schedule settings returning one (e.g. the weekly
# summary's configured day and time).
Cron = str | Callable[[ScheduleConfig], str]

# This process's name in the job_run ledger.
WORKER = f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    seconds: float | None = None  # run every N seconds ...
    cron: Cron | None = None  # ... or on a crontab line, in the configured time zone


JOBS: dict[str, Job] = {}


def register_job(name: str, func: JobFunc, *, seconds: float | None = None,
                 cron: Cron | None = None) -> None:
    """Register (or replace) a periodic job: give `seconds` or a `cron` line."""
    if (seconds is None) == (cron is None):
        raise ValueError("give exactly one of seconds= or cron=")
    JOBS[name] = Job(name, func, seconds, cron)


async def run_job(app: App, name: str) -> Any:
    """Run one registered job now (tests and the demo call this)."""
    return await JOBS[name].func(app)


def build_scheduler(app: App, schedule: ScheduleConfig) -> AsyncIOScheduler:
    """Create a scheduler with every registered job (not started)."""
    timezone = schedule.timezone
    scheduler = AsyncIOScheduler(timezone=timezone)
    for job in JOBS.values():
        trigger: Any
        if job.seconds is not None:
            trigger = IntervalTrigger(seconds=job.seconds, timezone=timezone)
        else:
            cron = job.cron(schedule) if callable(job.cron) else str(job.cron)
            trigger = CronTrigger.from_crontab(cron, timezone=timezone)
        scheduler.add_job(_runner(app, job), trigger, id=job.name, name=job.name,
                          max_instances=1, coalesce=True, misfire_grace_time=60)
    return scheduler


def _runner(app: App, job: Job) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        from surveys.core import clock, locks

        # With several replicas only one runs each job at a time (advisory lock), and a cron
        # slot (e.g. Monday's summaries) runs once even if another replica fires it later.
        slot = locks.slot_of(clock.now()) if job.cron is not None else None
        try:
            async with locks.job_guard(app.db, job.name, worker=WORKER, slot=slot) as mine:
                if not mine:
                    log.debug("job %s: running on another replica", job.name)
                    return
                result = await job.func(app)
            if result:
                log.info("job %s: %s", job.name, result)
        except Exception:
            log.exception("job %s failed", job.name)

    return run


# --- the core jobs ---------------------------------------------------------------------


async def send_reminders(app: App) -> int:
    """Queue the one reminder for surveys unanswered after the configured delay."""
    from surveys.survey import reminders

    count: int = await reminders.send_reminders(db=app.db, survey_config=app.settings.survey)
    app.wake_dispatcher()
    return count


async def expire_surveys(app: App) -> int:
    """Expire surveys past their deadline (their messages lose the buttons)."""
    from surveys.survey import reminders

    count: int = await reminders.expire_surveys(db=app.db)
    app.wake_dispatcher()
    return count


async def forget_old_updates(app: App) -> int:
    """Drop remembered update ids older than a week (Telegram keeps updates 24 h)."""
    from bot.conversation.dedupe import forget_old_updates as forget

    return await forget(db=app.db, older_than=timedelta(days=7))


register_job("reminders", send_reminders, seconds=60)
register_job("expiry", expire_surveys, seconds=60)
register_job("forget_updates", forget_old_updates, seconds=3600)

import bot.staff.jobs  # noqa: E402,F401  (registers the weekly summary and deadline jobs)
