"""Close many work orders in one transaction, with `close_work_order`'s rules for each.

A batch reads what it needs in a few queries (communities, work orders already closed,
agents, owners by phone), decides each order in memory in file order, and inserts the new
rows a table at a time (multi-row INSERT ... RETURNING). Each order gets the result
`close_work_order` would give it: created, already closed (idempotent), or refused (unknown
community or agent, external id reused for another owner). If another writer wins a race on
one of its rows (the same order or owner created through the API meanwhile), the batch is
rolled back and its orders are closed again one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.categories import CategoryConfig
from surveys.core import clock
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory, insert_rows
from surveys.intake.categories import DEFAULT_CATEGORIES, resolve_category
from surveys.intake.close import CloseResult, close_work_order, existing_result
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.refusals import ConflictingOrder, IntakeRefused, UnknownCommunity
from surveys.intake.repeats import alert_rows, load_earlier, repeat_of, unit_key
from surveys.intake.rows import agent_values, survey_values, work_order_values
from surveys.intake.survey_message import enqueue_survey, payload_of
from surveys.models import Agent, Community, OutboxMessage, Owner, Survey, SurveyStatus, WorkOrder
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.store import outbox_row

log = logging.getLogger(__name__)

Outcome = CloseResult | IntakeRefused


@dataclass
class _New:
    """A row the batch inserts; `id` is known once it is."""

    values: dict[str, Any]
    id: int | None = None
    opted_out: bool = False  # a new owner: not bound, not opted out
    chat_id: int | None = None
    telegram_user_id: int | None = None
    language: str | None = None


@dataclass
class _Known:
    """What the database (and the batch so far) holds for the batch's keys."""

    communities: dict[str, Community]
    closed: dict[str, tuple[WorkOrder, Owner, Survey]]
    agents: dict[str, Agent | _New]
    owners: dict[tuple[int, str], Owner | _New]
    new: dict[int, tuple[WorkOrderIn, Community, Owner | _New, Agent | _New, str]] = field(
        default_factory=dict)
    new_ids: dict[str, int] = field(default_factory=dict)  # external id -> index in `new`


async def close_work_orders(
    *, db: SessionFactory, orders: Sequence[WorkOrderIn], survey_config: SurveyConfig,
    categories: CategoryConfig = DEFAULT_CATEGORIES,
    courtesy: CourtesyConfig | None = None,
) -> list[Outcome]:
    """Close the orders in one transaction; return each one's result or refusal, in order."""
    try:
        async with db() as s, s.begin():
            return await _close_all(s, orders, survey_config, categories, courtesy)
    except IntegrityError:
        log.info("batch of %s orders met a concurrent writer: closing them one by one",
                 len(orders))
    return [await _close_one(db, order, survey_config, categories, courtesy)
            for order in orders]


async def _close_one(db: SessionFactory, order: WorkOrderIn, survey_config: SurveyConfig,
                     categories: CategoryConfig, courtesy: CourtesyConfig | None) -> Outcome:
    try:
        return await close_work_order(db=db, order=order, survey_config=survey_config,
                                      categories=categories, courtesy=courtesy)
    except IntakeRefused as exc:
        return exc


async def _close_all(s: AsyncSession, orders: Sequence[WorkOrderIn],
                     survey_config: SurveyConfig, categories: CategoryConfig,
                     courtesy: CourtesyConfig | None) -> list[Outcome]:
    known = await _load(s, orders)
    decided: list[Outcome | int] = []
    for index, order in enumerate(orders):
        try:
            decided.append(_decide(known, index, order, categories))
        except IntakeRefused as exc:
            decided.append(exc)
    await s.flush()  # existing owners whose building or room was filled in
    await _insert(s, Agent, [a for a in known.agents.values() if isinstance(a, _New)])
    await _insert(s, Owner, [o for o in known.owners.values() if isinstance(o, _New)])
    new = list(known.new.items())
    orders_made = [_New(work_order_values(order, community_id=community.id or 0,
                                          owner_id=owner.id or 0, agent_id=agent.id or 0,
                                          category=category, owner=_unit(owner)))
                   for _, (order, community, owner, agent, category) in new]
    await _insert(s, WorkOrder, orders_made)
    queued = await _repeats(s, orders_made, categories,
                            {c.id or 0: c.name for c in known.communities.values()})
    surveys = [_New(survey_values(work_order_id=made.id or 0, owner=owner, agent_id=agent.id or 0))
               for made, (_, (_o, _c, owner, agent, _k)) in zip(orders_made, new, strict=True)]
    await _insert(s, Survey, surveys)
    created: dict[int, CloseResult] = {}
    for (index, (_o, community, owner, agent, _k)), made, survey in zip(
            new, orders_made, surveys, strict=True):
        status = survey.values["status"]
        if courtesy is not None and status == SurveyStatus.PENDING and survey.id:
            # One at a time: a later order of the batch may fold into an earlier one's survey.
            status = await _courteous(s, survey.id, made.id or 0, community, agent,
                                      survey_config, courtesy)
        elif status == SurveyStatus.PENDING and owner.chat_id is not None and survey.id:
            # A survey id is new: its dedupe key cannot be in the outbox yet.
            queued.append(outbox_row(
                kind=OutboxKind.SURVEY, dedupe_key=f"survey:{survey.id}", chat_id=owner.chat_id,
                survey_id=survey.id, payload=payload_of(
                    survey_id=survey.id, language=survey.values["language"], order=made.values,
                    agent_name=_name(agent), community_name=community.name,
                    survey_config=survey_config).to_json()))
        created[index] = CloseResult(made.id or 0, survey.id or 0, status, True)
    await insert_rows(s, OutboxMessage, queued)
    return [_outcome(d, i, created) for i, d in enumerate(decided)]


async def _courteous(s: AsyncSession, survey_id: int, order_id: int, community: Community,
                     agent: Agent | _New, survey_config: SurveyConfig,
                     courtesy: CourtesyConfig) -> str:
    """Queue one new survey under the courtesy rules; return its status."""
    survey = await s.get(Survey, survey_id)
    order = await s.get(WorkOrder, order_id)
    owner = await s.get(Owner, survey.owner_id) if survey else None
    agent_row = await s.get(Agent, agent.id) if agent.id else None
    if survey is None or order is None or owner is None or agent_row is None:
        raise AssertionError("rows inserted by this batch are gone")
    await enqueue_survey(s, survey=survey, order=order, owner=owner, agent=agent_row,
                         community=community, survey_config=survey_config, courtesy=courtesy)
    await s.flush()
    return survey.status


def _name(agent: Agent | _New) -> str | None:
    return agent.name if isinstance(agent, Agent) else agent.values["name"]


async def _insert(s: AsyncSession, table: Any, rows: list[_New]) -> None:
    """Insert rows with multi-row statements and give each its new id."""
    ids = await insert_rows(s, table, [row.values for row in rows])
    for row, new_id in zip(rows, ids, strict=True):
        row.id = new_id


def _outcome(decided: Outcome | int, index: int, created: dict[int, CloseResult]) -> Outcome:
    if not isinstance(decided, int):
        return decided
    if decided == index:
        return created[index]
    return replace(created[decided], created=False)  # the same order twice in one file


def _decide(known: _Known, index: int, order: WorkOrderIn,
            categories: CategoryConfig) -> Outcome | int:
    """Return an order's outcome, or the index of the new row it is (itself or an earlier)."""
    community = known.communities.get(order.community_code)
    if community is None:
        raise UnknownCommunity(order.community_code)
    closed = known.closed.get(order.external_id)
    if closed is not None:
        return existing_result(closed[0], closed[1], closed[2], community, order)
    earlier = known.new_ids.get(order.external_id)
    if earlier is not None:
        first = known.new[earlier][0]
        if first.community_code != order.community_code or first.owner.phone != order.owner.phone:
            raise ConflictingOrder(order.external_id)
        return earlier
    category = resolve_category(order, categories)  # an unknown one refuses the row alone
    agent = known.agents.get(order.agent_external_id)
    if agent is None:
        agent = known.agents[order.agent_external_id] = _New(agent_values(order, community))
    known.new[index] = (order, community, _owner(known, community, order), agent, category)
    known.new_ids[order.external_id] = index
    return index


@dataclass(frozen=True)
class _Unit:
    building: str | None
    room: str | None


def _unit(owner: Owner | _New) -> _Unit:
    if isinstance(owner, Owner):
        return _Unit(owner.building, owner.room)
    return _Unit(owner.values["building"], owner.values["room"])


async def _repeats(s: AsyncSession, made: list[_New], config: CategoryConfig,
                   community_names: dict[int, str]) -> list[dict[str, Any]]:
    """Flag the batch's repeat problems and return the alerts they call for.

    Called once the batch's orders are inserted, so the orders read back include the batch's
    own (an order repeats the ones closed before it, in the file or not); repeats are rare,
    so each is one UPDATE.
    """
    keyed = [(key, row) for row in made if (key := unit_key(row.values, config)) is not None]
    if not keyed:
        return []
    closed = [row.values["closed_at"] for _, row in keyed]
    window = timedelta(days=config.repeat_days)
    earlier = await load_earlier(s, {k for k, _ in keyed}, since=min(closed) - window,
                                 until=max(closed))
    alerts: list[dict[str, Any]] = []
    for key, row in sorted(keyed, key=lambda kr: (kr[1].values["closed_at"], kr[1].id or 0)):
        mine = row.values["closed_at"]
        before = [e for e in earlier.get(key, []) if (e.closed_at, e.id) < (mine, row.id or 0)]
        occurrence, repeat_id = repeat_of(mine, before, config.repeat_days)
        if occurrence == 1:
            continue
        order = await s.get(WorkOrder, row.id)
        assert order is not None  # inserted just now
        order.occurrence, order.repeat_of_id = occurrence, repeat_id
        s.add(order)
        await s.flush()
        alerts += await alert_rows(s, order, config=config,
                                   community_name=community_names.get(order.community_id, ""))
    return alerts


def _owner(known: _Known, community: Community, order: WorkOrderIn) -> Owner | _New:
    data = order.owner
    key = (community.id or 0, data.phone)
    owner = known.owners.get(key)
    if owner is None:
        owner = known.owners[key] = _New({
            "community_id": community.id, "name": data.name, "phone": data.phone,
            "building": data.building, "room": data.room, "opted_out": False,
            "created_at": clock.now()})
    elif isinstance(owner, Owner):
        # Fill what the owner row lacks; never overwrite what an admin entered.
        owner.building = owner.building or data.building
        owner.room = owner.room or data.room
    return owner


async def _load(s: AsyncSession, orders: Sequence[WorkOrderIn]) -> _Known:
    codes = {o.community_code for o in orders}
    communities = {c.code: c for c in (await s.exec(
        select(Community).where(col(Community.code).in_(codes)))).all()}
    ids = {o.external_id for o in orders}
    closed = {w.external_id: (w, owner, survey) for w, owner, survey in (await s.exec(
        select(WorkOrder, Owner, Survey)
        .join(Owner, col(Owner.id) == col(WorkOrder.owner_id))
        .join(Survey, col(Survey.work_order_id) == col(WorkOrder.id))
        .where(col(WorkOrder.external_id).in_(ids)))).all()}
    agent_ids = {o.agent_external_id for o in orders}
    agents: dict[str, Agent | _New] = {a.external_id: a for a in (await s.exec(
        select(Agent).where(col(Agent.external_id).in_(agent_ids)))).all()}
    phones = {o.owner.phone for o in orders}
    owners: dict[tuple[int, str], Owner | _New] = {}
    for owner in (await s.exec(select(Owner).where(col(Owner.phone).in_(phones))
                               .order_by(col(Owner.id)))).all():
        owners.setdefault((owner.community_id, owner.phone or ""), owner)  # the lowest id
    return _Known(communities, closed, agents, owners)
