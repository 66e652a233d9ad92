"""The owner's answers: ratings per question and submit (the comment: `comments.py`).

Every call is idempotent, because Telegram delivers updates at least once: the same tap twice
changes nothing the second time (`changed=False`), the same comment twice is stored once, and
submitting a submitted survey returns it unchanged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import open_from_response
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    ErrorCode,
    InvalidAnswer,
    NotFound,
    NotYourSurvey,
    SurveyClosed,
)
from surveys.models import (
    Complaint,
    Owner,
    Response,
    ResponseChannel,
    Survey,
    SurveyStatus,
)
from surveys.survey.folded import copy_to_folded
from surveys.survey.records import fill, mark_submitted
from surveys.survey.views import SurveyView, live_response, survey_view

log = logging.getLogger(__name__)

OPEN_STATUSES = (SurveyStatus.PENDING, SurveyStatus.SENT)
# A survey a link can still answer although chat cannot: never delivered in Telegram
# (undeliverable, or the owner unbound before it was sent). Chat checks OPEN_STATUSES first.
OPEN_STATUSES_ANY_CHANNEL = (*OPEN_STATUSES, SurveyStatus.UNDELIVERABLE,
                             SurveyStatus.SKIPPED_UNBOUND)


@dataclass(frozen=True)
class RatingResult:
    view: SurveyView
    changed: bool


async def answerable_survey_view(*, db: SessionFactory, survey_id: int, telegram_user_id: int
                                 ) -> SurveyView:
    """Return a survey its owner may still answer (to show a question again), else raise why."""
    async with db() as s:
        return await survey_view(s, await _open_survey(s, survey_id, telegram_user_id))


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
        response = await live_response(s, survey_id)
        if response is None:
            response = Response(survey_id=survey_id)
        changed = getattr(response, question) != rating
        if changed:
            s.add(fill(response, {question: rating}, at=clock.now()))
            await s.flush()
        return RatingResult(await survey_view(s, survey, response), changed)


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
            return await survey_view(s, survey)
        survey = await _open_survey(s, survey_id, telegram_user_id)
        response = await live_response(s, survey_id)
        if response is None or any(getattr(response, q) is None for q in QUESTIONS):
            raise InvalidAnswer("answer every question before submitting")
        await finish_response(
            s, survey=survey, response=response, channel=ResponseChannel.CHAT,
            survey_config=survey_config, complaint_config=complaint_config,
        )
        return await survey_view(s, survey, response)


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
