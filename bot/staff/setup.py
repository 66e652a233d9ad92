"""Build the `Staff` layer from settings (used by every runtime's wiring)."""

from __future__ import annotations

from bot.config import Settings
from bot.conversation.core import Conversation
from bot.render.alerts import set_timezone
from bot.render.repeats import set_categories
from bot.staff.core import Staff


def build_staff(settings: Settings, conversation: Conversation) -> Staff:
    """Create the staff layer sharing the owner conversation's database and button key."""
    set_timezone(settings.schedule.timezone)
    set_categories(settings.categories)
    return Staff(
        db=conversation.db, key=conversation.key, points=settings.points,
        timezone=settings.schedule.timezone, complaint_config=settings.complaints,
        default_locale=settings.default_language, survey_config=settings.survey,
        revisit_config=settings.revisit,
        categories=settings.categories,
    )
