"""Where one survey stands, for the intake API's `GET /api/v1/surveys/{id}`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from surveys.core.db import SessionFactory
from surveys.core.ids import may_name_a_row
from surveys.models import Survey, WorkOrder
from surveys.survey.views import live_response


@dataclass(frozen=True)
class SurveyState:
    """A survey's status and times (naive UTC), and whether the owner answered it."""

    survey_id: int
    work_order_external_id: str | None
    status: str
    created_at: datetime | None
    sent_at: datetime | None
    reminded_at: datetime | None
    expires_at: datetime | None
    submitted_at: datetime | None
    answered: bool


async def survey_state(*, db: SessionFactory, survey_id: int) -> SurveyState | None:
    """Return where the survey stands, or None when there is no such survey."""
    if not may_name_a_row(survey_id):
        return None
    async with db() as s:
        survey = await s.get(Survey, survey_id)
        if survey is None:
            return None
        order = await s.get(WorkOrder, survey.work_order_id)
        response = await live_response(s, survey_id)
    return SurveyState(
        survey_id=survey_id,
        work_order_external_id=order.external_id if order else None,
        status=survey.status, created_at=survey.created_at, sent_at=survey.sent_at,
        reminded_at=survey.reminded_at, expires_at=survey.expires_at,
        submitted_at=survey.submitted_at,
        answered=response is not None and response.overall is not None,
    )
