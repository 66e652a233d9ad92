"""The `review_cards` job: when a 考核 period enters its appeal window, each bound manager
gets one review card per agent of their scope (star buttons per criterion, a note button).

Cards go through the outbox with one dedupe key per period, manager and agent, so the hourly
job sends each card once, also across restarts and replicas.
"""

from __future__ import annotations

from bot.callbacks import derive_secret
from bot.i18n import translator
from bot.scheduler import JobHost
from bot.staff.reviews import card_buttons, card_text
from surveys.assessment.periods import status
from surveys.assessment.reviews import ReviewView, bound_managers, reviewable_agents
from surveys.assessment.versions import cycle_period
from surveys.core import clock
from surveys.outbox.store import enqueue_text


async def review_cards(host: JobHost) -> int:
    """Queue the review cards of the period in review (none outside a review window)."""
    settings, now = host.settings, clock.now()
    config = settings.points
    period = cycle_period(now, config, settings.schedule.timezone).previous()
    if (await status(db=host.db, period=period, config=config, now=now)).state != "review":
        return 0
    key = derive_secret(settings.invites.secret.get_secret_value(),
                        settings.telegram.token.get_secret_value())
    queued = 0
    for manager_id, chat_id, locale in await bound_managers(db=host.db):
        tr = translator(locale or settings.default_language)
        for agent in await reviewable_agents(db=host.db, manager_id=manager_id,
                                             period=period, now=now):
            assert agent.id is not None
            view = ReviewView(agent.id, agent.name, "manager", {}, None)
            queued += await enqueue_text(
                db=host.db, chat_id=chat_id,
                text=card_text(tr, config, period.label, view, "manager"),
                buttons=card_buttons(key, tr, config, period.label, agent.id),
                dedupe_key=f"review_card:{period.label}:{manager_id}:{agent.id}")
    if queued:
        host.wake_dispatcher()
    return queued
