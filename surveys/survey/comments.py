"""The owner's comment after the last star: whether one is awaited, storing it, skipping it."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import col, select
from sqlmodel.sql.expression import Select

from scoring.questions import QUESTIONS
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidAnswer, NotBound
from surveys.core.ids import require_id
from surveys.core.text import clean_free_text
from surveys.models import Owner, Response, Survey
from surveys.survey.answers import OPEN_STATUSES, hold_survey, submit_survey
from surveys.survey.views import SurveyView, survey_view

log = logging.getLogger(__name__)


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
            return await survey_view(s, survey, response)
        return None


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
