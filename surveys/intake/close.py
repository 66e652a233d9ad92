"""Intake: a closed work order becomes one survey (and an outbox row when it can be sent).

Closing is idempotent on the work order's external id. Re-closing with the same external id
returns the first result (`created=False`); re-closing it for a *different* community or owner
phone raises `ConflictingOrder`, an `InvalidInput` (the property system reused an id: a bug
to surface, not to hide).
Other changed fields (title, agent, times) are ignored on a re-close: use
`reassign_work_order` to move the work order, which never moves the survey's credit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.categories import CategoryConfig
from surveys.core import clock
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig, QuietHours
from surveys.core.db import SessionFactory, insert_rows
from surveys.core.errors import ErrorCode, InvalidInput, NotFound
from surveys.core.expiry import expire_after_seconds
from surveys.core.ids import require_id
from surveys.core.pii import mask_phone
from surveys.core.text import Name, Title
from surveys.intake.fatigue import plan_survey
from surveys.intake.repeats import alert_rows, category_of, load_earlier, repeat_of, unit_key
from surveys.models import (
    Agent,
    Community,
    OutboxMessage,
    Owner,
    Survey,
    SurveyStatus,
    WorkOrder,
)
from surveys.outbox.kinds import OutboxKind, SurveyPayload
from surveys.outbox.store import enqueue
from surveys.people.directory import (
    OwnerIn,
    find_or_create_owner,
)

log = logging.getLogger(__name__)


class IntakeRefused(InvalidInput):
    """An order the intake cannot take; `code` and `values` say why (the CLI words them)."""

    code = ErrorCode.INVALID_INPUT

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message)
        self.fields.update(values)
        self.values = values


class ConflictingOrder(IntakeRefused):
    """The external id was already closed for another community or owner."""

    code = ErrorCode.CONFLICTING_ORDER

    def __init__(self, external_id: str) -> None:
        super().__init__(f"work order {external_id!r} was already closed for another "
                         "community or owner", external_id=external_id)


class UnknownCommunity(IntakeRefused):
    """No community has this code."""

    code = ErrorCode.UNKNOWN_COMMUNITY

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown community {code!r}", community=code)


class UnknownAgent(IntakeRefused):
    """No agent has this staff id, and the order gives no name to create one."""

    code = ErrorCode.UNKNOWN_AGENT

    def __init__(self, external_id: str) -> None:
        super().__init__(f"unknown agent {external_id!r} (give agent_name)", agent=external_id)


class UnknownCategory(IntakeRefused):
    """The order names a category the company's list does not have."""

    code = ErrorCode.UNKNOWN_CATEGORY

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown category {name!r} (known: {', '.join(known)})",
                         category=name, known=", ".join(known))


DEFAULT_CATEGORIES = CategoryConfig()


def resolve_category(order: WorkOrderIn, config: CategoryConfig) -> str:
    """Return the order's category code: the one it names, else inferred from its title."""
    code = category_of(order.category, order.title, config)
    if code is None:
        raise UnknownCategory(order.category or "", config.codes())
    return code


_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]*$"


# No work order was opened or closed outside these years; the bounds also keep every later
# date computation (time zones, deadlines, periods) clear of datetime's year 1 and 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return value
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("year_out_of_range",
                                  "must be between the years {first} and {last}",
                                  {"first": FIRST_YEAR, "last": LAST_YEAR})
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


# An order without closed_at closes now; the sender's clock may run this much ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _closing(closed_at: datetime | None) -> datetime:
    return closed_at if closed_at is not None else clock.now() + CLOCK_SKEW


class WorkOrderIn(BaseModel):
    """A closed work order as the property system reports it (API, CSV or CLI)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    external_id: str = Field(min_length=1, max_length=128, pattern=_ID_PATTERN)
    community_code: Name = Field(min_length=1, max_length=64)
    owner: OwnerIn
    agent_external_id: Name = Field(min_length=1, max_length=64)
    agent_name: Name | None = Field(None, min_length=1, max_length=200)
    kind: Literal["repair", "complaint", "enquiry"] = "repair"
    urgency: Literal["normal", "urgent"] = "normal"
    title: Title = Field("", max_length=500)
    # A category's code or name (水电, elevator, ...); none: inferred from the title.
    category: Name | None = Field(None, max_length=64)
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    # The first action on the order (response time); checked against the two times above,
    # so it is declared after them.
    first_action_at: datetime | None = None

    @field_validator("opened_at", "closed_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return _naive_utc(value)

    @field_validator("first_action_at")
    @classmethod
    def _first_action(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        value = _naive_utc(value)
        opened, closed = info.data.get("opened_at"), _closing(info.data.get("closed_at"))
        if value is not None and opened is not None and value < opened:
            raise PydanticCustomError("first_action_before_opened",
                                      "first_action_at is before opened_at")
        if value is not None and closed is not None and value > closed:
            raise PydanticCustomError("first_action_after_closed",
                                      "first_action_at is after closed_at")
        return value

    @model_validator(mode="after")
    def _times(self) -> WorkOrderIn:
        if self.opened_at and _closing(self.closed_at) < self.opened_at:
            raise PydanticCustomError("closed_before_opened", "closed_at is before opened_at")
        return self


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


def survey_payload(
    *, survey: Survey, order: WorkOrder, agent: Agent | None, community: Community | None,
    survey_config: SurveyConfig, quiet: QuietHours | None = None,
) -> SurveyPayload:
    """Build the outbox payload the chat side renders a survey message from."""
    assert survey.id is not None
    return payload_of(survey_id=survey.id, language=survey.language,
                      order=order.model_dump(include={"external_id", "title", "kind", "urgency"}),
                      agent_name=agent.name if agent else None,
                      community_name=community.name if community else None,
                      survey_config=survey_config, quiet=quiet)


def payload_of(*, survey_id: int, language: str | None, order: dict[str, Any],
               agent_name: str | None, community_name: str | None,
               survey_config: SurveyConfig, quiet: QuietHours | None = None
               ) -> SurveyPayload:
    """Build a survey's outbox payload from plain values (`order`: a work order's row)."""
    courtesy: dict[str, Any] = {"quiet_hours": quiet.text, "timezone": quiet.timezone} if (
        quiet) else {}
    return SurveyPayload(
        survey_id=survey_id,
        work_order_external_id=order["external_id"],
        work_order_title=order["title"],
        work_order_kind=order["kind"],
        urgency=order["urgency"],
        agent_name=agent_name,
        community_name=community_name,
        locale=language,
        expire_after_seconds=expire_after_seconds(survey_config),
        **courtesy,
    )


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
    await _mark_repeat(s, values, categories)
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


def agent_values(order: WorkOrderIn, community: Community) -> dict[str, Any]:
    """Return the row of an agent the order names but the database lacks, or raise."""
    if not order.agent_name:
        raise UnknownAgent(order.agent_external_id)
    return {"external_id": order.agent_external_id, "name": order.agent_name,
            "community_id": community.id, "created_at": clock.now()}


class OwnerUnit(Protocol):
    """Where the owner lives: the unit a work order is about."""

    @property
    def building(self) -> str | None: ...

    @property
    def room(self) -> str | None: ...


def work_order_values(order: WorkOrderIn, *, community_id: int, owner_id: int,
                      agent_id: int, category: str, owner: OwnerUnit) -> dict[str, Any]:
    """Return the work order row of a closed order."""
    now = clock.now()
    return {"external_id": order.external_id, "community_id": community_id,
            "owner_id": owner_id, "agent_id": agent_id, "kind": order.kind,
            "urgency": order.urgency, "title": order.title, "opened_at": order.opened_at,
            "first_action_at": order.first_action_at,
            "closed_at": order.closed_at or now, "created_at": now, "category": category,
            "building": owner.building or order.owner.building,
            "room": owner.room or order.owner.room, "occurrence": 1, "repeat_of_id": None}


async def _mark_repeat(s: AsyncSession, values: dict[str, Any], config: CategoryConfig) -> None:
    key = unit_key(values, config)
    if key is None:
        return
    closed = values["closed_at"]
    earlier = await load_earlier(s, {key}, since=closed - timedelta(days=config.repeat_days),
                                 until=closed)
    values["occurrence"], values["repeat_of_id"] = repeat_of(
        closed, earlier.get(key, []), config.repeat_days)


class OwnerState(Protocol):
    """What the survey of a new work order depends on: an owner's binding and choice."""

    id: int | None
    opted_out: bool
    chat_id: int | None
    telegram_user_id: int | None
    language: str | None


def survey_values(*, work_order_id: int, owner: OwnerState, agent_id: int) -> dict[str, Any]:
    """Return the survey row of a new work order: pending, or skipped when it cannot be sent."""
    if owner.opted_out:
        status = SurveyStatus.SKIPPED_OPTED_OUT
    elif owner.chat_id is None or owner.telegram_user_id is None:
        status = SurveyStatus.SKIPPED_UNBOUND
    else:
        status = SurveyStatus.PENDING
    return {"work_order_id": work_order_id, "owner_id": owner.id, "agent_id": agent_id,
            "status": str(status), "language": owner.language, "created_at": clock.now()}


async def enqueue_survey(
    s: AsyncSession, *, survey: Survey, order: WorkOrder, owner: Owner, agent: Agent,
    community: Community, survey_config: SurveyConfig, courtesy: CourtesyConfig | None = None,
) -> None:
    """Queue a pending survey's message in the outbox (skipped or folded ones are not sent)."""
    plan = await plan_survey(s, survey=survey, owner=owner, community=community, order=order,
                             agent_name=agent.name, courtesy=courtesy)
    if survey.status != SurveyStatus.PENDING:
        return
    await enqueue(
        s, kind=OutboxKind.SURVEY, dedupe_key=f"survey:{survey.id}",
        chat_id=owner.chat_id,  # type: ignore[arg-type]
        survey_id=survey.id, not_before=plan.not_before,
        payload=survey_payload(survey=survey, order=order, agent=agent, community=community,
                               survey_config=survey_config, quiet=plan.quiet),
    )


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
