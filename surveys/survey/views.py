"""What the chat and the web page show of a survey: its card as one view, its live answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.core.ids import require_id
from surveys.models import Agent, Owner, Response, Survey, SurveyStatus, WorkOrder
from surveys.outbox.kinds import FoldedOrder
from surveys.people.homes import home_if_several
from surveys.survey.folded import folded_orders


@dataclass(frozen=True)
class SurveyView:
    survey_id: int
    status: str
    owner_id: int
    work_order_title: str
    work_order_kind: str
    work_order_external_id: str
    agent_name: str | None
    ratings: Mapping[str, int | None] = field(default_factory=dict)
    comment: str | None = None
    next_step: str = "overall"  # a question, "comment" or "done"
    expires_at: datetime | None = None
    locale: str | None = None
    chat_id: int | None = None
    message_id: int | None = None
    urgency: str = "normal"
    folded: tuple[FoldedOrder, ...] = ()  # later orders the fatigue cap folded into it
    home: str | None = None  # the order's home, when the owner's account holds several


def _next_step(survey: Survey, response: Response | None) -> str:
    if survey.status == SurveyStatus.SUBMITTED:
        return "done"
    for question in QUESTIONS:
        if response is None or getattr(response, question) is None:
            return question
    return "comment"


async def survey_view(s: AsyncSession, survey: Survey,
                      response: Response | None = None) -> SurveyView:
    """Return the view of a survey in the caller's session (the web page's card)."""
    order = await s.get(WorkOrder, survey.work_order_id)
    agent = await s.get(Agent, survey.agent_id) if survey.agent_id else None
    if response is None:
        response = await live_response(s, require_id(survey))
    assert order is not None
    return SurveyView(
        survey_id=require_id(survey),
        status=survey.status,
        owner_id=survey.owner_id,
        work_order_title=order.title,
        work_order_kind=order.kind,
        work_order_external_id=order.external_id,
        agent_name=agent.name if agent else None,
        ratings={q: getattr(response, q) if response else None for q in QUESTIONS},
        comment=response.comment if response else None,
        next_step=_next_step(survey, response),
        expires_at=survey.expires_at,
        locale=survey.language,
        chat_id=survey.chat_id,
        message_id=survey.message_id,
        urgency=order.urgency,
        folded=await folded_orders(s, require_id(survey)),
        home=await home_if_several(s, await s.get(Owner, survey.owner_id), order),
    )


async def live_response(s: AsyncSession, survey_id: int) -> Response | None:
    """Return the survey's answer: the live one when a voided 回访 sits beside it."""
    return (await s.exec(select(Response).where(Response.survey_id == survey_id)
                         .order_by(col(Response.voided), col(Response.id).desc()))).first()


async def get_survey_view(*, db: SessionFactory, survey_id: int) -> SurveyView:
    """Return everything the chat side needs to show a survey."""
    async with db() as s:
        survey = await s.get(Survey, survey_id)
        if survey is None:
            raise NotFound(f"survey {survey_id}", code=ErrorCode.SURVEY_NOT_FOUND, id=survey_id)
        return await survey_view(s, survey)
