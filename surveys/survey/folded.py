"""Orders the fatigue cap folded into one survey get the owner's one answer.

Points count it for each folded order's agent: the folded survey becomes `submitted` with a
copy of the response (same ratings, comment, channel), and was counted as sent when the
host's message went out. Complaints open once, on the host survey (see docs/courtesy.md).
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.core import clock
from surveys.core.ids import require_id
from surveys.models import Agent, Response, Survey, SurveyStatus, WorkOrder
from surveys.outbox.kinds import FoldedOrder


async def copy_to_folded(s: AsyncSession, *, survey: Survey, response: Response) -> int:
    """Copy a submitted response to the surveys folded into `survey`; return how many."""
    folded = (await s.exec(select(Survey).where(
        col(Survey.folded_into_id) == survey.id,
        col(Survey.status) == SurveyStatus.FOLDED))).all()
    now = clock.now()
    for other in folded:
        answered = (await s.exec(select(Response.id).where(
            col(Response.survey_id) == other.id))).first()
        if answered is None:
            s.add(Response(
                survey_id=require_id(other), comment=response.comment,
                classification=response.classification, channel=response.channel,
                created_at=now, updated_at=now, submitted_at=now,
                **{q: getattr(response, q) for q in QUESTIONS}))
        other.status = SurveyStatus.SUBMITTED
        other.submitted_at = now
        other.sent_at = other.sent_at or survey.sent_at or now
        s.add(other)
    return len(folded)


async def folded_orders(s: AsyncSession, survey_id: int) -> tuple[FoldedOrder, ...]:
    """Return the orders folded into a survey, in the order they were closed."""
    rows = (await s.exec(
        select(WorkOrder.external_id, WorkOrder.title, Agent.name)
        .select_from(Survey)
        .join(WorkOrder, col(WorkOrder.id) == col(Survey.work_order_id))
        .outerjoin(Agent, col(Agent.id) == col(Survey.agent_id))
        .where(col(Survey.folded_into_id) == survey_id)
        .order_by(col(Survey.id)))).all()
    return tuple(FoldedOrder(external_id=e, title=t, agent_name=a) for e, t, a in rows)
