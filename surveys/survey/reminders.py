"""Periodic survey jobs: one reminder after `reminder_after_hours`, expiry at `expires_at`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.core import clock
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.core.ids import require_id
from surveys.models import Agent, Community, Owner, Response, Survey, SurveyStatus, WorkOrder
from surveys.outbox.kinds import OutboxKind, SurveyPayload
from surveys.outbox.store import enqueue
from surveys.people.courtesy import community_quiet_hours
from surveys.survey.folded import folded_orders

log = logging.getLogger(__name__)

BATCH = 500  # rows per transaction, so the bot's writes are never held up for long


async def _payload(s: AsyncSession, survey: Survey) -> SurveyPayload:
    order = await s.get(WorkOrder, survey.work_order_id)
    agent = await s.get(Agent, survey.agent_id) if survey.agent_id else None
    response = (await s.exec(select(Response).where(Response.survey_id == survey.id))).first()
    return SurveyPayload(
        survey_id=require_id(survey),
        message_id=survey.message_id,
        work_order_external_id=order.external_id if order else "",
        work_order_title=order.title if order else "",
        work_order_kind=order.kind if order else "repair",
        agent_name=agent.name if agent else None,
        locale=survey.language,
        ratings={q: getattr(response, q) if response else None for q in QUESTIONS},
        comment=response.comment if response else None,
        folded=list(await folded_orders(s, require_id(survey))),
    )


async def _reminder(s: AsyncSession, survey: Survey, owner: Owner,
                    courtesy: CourtesyConfig | None) -> tuple[SurveyPayload, datetime | None]:
    """Return a reminder's payload and when it may go (after the quiet hours, if any)."""
    payload = await _payload(s, survey)
    community = await s.get(Community, owner.community_id)
    quiet = community_quiet_hours(community, courtesy) if community else None
    if quiet is None:
        return payload, None
    due = quiet.release(clock.now())
    payload = SurveyPayload(**payload.model_dump(exclude_unset=True),
                            quiet_hours=quiet.text, timezone=quiet.timezone)
    return payload, due


async def send_reminders(*, db: SessionFactory, survey_config: SurveyConfig,
                         courtesy: CourtesyConfig | None = None) -> int:
    """Queue one reminder for each sent survey unanswered after the configured delay.

    Under `courtesy` a reminder due in the community's quiet hours waits for their end.
    """
    cutoff = clock.now() - timedelta(hours=survey_config.reminder_after_hours)
    total = 0
    while True:
        async with db() as s, s.begin():
            surveys = (
                await s.exec(
                    select(Survey)
                    .where(
                        Survey.status == SurveyStatus.SENT,
                        col(Survey.reminded_at).is_(None),
                        col(Survey.sent_at) <= cutoff,
                        col(Survey.expires_at).is_(None) | (col(Survey.expires_at) > clock.now()),
                    )
                    .order_by(col(Survey.id))
                    .limit(BATCH)
                )
            ).all()
            for survey in surveys:
                owner = await s.get(Owner, survey.owner_id)
                survey.reminded_at = clock.now()  # also when skipped: one reminder at most
                s.add(survey)
                if owner is None or owner.opted_out or survey.chat_id is None:
                    continue
                payload, due = await _reminder(s, survey, owner, courtesy)
                await enqueue(
                    s, kind=OutboxKind.REMINDER, dedupe_key=f"reminder:{survey.id}",
                    chat_id=survey.chat_id, survey_id=survey.id, payload=payload,
                    not_before=due,
                )
                total += 1
        if len(surveys) < BATCH:
            break
    if total:
        log.info("queued %s survey reminders", total)
    return total


async def expire_surveys(*, db: SessionFactory) -> int:
    """Close surveys past their expiry and queue the edit that removes their buttons."""
    total = 0
    while True:
        now = clock.now()
        async with db() as s, s.begin():
            surveys = (
                await s.exec(
                    select(Survey)
                    .where(Survey.status == SurveyStatus.SENT, col(Survey.expires_at) <= now)
                    .order_by(col(Survey.id))
                    .limit(BATCH)
                )
            ).all()
            for survey in surveys:
                # Compare-and-set: an answer submitted since the read above stands.
                expired = await s.exec(
                    update(Survey)
                    .where(col(Survey.id) == survey.id, col(Survey.status) == SurveyStatus.SENT)
                    .values(status=SurveyStatus.EXPIRED.value))
                if not expired.rowcount:
                    continue
                total += 1
                if survey.chat_id is None or survey.message_id is None:
                    continue
                base = await _payload(s, survey)
                payload = SurveyPayload(**base.model_dump(exclude_unset=True),
                                        status=SurveyStatus.EXPIRED,
                                        edit_message_id=survey.message_id)
                await enqueue(
                    s, kind=OutboxKind.SURVEY_EXPIRED, dedupe_key=f"survey_expired:{survey.id}",
                    chat_id=survey.chat_id, survey_id=survey.id, payload=payload,
                )
        if len(surveys) < BATCH:
            break
    if total:
        log.info("expired %s surveys", total)
    return total
