"""Answering a survey through its web link: the chat's rules, through the chat's services.

Ratings and the comment land in the same `Response` row the chat writes (so a survey half
answered in Telegram shows those stars on the page, and the other way round); the submission
goes through `answers.finish_response` (classifier, complaints, one winner when both channels
submit at once) with channel `web`. Every call is idempotent: the same form posted twice
changes nothing the second time, and a repeat after the submission is answered as the first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.complaints.evidence import classify_comment
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidAnswer, NotFound, SurveyClosed
from surveys.core.ids import require_id
from surveys.core.text import clean_free_text
from surveys.models import Owner, Response, ResponseChannel, Survey, SurveyLink, SurveyStatus
from surveys.outbox.kinds import OutboxKind, SurveyPayload
from surveys.outbox.store import enqueue
from surveys.survey.answers import OPEN_STATUSES_ANY_CHANNEL, finish_response, hold_survey
from surveys.survey.links import TOKEN_PATTERN, expiry, token_for, token_hash
from surveys.survey.records import fill
from surveys.survey.views import SurveyView, live_response, survey_view

log = logging.getLogger(__name__)

PLACEHOLDER_NAMES = {"业主", "owner", ""}  # what intake stores when it has no name


class LinkNotFound(NotFound):
    """No survey has this link: mistyped, forged, or issued with another key."""


class LinkState(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    CLOSED = "closed"  # opted out, forgotten, or the survey was closed otherwise


@dataclass(frozen=True)
class LinkedSurvey:
    """What the web page shows: the survey card, the owner's surname and unit, its state."""

    view: SurveyView
    state: LinkState
    surname: str | None
    building: str | None
    room: str | None
    channel: str | None  # the channel of the submitted response
    low_rating: bool  # the submitted response holds a low rating (the thank-you says sorry)


@dataclass(frozen=True)
class LinkAnswer:
    """The outcome of a posted form: submitted, or which questions still lack a rating."""

    survey: LinkedSurvey
    submitted: bool
    missing: tuple[str, ...] = ()
    repeated: bool = False  # the survey was already submitted with exactly these answers


def surname_of(name: str | None) -> str | None:
    """Return the part of a name the page may show: a Chinese surname or a last name."""
    name = (name or "").strip()
    if name.lower() in PLACEHOLDER_NAMES:
        return None
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name[0]
    return name.split()[-1] if name.split() else None


async def _find(s: AsyncSession, key: bytes, token: str) -> tuple[SurveyLink, Survey]:
    if not TOKEN_PATTERN.match(token or ""):
        raise LinkNotFound("malformed link")
    link = (await s.exec(
        select(SurveyLink).where(SurveyLink.token_hash == token_hash(token)))).first()
    # The signature check guards against a row written without the key (and a key rotated).
    if link is None or token != token_for(key, link.survey_id, link.nonce):
        raise LinkNotFound("unknown link")
    survey = await s.get(Survey, link.survey_id)
    if survey is None:
        raise LinkNotFound("survey gone")
    return link, survey


def _state(link: SurveyLink, survey: Survey, owner: Owner | None) -> LinkState:
    if survey.status == SurveyStatus.SUBMITTED:
        return LinkState.SUBMITTED
    if owner is None or owner.opted_out or owner.forgotten_at is not None:
        return LinkState.CLOSED
    if survey.status == SurveyStatus.EXPIRED or expiry(link, survey) <= clock.now():
        return LinkState.EXPIRED
    if survey.status not in OPEN_STATUSES_ANY_CHANNEL:
        return LinkState.CLOSED
    return LinkState.OPEN


async def _linked(s: AsyncSession, link: SurveyLink, survey: Survey,
                  survey_config: SurveyConfig) -> LinkedSurvey:
    owner = await s.get(Owner, survey.owner_id)
    response = await live_response(s, require_id(survey))
    ratings = [getattr(response, q) for q in QUESTIONS] if response else []
    return LinkedSurvey(
        view=await survey_view(s, survey, response),
        state=_state(link, survey, owner),
        surname=surname_of(owner.name) if owner else None,
        building=owner.building if owner else None,
        room=owner.room if owner else None,
        channel=response.channel if response and response.submitted_at else None,
        low_rating=any(r is not None and r <= survey_config.low_rating_threshold
                       for r in ratings),
    )


async def open_link(*, db: SessionFactory, key: bytes, token: str,
                    survey_config: SurveyConfig) -> LinkedSurvey:
    """Return what the page of a link shows; LinkNotFound for a forged or unknown link."""
    async with db() as s:
        link, survey = await _find(s, key, token)
        return await _linked(s, link, survey, survey_config)


def _validate(ratings: Mapping[str, int], comment: str | None, max_chars: int) -> str | None:
    for question, rating in ratings.items():
        if question not in QUESTIONS:
            raise InvalidAnswer(f"unknown question {question!r}")
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidAnswer("rating must be 1-5")
    text = clean_free_text(comment, max_chars=max_chars, empty=None,
                           too_long=ErrorCode.INVALID_ANSWER, what="the comment",
                           error=InvalidAnswer)
    return text or None


def _same(response: Response | None, ratings: Mapping[str, int], comment: str | None) -> bool:
    if response is None:
        return False
    return (all(getattr(response, q) == r for q, r in ratings.items())
            and (response.comment or None) == comment)


async def answer_by_link(
    *,
    db: SessionFactory,
    key: bytes,
    token: str,
    ratings: Mapping[str, int],
    comment: str | None,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> LinkAnswer:
    """Store the posted answers; submit when every question has a rating.

    Raises LinkNotFound (forged/unknown link), InvalidAnswer (a value no form sends), or
    SurveyClosed (expired, closed, or submitted before with other answers).
    """
    text = _validate(ratings, comment, survey_config.comment_max_chars)
    # Classified before the write transaction, in a thread: the event loop keeps serving.
    classification = await asyncio.to_thread(classify_comment, text) if text else None
    for attempt in range(2):
        try:
            return await _answer(db, key, token, ratings, text, classification,
                                 survey_config, complaint_config)
        except IntegrityError:
            if attempt:  # the chat created the response row at the same moment: read it now
                raise
    raise AssertionError("unreachable")


async def _answer(db: SessionFactory, key: bytes, token: str, ratings: Mapping[str, int],
                  comment: str | None, classification: dict[str, Any] | None,
                  survey_config: SurveyConfig, complaint_config: ComplaintConfig
                  ) -> LinkAnswer:
    async with db() as s, s.begin():
        link, survey = await _find(s, key, token)
        # A star tapped in chat meanwhile is read before the page's answers are written.
        await hold_survey(s, require_id(survey))
        await s.refresh(survey)
        before = await _linked(s, link, survey, survey_config)
        response = (await s.exec(select(Response).where(Response.survey_id == survey.id))).first()
        if before.state == LinkState.SUBMITTED and _same(response, ratings, comment):
            return LinkAnswer(survey=before, submitted=True, repeated=True)
        if before.state != LinkState.OPEN:
            raise SurveyClosed(survey.status if before.state != LinkState.EXPIRED
                               else SurveyStatus.EXPIRED)
        response = fill(response or Response(survey_id=require_id(survey)), ratings,
                        comment=comment, with_comment=True, at=clock.now())
        s.add(response)
        await s.flush()
        missing = tuple(q for q in QUESTIONS if getattr(response, q) is None)
        if missing:
            return LinkAnswer(survey=await _linked(s, link, survey, survey_config),
                              submitted=False, missing=missing)
        await finish_response(s, survey=survey, response=response,
                              channel=ResponseChannel.WEB, survey_config=survey_config,
                              complaint_config=complaint_config,
                              classification=classification)
        await _close_chat_card(s, survey, before.view, response)
    async with db() as s:  # read back outside the write transaction
        fresh = await s.get(Survey, survey.id)
        assert fresh is not None
        return LinkAnswer(survey=await _linked(s, link, fresh, survey_config), submitted=True)


async def _close_chat_card(s: AsyncSession, survey: Survey, view: SurveyView,
                           response: Response) -> None:
    """Replace the survey's chat message (if one was sent) with the submitted card."""
    if survey.chat_id is None or survey.message_id is None:
        return
    await enqueue(
        s, kind=OutboxKind.SURVEY_ANSWERED_ON_WEB,
        dedupe_key=f"survey_answered_on_web:{survey.id}",
        chat_id=survey.chat_id, survey_id=survey.id,
        payload=SurveyPayload(
            survey_id=require_id(survey), message_id=survey.message_id,
            work_order_external_id=view.work_order_external_id,
            work_order_title=view.work_order_title, work_order_kind=view.work_order_kind,
            agent_name=view.agent_name, locale=survey.language,
            ratings={q: getattr(response, q) for q in QUESTIONS},
            comment=response.comment,
        ),
    )
