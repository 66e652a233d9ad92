"""Checked at send time, not at enqueue: why a claimed row must not be sent now.

A survey answered, an owner who opted out or whose chat Telegram refuses, a manager
deactivated while the message waited: each can happen after the row was queued.
"""

from __future__ import annotations

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage, Owner, Survey, SurveyStatus
from surveys.outbox.reach import unreachable
from surveys.outbox.recipients import manager_gone
from surveys.people.homes import home_if_several

Skip = tuple[str, str | None]  # (why, the survey's new status or None to leave it)


async def skip_reason(*, db: SessionFactory, row: OutboxMessage) -> Skip | None:
    """Return why the row must not be sent now, or None; name the home on a survey's row.

    The home goes into `row.payload` here, at send time: the account may have gained a home
    since the row was queued.
    """
    if row.survey_id is None:
        return ("manager deactivated", None) if await manager_gone(db, row) else None
    async with db() as s:
        survey = await s.get(Survey, row.survey_id)
        owner = await s.get(Owner, survey.owner_id) if survey else None
        home = await home_if_several(s, owner, survey.work_order_id if survey else None)
    if home is not None:
        row.payload = {**row.payload, "home": home}
    if survey is None or owner is None:
        return ("survey gone", None)
    if row.kind == "survey":
        return _survey_skip(survey, owner)
    if row.kind == "reminder":
        return _reminder_skip(survey, owner)
    return None


def _survey_skip(survey: Survey, owner: Owner) -> Skip | None:
    if survey.status != SurveyStatus.PENDING:
        return (f"survey is {survey.status}", None)
    if owner.opted_out:
        return ("owner opted out", SurveyStatus.SKIPPED_OPTED_OUT)
    if owner.chat_id is None:
        return ("owner unbound", SurveyStatus.SKIPPED_UNBOUND)
    if unreachable(owner, clock.now()):
        return ("chat unreachable", SurveyStatus.UNDELIVERABLE)
    return None


def _reminder_skip(survey: Survey, owner: Owner) -> Skip | None:
    if survey.status != SurveyStatus.SENT:
        return (f"survey is {survey.status}", None)
    if owner.opted_out:
        return ("owner opted out", None)
    if unreachable(owner, clock.now()):
        return ("chat unreachable", None)
    return None
