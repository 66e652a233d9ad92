"""Scheduled jobs of the staff features: the Monday summaries, complaint deadlines
(acknowledge by, resolve by) and the chat menus of deactivated staff.

`weekly_summaries` runs on the configured `schedule.weekly_summary_day` and
`weekly_summary_time` in `schedule.timezone` (Monday 09:00 Asia/Shanghai by default); tests
call `run_weekly_summaries` directly after moving a FrozenClock. `bot.jobs` lists them.
"""

from __future__ import annotations

from bot.config import ScheduleConfig
from bot.menus import reset_pending_menus
from bot.scheduler import WORKER, JobHost
from surveys.assessment.summaries import SummaryRun, run_weekly_summaries
from surveys.complaints.escalation import check_resolve_deadlines
from surveys.complaints.handling import check_deadlines
from surveys.complaints.unreached import alert_unreached_agents


async def weekly_summaries(app: JobHost) -> SummaryRun:
    """Enqueue last week's summaries and digests, then wake the sender."""
    result = await run_weekly_summaries(db=app.db, config=app.settings.points,
                                        timezone=app.settings.schedule.timezone)
    app.wake_dispatcher()
    return result


async def complaint_deadlines(app: JobHost) -> list[int]:
    """Alert once about each complaint unacknowledged, unresolved past its deadline, or unsent."""
    overdue: list[int] = await check_deadlines(db=app.db)
    overdue += await check_resolve_deadlines(db=app.db)
    overdue += await alert_unreached_agents(db=app.db)  # a card Telegram refused for good
    if overdue:
        app.wake_dispatcher()
    return overdue


async def menu_resets(app: JobHost) -> int:
    """Reset the chat menus of staff deactivated since the last run (e.g. by the CLI)."""
    stats = await reset_pending_menus(db=app.db, port=app.runtime.messenger, worker=WORKER,
                                      stop=app.stop_event)
    return stats.resets


def weekly_cron(schedule: ScheduleConfig) -> str:
    """Return the crontab line of the weekly summary for the configured day and HH:MM."""
    hour, minute = schedule.weekly_summary_time.split(":")
    return f"{int(minute)} {int(hour)} * * {schedule.weekly_summary_day}"

