"""The owner's answers: ratings per question, an optional comment, submit.

Every call is idempotent, because Telegram delivers updates at least once: the same tap twice
changes nothing the second time (`changed=False`), the same comment twice is stored once, and
submitting a submitted survey returns it unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from scoring.questions import QUESTIONS
from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import open_from_response
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    ErrorCode,
    InvalidAnswer,
    NotBound,
    NotFound,
    NotYourSurvey,
    SurveyClosed,
)
from surveys.core.ids import require_id
from surveys.core.text import clean_free_text
from surveys.models import (
    Agent,
    Complaint,
    Owner,
    Response,
    ResponseChannel,
    Survey,
    SurveyStatus,
    WorkOrder,
)
from surveys.outbox.kinds import FoldedOrder
from surveys.people.homes import home_if_several
from surveys.survey.folded import copy_to_folded, folded_orders
from surveys.survey.records import fill, mark_submitted

log = logging.getLogger(__name__)

OPEN_STATUSES = (SurveyStatus.PENDING, SurveyStatus.SENT)
# A survey a link can still answer although chat cannot: never delivered in Telegram
# (undeliverable, or the owner unbound before it was sent). Chat checks OPEN_STATUSES first.
OPEN_STATUSES_ANY_CHANNEL = (*OPEN_STATUSES, SurveyStatus.UNDELIVERABLE,
                             SurveyStatus.SKIPPED_UNBOUND)


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


@dataclass(frozen=True)
class RatingResult:
    view: SurveyView
    changed: bool


def _next_step(survey: Survey, response: Response | None) -> str:
    if survey.status == SurveyStatus.SUBMITTED:
        return "done"
    for question in QUESTIONS:
        if response is None or getattr(response, question) is None:
            return question
    return "comment"


async def _view(s: AsyncSession, survey: Survey, response: Response | None = None) -> SurveyView:
    order = await s.get(WorkOrder, survey.work_order_id)
    agent = await s.get(Agent, survey.agent_id) if survey.agent_id else None
    if response is None:
        response = await _response(s, require_id(survey))
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


async def survey_view(s: AsyncSession, survey: Survey,
                      response: Response | None = None) -> SurveyView:
    """Return the view of a survey in the caller's session (the web page's card)."""
    return await _view(s, survey, response)


async def live_response(s: AsyncSession, survey_id: int) -> Response | None:
    """Return the survey's answer: the live one when a voided 回访 sits beside it."""
    return await _response(s, survey_id)


async def _response(s: AsyncSession, survey_id: int) -> Response | None:
    # The live answer first: a voided 回访 may have a second entry beside it.
    return (await s.exec(select(Response).where(Response.survey_id == survey_id)
                         .order_by(col(Response.voided), col(Response.id).desc()))).first()


async def get_survey_view(*, db: SessionFactory, survey_id: int) -> SurveyView:
    """Return everything the chat side needs to show a survey."""
    async with db() as s:
        survey = await s.get(Survey, survey_id)
        if survey is None:
            raise NotFound(f"survey {survey_id}", code=ErrorCode.SURVEY_NOT_FOUND, id=survey_id)
        return await _view(s, survey)


async def answerable_survey_view(*, db: SessionFactory, survey_id: int, telegram_user_id: int
                                 ) -> SurveyView:
    """Return a survey its owner may still answer (to show a question again), else raise why."""
    async with db() as s:
        return await _view(s, await _open_survey(s, survey_id, telegram_user_id))


async def hold_survey(s: AsyncSession, survey_id: int) -> None:
    """Take the survey row's write lock before its answers are read or written.

    A rating, a comment and a submit of one survey then run one after the other: a star
    changed while the survey is submitted (two taps at once, chat and web page together) is
    either seen by the submit, which opens the complaint it calls for, or refused as closed,
    never stored unseen after it.
    """
    await s.exec(update(Survey).where(col(Survey.id) == survey_id)
                 .values(status=col(Survey.status)))


async def _open_survey(s: AsyncSession, survey_id: int, telegram_user_id: int, *,
                       hold: bool = False) -> Survey:
    """Load a survey the caller may answer, or raise why not (`hold`: to write to it)."""
    if hold:
        await hold_survey(s, survey_id)
    survey = await s.get(Survey, survey_id, populate_existing=True)
    if survey is None:
        raise NotFound(f"survey {survey_id}", code=ErrorCode.SURVEY_NOT_FOUND, id=survey_id)
    owner = await s.get(Owner, survey.owner_id)
    if owner is None or owner.telegram_user_id != telegram_user_id:
        raise NotYourSurvey()
    if survey.status not in OPEN_STATUSES:
        raise SurveyClosed(survey.status)
    if survey.expires_at is not None and survey.expires_at <= clock.now():
        # The expiry job has not run yet; the survey is closed all the same.
        raise SurveyClosed(SurveyStatus.EXPIRED)
    return survey


async def record_rating(
    *, db: SessionFactory, survey_id: int, telegram_user_id: int, question: str, rating: int
) -> RatingResult:
    """Store one star rating; the same tap twice is a no-op; changes allowed until submit."""
    if question not in QUESTIONS:
        raise InvalidAnswer(f"unknown question {question!r}", code=ErrorCode.UNKNOWN_QUESTION)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidAnswer("rating must be 1-5", code=ErrorCode.RATING_OUT_OF_RANGE)
    for attempt in range(2):
        try:
            return await _rate(db, survey_id, telegram_user_id, question, rating)
        except IntegrityError:
            # Two first taps at once (a double tap): the other created the response row;
            # the second pass finds it and records this tap on it.
            if attempt:
                raise
    raise AssertionError("unreachable")


async def _rate(db: SessionFactory, survey_id: int, telegram_user_id: int, question: str,
                rating: int) -> RatingResult:
    async with db() as s, s.begin():
        survey = await _open_survey(s, survey_id, telegram_user_id, hold=True)
        response = await _response(s, survey_id)
        if response is None:
            response = Response(survey_id=survey_id)
        changed = getattr(response, question) != rating
        if changed:
            s.add(fill(response, {question: rating}, at=clock.now()))
            await s.flush()
        return RatingResult(await _view(s, survey, response), changed)


def _awaiting_comment(*where: ColumnElement[bool]) -> Select[Survey, Response]:
    """Select (survey, response) of open surveys with every question rated: a comment's turn."""
    rated = [col(getattr(Response, q)).is_not(None) for q in QUESTIONS]
    return (
        select(Survey, Response)
        .join(Response, col(Response.survey_id) == col(Survey.id))
        .where(col(Survey.status).in_(OPEN_STATUSES), *rated, *where)
    )


def _expired(survey: Survey, now: datetime) -> bool:
    return survey.expires_at is not None and survey.expires_at <= now


async def awaiting_comment(*, db: SessionFactory, telegram_user_id: int) -> bool:
    """Tell whether one of the owner's surveys has every rating and waits for a comment."""
    async with db() as s:
        rows = (await s.exec(
            _awaiting_comment(col(Owner.telegram_user_id) == telegram_user_id)
            .join(Owner, col(Owner.id) == col(Survey.owner_id))
        )).all()
    now = clock.now()
    return any(not _expired(survey, now) for survey, _response in rows)


async def record_comment(
    *, db: SessionFactory, telegram_user_id: int, text: str, message_id: int,
    max_chars: int | None = None,
) -> SurveyView | None:
    """Store a comment on the owner's survey awaiting one; None if no survey awaits one.

    A redelivered message (same text) is stored once; a new message replaces the comment
    until the survey is submitted. The caller submits afterwards (`submit_survey`).
    """
    text = clean_free_text(text, max_chars=max_chars or SurveyConfig().comment_max_chars,
                           empty=ErrorCode.COMMENT_EMPTY, too_long=ErrorCode.COMMENT_TOO_LONG,
                           what="the comment", error=InvalidAnswer)
    async with db() as s, s.begin():
        homes = select(Owner.id).where(col(Owner.telegram_user_id) == telegram_user_id)
        if (await s.exec(homes)).first() is None:
            raise NotBound()
        now = clock.now()
        # Of every home's surveys, the one rated last takes the comment (as within one home).
        candidates = (
            await s.exec(
                _awaiting_comment(col(Survey.owner_id).in_(homes))
                .order_by(col(Response.updated_at).desc(), col(Survey.id).desc())
            )
        ).all()
        for survey, response in candidates:
            if _expired(survey, now):
                continue
            await hold_survey(s, require_id(survey))
            await s.refresh(survey)
            await s.refresh(response)
            if survey.status not in OPEN_STATUSES:
                continue  # submitted meanwhile (a tap on "no comment", the web page)
            if response.comment != text:
                response.comment = text
                response.updated_at = now
                s.add(response)
                await s.flush()
            log.info("comment stored on survey %s (message %s)", survey.id, message_id)
            return await _view(s, survey, response)
        return None


async def submit_survey(
    *,
    db: SessionFactory,
    survey_id: int,
    telegram_user_id: int,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> SurveyView:
    """Finish a survey: classify the comment, open complaints it calls for; idempotent."""
    async with db() as s, s.begin():
        await hold_survey(s, survey_id)
        survey = await s.get(Survey, survey_id)
        if survey is None:
            raise NotFound(f"survey {survey_id}", code=ErrorCode.SURVEY_NOT_FOUND, id=survey_id)
        owner = await s.get(Owner, survey.owner_id)
        if owner is None or owner.telegram_user_id != telegram_user_id:
            raise NotYourSurvey()
        if survey.status == SurveyStatus.SUBMITTED:
            return await _view(s, survey)
        survey = await _open_survey(s, survey_id, telegram_user_id)
        response = await _response(s, survey_id)
        if response is None or any(getattr(response, q) is None for q in QUESTIONS):
            raise InvalidAnswer("answer every question before submitting")
        await finish_response(
            s, survey=survey, response=response, channel=ResponseChannel.CHAT,
            survey_config=survey_config, complaint_config=complaint_config,
        )
        return await _view(s, survey, response)


async def finish_response(
    s: AsyncSession,
    *,
    survey: Survey,
    response: Response,
    channel: ResponseChannel,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
    classification: dict[str, Any] | None = None,
    open_statuses: tuple[str, ...] = OPEN_STATUSES_ANY_CHANNEL,
) -> list[Complaint]:
    """Submit a complete response in the caller's transaction: classify, open complaints.

    `classification` is the comment's, when the caller classified it before its transaction
    (CPU work outside the database's write lock); else it is done here. `open_statuses` are
    the statuses it may be submitted from (a staff 回访 also answers expired surveys).
    Returns the complaints the response opened.

    The status moves from open to submitted with one conditional UPDATE, so when the chat and
    the web page submit at the same moment exactly one of them wins; the other gets
    SurveyClosed("submitted") and its transaction changes nothing.
    """
    now = clock.now()
    won = await s.exec(
        update(Survey)
        .where(col(Survey.id) == survey.id, col(Survey.status).in_(open_statuses))
        .values(status=SurveyStatus.SUBMITTED, submitted_at=now,
                sent_at=func.coalesce(col(Survey.sent_at), now))
    )
    if won.rowcount != 1:
        raise SurveyClosed(SurveyStatus.SUBMITTED)
    await s.refresh(survey)
    if response.comment:
        response.classification = classification or classify_comment(response.comment)
    s.add(mark_submitted(response, channel=channel, at=now))
    await s.flush()
    opened = await open_from_response(
        s, survey=survey, response=response, survey_config=survey_config,
        complaint_config=complaint_config,
    )
    await copy_to_folded(s, survey=survey, response=response)
    log.info("survey %s submitted (%s)", survey.id, channel)
    return opened


async def skip_comment(
    *,
    db: SessionFactory,
    survey_id: int,
    telegram_user_id: int,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> SurveyView:
    """Submit a survey without a comment."""
    return await submit_survey(
        db=db, survey_id=survey_id, telegram_user_id=telegram_user_id,
        survey_config=survey_config, complaint_config=complaint_config,
    )
