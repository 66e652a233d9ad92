"""Staff-entered 回访: a phone call or visit answers a survey the bot could not deliver.

回访 staff (`Revisitor`) and managers record the owner's answers to the same questions
(`scoring.questions`) and the owner's words; the response gets channel `phone` or `visit` and
who entered it, then goes through `answers.finish_response` like a chat answer (classifier,
complaints). The rules: only surveys the bot could not deliver (owner not bound, Telegram
refused, expired); only staff of the order's community; never the credited agent; a survey
that already has an answer is refused (never replaced), except that the same entry made again
(a repeated update, a CSV imported twice) is answered as the first one, and a 回访 voided on
appeal may be entered again beside it (surveys.survey.reentry).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false
from sqlmodel import and_, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.complaints.evidence import classify_comment
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode, Forbidden, NotFound
from surveys.core.ids import require_id
from surveys.core.text import storable
from surveys.models import (
    Agent,
    Owner,
    Response,
    Survey,
    SurveyStatus,
    WorkOrder,
    WorkOrderKind,
)
from surveys.survey.answers import finish_response, hold_survey
from surveys.survey.records import fill, mark_entered_by
from surveys.survey.reentry import audit_reentry, voided_only, voided_revisit
from surveys.survey.revisit_entry import check_channel, check_ratings, check_words
from surveys.survey.revisit_staff import Recorder

log = logging.getLogger(__name__)

# Surveys the bot could not bring to an answer: these wait for a staff 回访.
REVISITABLE = (SurveyStatus.SKIPPED_UNBOUND, SurveyStatus.UNDELIVERABLE, SurveyStatus.EXPIRED)


@dataclass(frozen=True)
class RevisitTarget:
    """A survey waiting for (or given) a staff 回访: the order, the owner to call, the agent."""

    survey_id: int
    work_order: str  # the external id, e.g. WO-1024
    title: str
    kind: str
    urgency: str
    community_id: int
    status: str
    owner_name: str
    owner_phone: str | None  # in full: the 回访 staff call this number
    building: str | None
    room: str | None
    agent_name: str | None
    closed_at: datetime | None
    # Why the bot got no answer: skipped_unbound, undeliverable, expired, link_only (a web
    # link is all the owner got), or the status itself when it is none of these.
    reason: str = ""


def _reason(survey: Survey) -> str:
    if survey.status == SurveyStatus.SENT:
        return "link_only" if survey.chat_id is None else "expired"
    if survey.status == SurveyStatus.SUBMITTED:
        return "voided"  # only a survey whose 回访 was voided on appeal is offered again
    return survey.status


@dataclass(frozen=True)
class RevisitResult:
    """A recorded 回访: its target, channel, whether it opened a complaint, whether repeated."""

    target: RevisitTarget
    channel: str
    response_id: int
    complaint_opened: bool
    repeated: bool = False


async def _load(s: AsyncSession, work_order: str | int
                ) -> tuple[WorkOrder, Survey, Owner, Agent | None]:
    """Load by the work order's external id, or by survey id (an int: the chat's buttons)."""
    order: WorkOrder | None = None
    survey: Survey | None = None
    if isinstance(work_order, int):
        key = str(work_order)
        survey = await s.get(Survey, work_order)
        order = await s.get(WorkOrder, survey.work_order_id) if survey is not None else None
    else:
        key = storable(work_order or "").strip()[:128]
        order = (await s.exec(select(WorkOrder).where(WorkOrder.external_id == key))).first() \
            if key else None
        survey = (await s.exec(select(Survey).where(Survey.work_order_id == order.id))
                  ).first() if order is not None else None
    if order is None or survey is None:
        raise NotFound(f"work order {key!r}", code=ErrorCode.WORK_ORDER_NOT_FOUND, id=key)
    owner = await s.get(Owner, survey.owner_id)
    assert owner is not None
    agent = await s.get(Agent, survey.agent_id) if survey.agent_id else None
    return order, survey, owner, agent


def _target(order: WorkOrder, survey: Survey, owner: Owner, agent: Agent | None
            ) -> RevisitTarget:
    return RevisitTarget(
        survey_id=require_id(survey), work_order=order.external_id, title=order.title,
        kind=order.kind, urgency=order.urgency, community_id=order.community_id,
        status=survey.status, owner_name=owner.name, owner_phone=owner.phone,
        building=owner.building, room=owner.room, agent_name=agent.name if agent else None,
        closed_at=order.closed_at, reason=_reason(survey),
    )


def _check_allowed(order: WorkOrder, survey: Survey, owner: Owner, recorder: Recorder) -> None:
    """Refuse a recorder outside the order's community, or the order's own agent."""
    if recorder.community_id is not None and recorder.community_id != order.community_id:
        raise Forbidden("order of another community", code=ErrorCode.REVISIT_OTHER_COMMUNITY,
                        id=order.external_id)
    if {survey.agent_id, order.agent_id} & recorder.own_agent_ids:
        raise Forbidden("own order", code=ErrorCode.REVISIT_OWN_ORDER, id=order.external_id)


def _check_open(order: WorkOrder, survey: Survey, owner: Owner, channel: str | None,
                reentry: Response | None = None) -> None:
    """Refuse a survey that is answered, still open in chat, or whose owner said no.

    `reentry`: the survey's 回访 voided on appeal, with nothing live answering it.
    """
    if survey.status == SurveyStatus.SUBMITTED and reentry is None:
        raise DomainError("already answered", code=ErrorCode.REVISIT_ANSWERED,
                          id=order.external_id, channel=channel)
    if survey.status == SurveyStatus.SKIPPED_OPTED_OUT or owner.forgotten_at is not None:
        raise DomainError("owner opted out", code=ErrorCode.REVISIT_OPTED_OUT,
                          id=order.external_id)
    if reentry is not None:
        return
    lapsed = survey.expires_at is not None and survey.expires_at <= clock.now()
    # Sent only as a web link (the owner is not in Telegram): a call may answer it at once;
    # should the owner submit the page at the same moment, one of the two wins.
    link_only = survey.status == SurveyStatus.SENT and survey.chat_id is None
    if survey.status not in REVISITABLE and not lapsed and not link_only:
        raise DomainError("survey still open", code=ErrorCode.REVISIT_STILL_OPEN,
                          id=order.external_id)


async def _response(s: AsyncSession, survey_id: int) -> Response | None:
    # The live answer: one voided on appeal answers nothing any more.
    return (await s.exec(select(Response).where(
        Response.survey_id == survey_id, col(Response.voided) == false()))).first()


async def _reentry(s: AsyncSession, survey: Survey, response: Response | None
                   ) -> Response | None:
    if survey.status != SurveyStatus.SUBMITTED or response is not None:
        return None
    return await voided_revisit(s, require_id(survey))


async def revisit_target(*, db: SessionFactory, work_order: str | int, recorder: Recorder
                         ) -> RevisitTarget:
    """Return the survey of a work order this recorder may enter a 回访 for, else raise why.

    `work_order` is the order's external id, or the survey id (an int).
    """
    async with db() as s:
        order, survey, owner, agent = await _load(s, work_order)
        _check_allowed(order, survey, owner, recorder)
        response = await _response(s, require_id(survey))
        _check_open(order, survey, owner, response.channel if response else None,
                    await _reentry(s, survey, response))
        return _target(order, survey, owner, agent)


def _same_entry(response: Response | None, recorder: Recorder, channel: str,
                ratings: Mapping[str, int], words: str | None) -> bool:
    return (response is not None and response.submitted_at is not None
            and response.entered_by_role == recorder.role
            and response.entered_by_id == recorder.id and response.channel == channel
            and all(getattr(response, q) == ratings[q] for q in QUESTIONS)
            and (response.comment or None) == words)


async def record_revisit(
    *,
    db: SessionFactory,
    work_order: str | int,
    recorder: Recorder,
    ratings: Mapping[str, object],
    words: str | None,
    channel: str,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> RevisitResult:
    """Record a phone or visit 回访 as the survey's response; the same entry twice is one."""
    checked = check_ratings(ratings)
    staff_channel = check_channel(channel)
    text = check_words(words, survey_config.comment_max_chars)
    # CPU work outside the write transaction (as the web page does).
    classification = await asyncio.to_thread(classify_comment, text) if text else None
    async with db() as s, s.begin():
        order, survey, owner, agent = await _load(s, work_order)
        # A double tap on "save": the second waits here, then finds the first's entry.
        await hold_survey(s, require_id(survey))
        await s.refresh(survey)
        _check_allowed(order, survey, owner, recorder)
        response = await _response(s, require_id(survey))
        if survey.status == SurveyStatus.SUBMITTED and response is not None \
                and _same_entry(response, recorder, staff_channel, checked, text):
            return RevisitResult(_target(order, survey, owner, agent), staff_channel,
                                 require_id(response), complaint_opened=False, repeated=True)
        reentry = await _reentry(s, survey, response)
        _check_open(order, survey, owner, response.channel if response else None, reentry)
        if response is None:
            response = Response(survey_id=require_id(survey))
        mark_entered_by(fill(response, checked, comment=text, with_comment=True,
                             at=clock.now()),
                        role=recorder.role, entered_by_id=recorder.id)
        # An expired survey is answered all the same: 回访 is what expired surveys wait for.
        opened = await finish_response(
            s, survey=survey, response=response, channel=staff_channel,
            survey_config=survey_config, complaint_config=complaint_config,
            classification=classification,
            open_statuses=(SurveyStatus.SUBMITTED,) if reentry else (*REVISITABLE,
                                                                     SurveyStatus.SENT),
        )
        if reentry is not None:
            await audit_reentry(s, recorder=recorder, voided=reentry, response=response)
        log.info("回访 (%s) recorded for survey %s by %s %s", staff_channel, survey.id,
                 recorder.role, recorder.id)
        return RevisitResult(_target(order, survey, owner, agent), staff_channel,
                             require_id(response), complaint_opened=bool(opened))


async def pending_revisits(*, db: SessionFactory, community_id: int | None, window: timedelta,
                           limit: int = 50) -> tuple[list[RevisitTarget], int]:
    """Return the surveys waiting for a 回访 (orders closed within `window`), and how many.

    Complaint orders come first (their 回访 target is 100 %), then the oldest closed.
    """
    since = clock.now() - window
    link_only = and_(col(Survey.status) == SurveyStatus.SENT, col(Survey.chat_id).is_(None))
    where = [or_(col(Survey.status).in_(REVISITABLE), link_only, voided_only()),
             col(WorkOrder.closed_at) >= since, col(Owner.forgotten_at).is_(None)]
    if community_id is not None:
        where.append(col(WorkOrder.community_id) == community_id)
    stmt = (
        select(WorkOrder, Survey, Owner, Agent)
        .join(Survey, col(Survey.work_order_id) == col(WorkOrder.id))
        .join(Owner, col(Owner.id) == col(Survey.owner_id))
        .outerjoin(Agent, col(Agent.id) == col(Survey.agent_id))
        .where(*where)
        .order_by(col(WorkOrder.kind) != WorkOrderKind.COMPLAINT, col(WorkOrder.closed_at),
                  col(WorkOrder.id))
    )
    async with db() as s:
        rows = (await s.exec(stmt)).all()
    return [_target(*row) for row in rows[:limit]], len(rows)

