"""Appeals as the chat shows them: one appeal with its agent, and the list a person may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import and_, col, or_, select

from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden
from surveys.models import Agent, Appeal, Complaint, Manager, Owner, Response, Survey


@dataclass(frozen=True)
class AppealView:
    """An appeal as the chat shows it."""

    id: int
    agent_id: int
    agent_name: str
    complaint_id: int | None
    response_id: int | None
    reason: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    decided_by_manager_id: int | None
    decision_reason: str | None


def appeal_view(appeal: Appeal, agent: Agent) -> AppealView:
    """Return what the chat shows of an appeal, with its agent's name."""
    return AppealView(
        id=appeal.id or 0, agent_id=appeal.agent_id, agent_name=agent.name,
        complaint_id=appeal.complaint_id, response_id=appeal.response_id, reason=appeal.reason,
        status=appeal.status, created_at=appeal.created_at, decided_at=appeal.decided_at,
        decided_by_manager_id=appeal.decided_by_manager_id,
        decision_reason=appeal.decision_reason,
    )


def _of_community(community_id: int) -> ColumnElement[bool]:
    """Select the appeals a community's manager sees (company-wide agents' through the owner)."""
    owners = select(Owner.id).where(Owner.community_id == community_id)
    complaints = select(Complaint.id).where(col(Complaint.owner_id).in_(owners))
    responses = (
        select(Response.id)
        .join(Survey, col(Survey.id) == col(Response.survey_id))
        .where(col(Survey.owner_id).in_(owners))
    )
    return or_(
        Agent.community_id == community_id,
        and_(
            col(Agent.community_id).is_(None),
            or_(
                col(Appeal.complaint_id).in_(complaints),
                col(Appeal.response_id).in_(responses),
            ),
        ),
    )


async def list_appeals(
    *,
    db: SessionFactory,
    viewer_telegram_user_id: int,
    status: str | Sequence[str] | None = None,
    limit: int = 50,
) -> list[AppealView]:
    """List appeals newest first: an agent sees their own, a manager their communities'."""
    statuses = [status] if isinstance(status, str) else list(status or [])
    async with db() as s:
        stmt = select(Appeal, Agent).join(Agent, col(Agent.id) == col(Appeal.agent_id))
        manager = (
            await s.exec(select(Manager).where(Manager.telegram_user_id == viewer_telegram_user_id))
        ).first()
        if manager is not None and manager.active:
            if manager.community_id is not None:
                stmt = stmt.where(_of_community(manager.community_id))
        else:
            agent = (
                await s.exec(select(Agent).where(Agent.telegram_user_id == viewer_telegram_user_id))
            ).first()
            if agent is None:
                raise Forbidden("only agents and managers see appeals", code=ErrorCode.NOT_STAFF)
            stmt = stmt.where(Appeal.agent_id == agent.id)
        if statuses:
            stmt = stmt.where(col(Appeal.status).in_(statuses))
        stmt = stmt.order_by(col(Appeal.created_at).desc(), col(Appeal.id).desc()).limit(limit)
        rows = (await s.exec(stmt)).all()
        return [appeal_view(appeal, agent_row) for appeal, agent_row in rows]
