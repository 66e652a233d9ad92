"""Scheduled jobs of the staff features: the Monday summaries, complaint deadlines and
the chat menus of deactivated staff.

`weekly_summaries` runs on the configured `schedule.weekly_summary_day` and
`weekly_summary_time` in `schedule.timezone` (Monday 09:00 Asia/Shanghai by default); tests
call `run_weekly_summaries` directly after moving a FrozenClock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.config import ScheduleConfig
from bot.scheduler import register_job

if TYPE_CHECKING:
    from bot.app import App


async def weekly_summaries(app: App) -> Any:
    """Enqueue last week's summaries and digests, then wake the sender."""
    from surveys.assessment.summaries import run_weekly_summaries

    result = await run_weekly_summaries(db=app.db, config=app.settings.points,
                                        timezone=app.settings.schedule.timezone)
    app.wake_dispatcher()
    return result


async def complaint_deadlines(app: App) -> list[int]:
    """Alert once about each complaint unacknowledged past its deadline."""
    from surveys.complaints.handling import check_deadlines

    overdue: list[int] = await check_deadlines(db=app.db)
    if overdue:
        app.wake_dispatcher()
    return overdue


async def menu_resets(app: App) -> int:
    """Reset the chat menus of staff deactivated since the last run (e.g. by the CLI)."""
    from bot.menus import reset_pending_menus
    from bot.scheduler import WORKER

    stats = await reset_pending_menus(db=app.db, port=app.runtime.messenger, worker=WORKER,
                                      stop=app.stop_event)
    return stats.resets


def weekly_cron(schedule: ScheduleConfig) -> str:
    """Return the crontab line of the weekly summary for the configured day and HH:MM."""
    hour, minute = schedule.weekly_summary_time.split(":")
    return f"{int(minute)} {int(hour)} * * {schedule.weekly_summary_day}"


register_job("weekly_summary", weekly_summaries, cron=weekly_cron)
register_job("complaint_deadlines", complaint_deadlines, seconds=60)
register_job("menu_resets", menu_resets, seconds=60)
