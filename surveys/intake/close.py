"""Intake: a closed work order becomes one survey (and an outbox row when it can be sent).

Closing is idempotent on the work order's external id. Re-closing with the same external id
returns the first result (`created=False`); re-closing it for a *different* community or owner
phone raises `ConflictingOrder`, an `InvalidInput` (the property system reused an id: a bug
to surface, not to hide).
Other changed fields (title, agent, times) are ignored on a re-close: use
`reassign_work_order` to move the work order, which never moves the survey's credit.
The pieces: what is accepted (`order_in`), refusals (`refusals`), the category
(`categories`), repeats (`repeats`), the rows (`rows`), the survey's message and its timing
(`survey_message`, `fatigue`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.categories import CategoryConfig
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory, insert_rows
from surveys.core.errors import ErrorCode, InvalidInput, NotFound
from surveys.core.ids import require_id
from surveys.core.pii import mask_phone
from surveys.intake.categories import DEFAULT_CATEGORIES, resolve_category
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.refusals import ConflictingOrder, UnknownCommunity
from surveys.intake.repeats import alert_rows, mark_repeat
from surveys.intake.rows import agent_values, survey_values, work_order_values
from surveys.intake.survey_message import enqueue_survey
from surveys.models import Agent, Community, OutboxMessage, Owner, Survey, WorkOrder
from surveys.people.directory import find_or_create_owner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CloseResult:
    work_order_id: int
    survey_id: int
    survey_status: str
    created: bool

    def to_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "work_order_id": self.work_order_id,
            "survey_id": self.survey_id,
            "survey_status": self.survey_status,
            "created": self.created,
        }


async def close_work_order(
    *, db: SessionFactory, order: WorkOrderIn, survey_config: SurveyConfig,
    categories: CategoryConfig = DEFAULT_CATEGORIES,
    courtesy: CourtesyConfig | None = None,
) -> CloseResult:
    """Record a closed work order and create its survey exactly once.

    `courtesy` applies the fatigue cap and quiet hours (`surveys.intake.fatigue`); None
    queues every survey at once (tools and tests that do not ask for them).
    """
    for attempt in range(2):
        try:
            async with db() as s, s.begin():
                return await _close(s, order, survey_config, categories, courtesy)
        except IntegrityError:
            # A concurrent close of the same external id (or owner phone) won the race:
            # the second pass finds its rows and answers idempotently.
            if attempt:
                raise
    raise AssertionError("unreachable")


async def _close(s: AsyncSession, order: WorkOrderIn, survey_config: SurveyConfig,
                 categories: CategoryConfig, courtesy: CourtesyConfig | None
                 ) -> CloseResult:
    community = (
        await s.exec(select(Community).where(Community.code == order.community_code))
    ).first()
    if community is None:
        raise UnknownCommunity(order.community_code)
    existing = (
        await s.exec(select(WorkOrder).where(WorkOrder.external_id == order.external_id))
    ).first()
    if existing is not None:
        owner = await s.get(Owner, existing.owner_id)
        survey = (await s.exec(select(Survey).where(Survey.work_order_id == existing.id))).one()
        return existing_result(existing, owner, survey, community, order)
    category = resolve_category(order, categories)  # refused before anything is written
    agent = (
        await s.exec(select(Agent).where(Agent.external_id == order.agent_external_id))
    ).first()
    if agent is None:
        agent = Agent(**agent_values(order, community))
        s.add(agent)
    owner = await find_or_create_owner(s, community, order.owner)
    await s.flush()
    assert community.id and owner.id and agent.id  # flushed
    values = work_order_values(order, community_id=community.id, owner_id=owner.id,
                               agent_id=agent.id, category=category, owner=owner)
    await mark_repeat(s, values, categories)
    work_order = WorkOrder(**values)
    s.add(work_order)
    await s.flush()
    assert work_order.id
    await insert_rows(s, OutboxMessage, await alert_rows(
        s, work_order, config=categories, community_name=community.name))
    survey = Survey(**survey_values(work_order_id=work_order.id, owner=owner, agent_id=agent.id))
    s.add(survey)
    await s.flush()
    await enqueue_survey(s, survey=survey, order=work_order, owner=owner, agent=agent,
                         community=community, survey_config=survey_config, courtesy=courtesy)
    log.info(
        "closed work order %s (owner %s, agent %s): survey %s %s",
        order.external_id, mask_phone(owner.phone), agent.external_id, survey.id, survey.status,
    )
    return CloseResult(require_id(work_order), require_id(survey), survey.status, True)


def existing_result(existing: WorkOrder, owner: Owner | None, survey: Survey,
                    community: Community, order: WorkOrderIn) -> CloseResult:
    """Answer a repeated close as the first one did, or raise ConflictingOrder."""
    if existing.community_id != community.id or owner is None or owner.phone != order.owner.phone:
        raise ConflictingOrder(order.external_id)
    return CloseResult(require_id(existing), require_id(survey), survey.status, False)


async def reassign_work_order(
    *, db: SessionFactory, external_id: str, agent_external_id: str
) -> WorkOrder:
    """Move a work order to another agent; the survey keeps crediting the first one."""
    async with db() as s, s.begin():
        order = (
            await s.exec(select(WorkOrder).where(WorkOrder.external_id == external_id))
        ).first()
        if order is None:
            raise NotFound(f"work order {external_id!r}", code=ErrorCode.WORK_ORDER_NOT_FOUND,
                           id=external_id)
        agent = (await s.exec(select(Agent).where(Agent.external_id == agent_external_id))).first()
        if agent is None:
            raise InvalidInput(f"unknown agent {agent_external_id!r}",
                               code=ErrorCode.UNKNOWN_AGENT, agent=agent_external_id)
        order.agent_id = agent.id
        s.add(order)
        log.info("work order %s reassigned to agent %s", external_id, agent_external_id)
        return order
