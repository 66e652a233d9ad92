"""Complaints: opened from low ratings, complaint comments or directly; handled to closure.

Opening lives here; handling (acknowledge, reply, resolve, follow-up, deadlines, listing)
lives in `surveys.complaints.handling` and is re-exported, so callers import from one place.
Lifecycle and outbox payloads: docs/complaints.md.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.complaints.alerts import announce_opened, load_context
from surveys.complaints.escalation import resolve_deadline
from surveys.complaints.evidence import (
    aspect_words,
    classify_comment,
    evidence_words,
    negative_aspects,
)
from surveys.complaints.risk import alert_risk_words, find_risk_words
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotBound
from surveys.core.text import clean_free_text
from surveys.models import (
    Agent,
    Community,
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    Owner,
    Response,
    Survey,
    Urgency,
    WorkOrder,
)

log = logging.getLogger(__name__)

DIRECT_TEXT_MAX_CHARS = 2000
NEUTRAL_CLASSIFICATION: dict[str, Any] = {
    "polarity": "neutral", "score": 0.0, "complaint": False, "aspects": {}, "evidence": [],
}


def _merge_tags(*groups: list[str]) -> list[str]:
    tags: list[str] = []
    for group in groups:
        tags.extend(tag for tag in group if tag not in tags)
    return tags


def _deadline(config: ComplaintConfig, *, urgent: bool) -> timedelta:
    return timedelta(hours=config.urgent_ack_hours if urgent else config.ack_hours)


async def open_from_response(
    session: AsyncSession,
    *,
    survey: Survey,
    response: Response,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> list[Complaint]:
    """Open the complaint a submitted response calls for, inside the caller's transaction."""
    existing = (
        await session.exec(select(Complaint).where(Complaint.survey_id == survey.id))
    ).all()
    if existing:
        return list(existing)
    await _risk_in_comment(session, survey=survey, response=response, config=complaint_config)
    ratings: dict[str, int] = {
        q: value for q in QUESTIONS if (value := getattr(response, q)) is not None
    }
    low = {q: r for q, r in ratings.items() if r <= survey_config.low_rating_threshold}
    classification = response.classification or {}
    if not low and not classification.get("complaint"):
        return []
    order = await session.get(WorkOrder, survey.work_order_id)
    urgent = order is not None and order.urgency == Urgency.URGENT
    now = clock.now()
    home = await session.get(Owner, survey.owner_id)
    complaint = Complaint(
        source=ComplaintSource.LOW_RATING if low else ComplaintSource.COMMENT,
        survey_id=survey.id,
        work_order_id=survey.work_order_id,
        owner_id=survey.owner_id,
        telegram_user_id=home.telegram_user_id if home is not None else None,
        agent_id=survey.agent_id,
        text=response.comment,
        tags=_merge_tags(negative_aspects(classification), list(low)),
        evidence={"words": evidence_words(classification), "ratings": low,
                  "by_aspect": aspect_words(classification)},
        urgent=urgent,
        opened_at=now,
        ack_deadline=now + _deadline(complaint_config, urgent=urgent),
        resolve_deadline=resolve_deadline(complaint_config, urgent=urgent, start=now),
    )
    session.add(complaint)
    await session.flush()
    await announce_opened(session, await load_context(session, complaint), ratings=ratings)
    return [complaint]


async def _risk_in_comment(session: AsyncSession, *, survey: Survey, response: Response,
                           config: ComplaintConfig) -> None:
    if not find_risk_words(response.comment, config.risk_words, config.risk_word_exceptions):
        return  # the common case reads nothing more
    owner = await session.get(Owner, survey.owner_id)
    if owner is None:
        return
    agent = await session.get(Agent, survey.agent_id) if survey.agent_id else None
    await alert_risk_words(
        session, text=response.comment, words=config.risk_words,
        exceptions=config.risk_word_exceptions, source="comment",
        source_key=f"response:{response.id}", owner=owner, agent=agent,
        work_order=await session.get(WorkOrder, survey.work_order_id))


async def _latest_order(session: AsyncSession, owner_id: int, before: datetime | None = None
                        ) -> WorkOrder | None:
    done = func.coalesce(col(WorkOrder.closed_at), col(WorkOrder.created_at))
    stmt = (
        select(WorkOrder)
        .where(WorkOrder.owner_id == owner_id, *([done < before] if before else []))
        .order_by(
            done.desc(),
            col(WorkOrder.id).desc(),
        )
        .limit(1)
    )
    return (await session.exec(stmt)).first()


async def _home_to_complain_about(s: AsyncSession, telegram_user_id: int
                                  ) -> tuple[Owner | None, WorkOrder | None]:
    """Return the account's home whose order closed last, and that order.

    An owner with several homes most likely complains about the latest service; with no
    orders at all, the first home (the receipt names the home when there are several).
    """
    homes = (await s.exec(select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
                          .order_by(col(Owner.id)))).all()
    latest = [(order, owner) for owner in homes if owner.id is not None
              and (order := await _latest_order(s, owner.id)) is not None]
    if not latest:
        return (homes[0] if homes else None), None
    order, owner = max(latest, key=lambda pair: (
        pair[0].closed_at or pair[0].created_at, pair[0].id or 0))
    return owner, order


async def _credited_agent_id(session: AsyncSession, order: WorkOrder) -> int | None:
    survey = (
        await session.exec(select(Survey).where(Survey.work_order_id == order.id))
    ).first()
    agent_id = survey.agent_id if survey is not None and survey.agent_id else order.agent_id
    if agent_id is None:
        return None
    agent = await session.get(Agent, agent_id)
    # An agent who left cannot handle it; the community's duty agent takes over.
    return agent_id if agent is not None and agent.active else None


async def open_direct(
    *,
    db: SessionFactory,
    telegram_user_id: int,
    text: str,
    complaint_config: ComplaintConfig,
) -> Complaint:
    """Open an owner's direct complaint for their last order's agent or the duty agent.

    The primitive under `surveys.complaints.owner_text`, which decides whether an owner's
    text opens a complaint at all (chatter, confirmation, joining, the daily limit).
    """
    words = clean_direct_text(text)
    # CPU work stays outside the write transaction.
    classification = classify_comment(words) or dict(NEUTRAL_CLASSIFICATION)
    async with db() as s, s.begin():
        owner = await lock_owner(s, telegram_user_id)
        return await open_direct_in(s, owner=owner, words=words,
                                    classification=classification, config=complaint_config)


def clean_direct_text(text: str) -> str:
    """Return an owner's complaint text stripped, or raise when empty or too long."""
    return clean_free_text(text, max_chars=DIRECT_TEXT_MAX_CHARS,
                           empty=ErrorCode.COMPLAINT_EMPTY, too_long=ErrorCode.COMPLAINT_TOO_LONG,
                           what="the complaint text")


async def lock_owner(s: AsyncSession, telegram_user_id: int) -> Owner:
    """Return the owner of this Telegram user, write-locked for the transaction.

    Of an account's several homes, the one whose order closed last (`_home_to_complain_about`).

    The lock makes an owner's texts sent at once wait for each other: copies of the same
    words, a double tap on a confirmation, a flood against the daily limit.
    """
    owner, _order = await _home_to_complain_about(s, telegram_user_id)
    if owner is None or owner.id is None:
        raise NotBound("not bound to an owner")
    await s.exec(update(Owner).where(col(Owner.id) == owner.id)
                 .values(language=col(Owner.language)))
    return owner


async def direct_target(s: AsyncSession, owner: Owner, *, before: datetime | None = None
                        ) -> tuple[WorkOrder | None, int | None]:
    """Return the work order and agent a direct complaint of this owner would be about.

    `before`: as it was then, the orders closed since not counted.
    """
    assert owner.id is not None
    order = await _latest_order(s, owner.id, before)
    agent_id = await _credited_agent_id(s, order) if order is not None else None
    if agent_id is None:
        community = await s.get(Community, owner.community_id)
        agent_id = community.duty_agent_id if community is not None else None
    return order, agent_id


async def open_direct_in(s: AsyncSession, *, owner: Owner, words: str,
                         classification: dict[str, Any], config: ComplaintConfig) -> Complaint:
    """Open a direct complaint inside the caller's transaction (owner locked by the caller)."""
    assert owner.id is not None
    repeated = await _same_words_in_hand(s, owner.id, words)
    if repeated is not None:
        return repeated
    order, agent_id = await direct_target(s, owner)
    urgent = order is not None and order.urgency == Urgency.URGENT
    now = clock.now()
    complaint = Complaint(
        source=ComplaintSource.DIRECT,
        work_order_id=order.id if order is not None else None,
        owner_id=owner.id,
        telegram_user_id=owner.telegram_user_id,  # the writer (surveys.complaints.reach)
        agent_id=agent_id,
        text=words,
        tags=negative_aspects(classification),
        evidence={
            "words": evidence_words(classification),
            "polarity": classification.get("polarity"),
            "by_aspect": aspect_words(classification),
        },
        urgent=urgent,
        opened_at=now,
        ack_deadline=now + _deadline(config, urgent=urgent),
        resolve_deadline=resolve_deadline(config, urgent=urgent, start=now),
    )
    s.add(complaint)
    await s.flush()
    ctx = await load_context(s, complaint)
    await announce_opened(s, ctx, ratings={})
    await alert_risk_words(
        s, text=words, words=config.risk_words,
        exceptions=config.risk_word_exceptions, source="complaint",
        source_key=f"complaint:{complaint.id}", owner=owner, agent=ctx.agent,
        work_order=order, complaint_id=complaint.id)
    return complaint


IN_HAND = (ComplaintStatus.OPEN, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.ESCALATED)


async def _same_words_in_hand(s: AsyncSession, owner_id: int, words: str) -> Complaint | None:
    """Return the owner's direct complaint with these words still being handled, if any.

    The same words sent again (an impatient owner, a client resending on a bad connection)
    are the same complaint: one card to the agent, counted once. The caller holds the owner
    row's write lock (`lock_owner`), so copies sent at once wait for each other.
    """
    return (await s.exec(
        select(Complaint).where(
            col(Complaint.owner_id) == owner_id,
            col(Complaint.source) == ComplaintSource.DIRECT,
            col(Complaint.text) == words,
            col(Complaint.status).in_(IN_HAND),
        ).order_by(col(Complaint.id).desc())
    )).first()
