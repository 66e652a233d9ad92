"""A 回访 voided on appeal may be entered again: the voided entry stays as it was (with its
appeal), the new one becomes the survey's live response, and the audit log links the two.

Only a staff-entered answer (phone, visit) is entered again this way: an owner's own answer
voided on appeal is not re-asked by staff. One live response per survey is the database's
rule (`ux_response_live_survey`), so two re-entries at once store one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true
from sqlmodel import and_, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import audit
from surveys.models import STAFF_CHANNELS, Appeal, AppealStatus, Response, Survey, SurveyStatus
from surveys.survey.revisit_staff import Recorder


def voided_only() -> ColumnElement[bool]:
    """Return a SQL condition: the survey's 回访 was voided and nothing live answers it."""
    answers = select(Response.id).where(col(Response.survey_id) == col(Survey.id))
    staff = [c.value for c in STAFF_CHANNELS]
    return and_(
        col(Survey.status) == SurveyStatus.SUBMITTED,
        answers.where(col(Response.voided) == true(), col(Response.channel).in_(staff))
        .exists(),
        ~answers.where(col(Response.voided) == false()).exists(),
    )


async def voided_revisit(s: AsyncSession, survey_id: int) -> Response | None:
    """Return the survey's latest staff-entered answer voided on appeal."""
    return (await s.exec(
        select(Response)
        .where(col(Response.survey_id) == survey_id, col(Response.voided) == true(),
               col(Response.channel).in_([c.value for c in STAFF_CHANNELS]))
        .order_by(col(Response.id).desc())
    )).first()


async def audit_reentry(s: AsyncSession, *, recorder: Recorder, voided: Response,
                        response: Response) -> None:
    """Record who entered the 回访 again, in place of which voided entry and appeal."""
    appeal = (await s.exec(
        select(Appeal.id).where(col(Appeal.response_id) == voided.id,
                                col(Appeal.status) == AppealStatus.VOIDED)
    )).first()
    audit.record(s, actor_role=recorder.role, actor_id=recorder.id,
                 action="revisit_reentered", subject_kind="response", subject_id=response.id,
                 detail={"survey_id": response.survey_id, "voided_response_id": voided.id,
                         "appeal_id": appeal, "channel": response.channel})
