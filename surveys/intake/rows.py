"""The rows a closed order adds: its agent when new, the work order, its survey."""

from __future__ import annotations

from typing import Any, Protocol

from surveys.core import clock
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.refusals import UnknownAgent
from surveys.models import Community, SurveyStatus


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
