"""Every periodic job of the bot, listed once: the survey jobs here, the staff jobs in
`bot.staff.jobs`. `bot.app` schedules `JOBS`; tests and the demo run one with `App.run_job`.
"""

from __future__ import annotations

from datetime import timedelta

from bot.learning import learn_nightly
from bot.scheduler import Job, JobHost
from bot.staff.jobs import complaint_deadlines, menu_resets, weekly_cron, weekly_summaries
from bot.staff.review_cards import review_cards
from surveys.core.handled_updates import forget_old_updates as forget_updates
from surveys.survey import reminders


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


JOBS: dict[str, Job] = {job.name: job for job in (
    Job("reminders", send_reminders, seconds=60),
    Job("expiry", expire_surveys, seconds=60),
    Job("forget_updates", forget_old_updates, seconds=3600),
    Job("weekly_summary", weekly_summaries, cron=weekly_cron),
    Job("complaint_deadlines", complaint_deadlines, seconds=60),
    Job("menu_resets", menu_resets, seconds=60),
    Job("review_cards", review_cards, seconds=3600),
    # Hourly; it learns only at classifier.learn_hour, and only when learn_nightly is on.
    Job("classifier_learn", learn_nightly, cron="0 * * * *"),
)}
