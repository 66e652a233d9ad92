"""Courtesy at intake: the fatigue cap (one survey per owner per N days) and quiet hours.

A new pending survey is decided in the closing transaction, after the owner's row is locked
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite already holds its one write lock), so parallel
closes for one owner are decided one after the other:

- the owner has no survey in the window: it is queued, deferred past the quiet hours;
- cap "fold" and a survey of the owner is still queued: the order is folded into it (its
  message names every folded order; status `folded`, `folded_into_id` the host);
- cap "fold" and a survey was sent within the window: it is queued for the window's end
  (then past the quiet hours), where later orders fold into it;
- cap "skip": status `skipped_fatigue`, never sent, counted (`skipped_for_fatigue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.courtesy import CourtesyConfig, QuietHours
from surveys.core.db import SessionFactory
from surveys.models import (
    Community,
    OutboxMessage,
    OutboxStatus,
    Owner,
    Survey,
    SurveyStatus,
    WorkOrder,
)
from surveys.outbox.kinds import FoldedOrder, OutboxKind, SurveyPayload
from surveys.people.courtesy import community_quiet_hours

# Surveys that reached, or will reach, the owner: they use up the owner's one survey.
COUNTED = (SurveyStatus.PENDING, SurveyStatus.SENT, SurveyStatus.SUBMITTED, SurveyStatus.EXPIRED)


@dataclass(frozen=True)
class Plan:
    """How a new survey is queued: not before `not_before`, within `quiet` (None: any time)."""

    not_before: datetime | None = None
    quiet: QuietHours | None = None


async def plan_survey(
    s: AsyncSession, *, survey: Survey, owner: Owner, community: Community,
    order: WorkOrder, agent_name: str | None, courtesy: CourtesyConfig | None,
) -> Plan:
    """Fold, skip or defer a new pending survey; set its status when it will not be queued."""
    if courtesy is None or survey.status != SurveyStatus.PENDING:
        return Plan()
    quiet = community_quiet_hours(community, courtesy)
    now = clock.now()
    due = now
    if courtesy.fatigue_days > 0:
        window = timedelta(days=courtesy.fatigue_days)
        await s.exec(select(Owner.id).where(col(Owner.id) == owner.id).with_for_update())
        if courtesy.fatigue == "fold" and await _fold(s, survey, order, agent_name):
            return Plan()
        last_sent = await _last_sent(s, survey, since=now - window)
        if last_sent is not None or await _queued(s, survey):
            if courtesy.fatigue == "skip":
                survey.status = SurveyStatus.SKIPPED_FATIGUE
                s.add(survey)
                return Plan()
            due = max(now, (last_sent or now) + window)
    not_before = quiet.release(due) if quiet else due
    return Plan(not_before if not_before > now else None, quiet)


async def _queued(s: AsyncSession, survey: Survey) -> bool:
    """Tell whether another survey of the owner is still queued (a host being sent now)."""
    found = await s.exec(select(Survey.id).where(
        col(Survey.owner_id) == survey.owner_id, col(Survey.id) != survey.id,
        col(Survey.status) == SurveyStatus.PENDING).limit(1))
    return found.first() is not None


async def _last_sent(s: AsyncSession, survey: Survey, *, since: datetime) -> datetime | None:
    """Return when the owner was last sent a survey within the window, or None."""
    found = await s.exec(select(func.max(Survey.sent_at)).where(
        col(Survey.owner_id) == survey.owner_id, col(Survey.id) != survey.id,
        col(Survey.status).in_(COUNTED), col(Survey.sent_at) >= since))
    return found.one()


async def _fold(s: AsyncSession, survey: Survey, order: WorkOrder, agent_name: str | None
                ) -> bool:
    """Fold the survey into the owner's queued survey, if one is still unclaimed."""
    host = (await s.exec(
        select(OutboxMessage).join(Survey, col(Survey.id) == col(OutboxMessage.survey_id))
        .where(col(Survey.owner_id) == survey.owner_id, col(Survey.id) != survey.id,
               col(Survey.status) == SurveyStatus.PENDING,
               col(OutboxMessage.kind) == OutboxKind.SURVEY,
               col(OutboxMessage.status) == OutboxStatus.PENDING)
        .order_by(col(OutboxMessage.id)).limit(1))).first()
    if host is None:
        return False
    payload = SurveyPayload.of(host.payload)
    folded = FoldedOrder(external_id=order.external_id, title=order.title, agent_name=agent_name)
    changed = SurveyPayload(**payload.model_dump(exclude_unset=True, exclude={"folded"}),
                            folded=[*payload.folded, folded]).to_json()
    # Only while no dispatcher has claimed it: a message on its way can name nothing more.
    moved = await s.exec(update(OutboxMessage)
                         .where(col(OutboxMessage.id) == host.id,
                                col(OutboxMessage.status) == OutboxStatus.PENDING)
                         .values(payload=changed))
    if not moved.rowcount:
        return False
    survey.status = SurveyStatus.FOLDED
    survey.folded_into_id = host.survey_id
    s.add(survey)
    return True


async def fatigue_counts(*, db: SessionFactory, since: datetime
                         ) -> dict[int, tuple[int, int]]:
    """Return per community id: surveys folded and skipped by the cap since `since`."""
    query = (select(WorkOrder.community_id, Survey.status, func.count())
             .select_from(Survey)
             .join(WorkOrder, col(WorkOrder.id) == col(Survey.work_order_id))
             .where(col(Survey.status).in_([SurveyStatus.FOLDED, SurveyStatus.SKIPPED_FATIGUE]),
                    col(Survey.created_at) >= since)
             .group_by(col(WorkOrder.community_id), col(Survey.status)))
    counts: dict[int, list[int]] = {}
    async with db() as s:
        for community_id, status, n in (await s.exec(query)).all():
            counts.setdefault(community_id, [0, 0])[status == SurveyStatus.SKIPPED_FATIGUE] = n
    return {k: (v[0], v[1]) for k, v in counts.items()}


async def skipped_for_fatigue(*, db: SessionFactory, community_id: int | None = None,
                              since: datetime | None = None) -> int:
    """Count the surveys the fatigue cap skipped (a reported figure), optionally scoped."""
    query = select(func.count()).select_from(Survey).where(
        col(Survey.status) == SurveyStatus.SKIPPED_FATIGUE)
    if community_id is not None:
        query = query.join(WorkOrder, col(WorkOrder.id) == col(Survey.work_order_id)).where(
            col(WorkOrder.community_id) == community_id)
    if since is not None:
        query = query.where(col(Survey.created_at) >= since)
    async with db() as s:
        return int((await s.exec(query)).one())
