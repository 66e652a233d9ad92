"""Every periodic job of the bot, listed once: the survey jobs here, the staff jobs in
`bot.staff.jobs`. `bot.app` schedules `JOBS`; tests and the demo run one with `App.run_job`.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from bot.config import ScheduleConfig
from bot.learning import learn_nightly
from bot.scheduler import Job, JobHost
from bot.staff.jobs import complaint_deadlines, menu_resets, weekly_cron, weekly_summaries
from bot.staff.review_cards import review_cards
from surveys.core import clock
from surveys.core.handled_updates import forget_old_updates as forget_updates
from surveys.survey import reminders
from surveys.survey.revisit_lists import queue_revisit_lists


async def send_reminders(host: JobHost) -> int:
    """Queue the one reminder for surveys unanswered after the configured delay."""
    count = await reminders.send_reminders(db=host.db, survey_config=host.settings.survey,
                                           courtesy=host.settings.courtesy)
    host.wake_dispatcher()
    return count


async def expire_surveys(host: JobHost) -> int:
    """Expire surveys past their deadline (their messages lose the buttons)."""
    count = await reminders.expire_surveys(db=host.db)
    host.wake_dispatcher()
    return count


async def forget_old_updates(host: JobHost) -> int:
    """Drop remembered update ids older than a week (Telegram keeps updates 24 h)."""
    return await forget_updates(db=host.db, older_than=timedelta(days=7))


async def revisit_lists(host: JobHost) -> int:
    """Queue today's list of pending 回访 for each 回访 staff member, then wake the sender."""
    today = clock.now().replace(tzinfo=UTC).astimezone(
        ZoneInfo(host.settings.schedule.timezone)).date()
    config = host.settings.revisit
    count = await queue_revisit_lists(db=host.db, day=today,
                                      window=timedelta(days=config.window_days),
                                      limit=config.list_limit)
    host.wake_dispatcher()
    return count


def revisit_cron(schedule: ScheduleConfig) -> str:
    """Return the crontab line of the daily 回访 list (schedule.revisit_list_time)."""
    hour, minute = schedule.revisit_list_time.split(":")
    return f"{int(minute)} {int(hour)} * * *"


JOBS: dict[str, Job] = {job.name: job for job in (
    Job("reminders", send_reminders, seconds=60),
    Job("expiry", expire_surveys, seconds=60),
    Job("forget_updates", forget_old_updates, seconds=3600),
    Job("weekly_summary", weekly_summaries, cron=weekly_cron),
    Job("complaint_deadlines", complaint_deadlines, seconds=60),
    Job("menu_resets", menu_resets, seconds=60),
    Job("review_cards", review_cards, seconds=3600),
    Job("revisit_lists", revisit_lists, cron=revisit_cron),
    # Hourly; it learns only at classifier.learn_hour, and only when learn_nightly is on.
    Job("classifier_learn", learn_nightly, cron="0 * * * *"),
)}
