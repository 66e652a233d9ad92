"""Appeals: an agent contests a complaint or a rating; a manager upholds or voids it.

A voided record (`Complaint.voided` / `Response.voided`) leaves every score. Every filing and
decision is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys.appeals.views import AppealView, appeal_view
from surveys.complaints.alerts import managers_for
from surveys.core import audit, clock
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    AppealAlreadyDecided,
    DuplicateAppeal,
    ErrorCode,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from surveys.core.text import clean_free_text
from surveys.models import (
    Agent,
    Appeal,
    AppealStatus,
    Complaint,
    Manager,
    Owner,
    Response,
    Role,
    Survey,
)
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import AppealPayload
from surveys.outbox.store import enqueue
from surveys.people.scope import oversight_community

REASON_MAX_CHARS = 1000
Decision = Literal["uphold", "void"]


@dataclass
class _Target:
    """The record an appeal is about, with what notifications need."""

    complaint: Complaint | None
    response: Response | None
    agent_id: int | None
    community_id: int


def _clean_reason(reason: str) -> str:
    return clean_free_text(reason, max_chars=REASON_MAX_CHARS, empty=ErrorCode.REASON_REQUIRED,
                           too_long=ErrorCode.REASON_TOO_LONG, what="the reason")


async def _target(
    session: AsyncSession, complaint_id: int | None, response_id: int | None
) -> _Target:
    if (complaint_id is None) == (response_id is None):
        raise InvalidInput("appeal exactly one complaint or one response",
                           code=ErrorCode.APPEAL_ONE_TARGET)
    if complaint_id is not None:
        complaint = await session.get(Complaint, complaint_id)
        owner = await session.get(Owner, complaint.owner_id) if complaint else None
        if complaint is None or owner is None:
            raise NotFound(f"complaint {complaint_id}", code=ErrorCode.RECORD_NOT_FOUND,
                           id=str(complaint_id))
        agent = await session.get(Agent, complaint.agent_id) if complaint.agent_id else None
        return _Target(complaint, None, complaint.agent_id, oversight_community(agent, owner))
    response = await session.get(Response, response_id)
    survey = await session.get(Survey, response.survey_id) if response else None
    owner = await session.get(Owner, survey.owner_id) if survey else None
    if response is None or survey is None or owner is None:
        raise NotFound(f"response {response_id}", code=ErrorCode.RECORD_NOT_FOUND,
                       id=f"R{response_id}")
    agent = await session.get(Agent, survey.agent_id) if survey.agent_id else None
    return _Target(None, response, survey.agent_id, oversight_community(agent, owner))


def _detail(appeal: Appeal, **more: Any) -> dict[str, Any]:
    return {"complaint_id": appeal.complaint_id, "response_id": appeal.response_id} | more


def _payload(appeal: Appeal, agent: Agent, target: _Target, locale: str | None
             ) -> AppealPayload:
    complaint, response = target.complaint, target.response
    return AppealPayload(
        appeal_id=appeal.id, status=appeal.status, reason=appeal.reason,
        decision_reason=appeal.decision_reason, agent_id=agent.id, agent_name=agent.name,
        complaint_id=appeal.complaint_id,
        complaint_text=complaint.text if complaint else None,
        complaint_tags=list(complaint.tags or []) if complaint else None,
        response_id=appeal.response_id,
        ratings={q: getattr(response, q) for q in QUESTIONS} if response else None,
        comment=response.comment if response else None,
        locale=locale or "zh_CN",
    )


async def file_appeal(
    *,
    db: SessionFactory,
    agent_telegram_user_id: int,
    complaint_id: int | None = None,
    response_id: int | None = None,
    reason: str,
) -> AppealView:
    """File an agent's appeal of their own complaint or rating and alert the managers."""
    words = _clean_reason(reason)
    async with db() as s, s.begin():
        agent = (
            await s.exec(select(Agent).where(Agent.telegram_user_id == agent_telegram_user_id))
        ).first()
        if agent is None or not agent.active:
            raise Forbidden("only an agent may appeal", code=ErrorCode.NOT_AN_AGENT)
        await _hold(s, complaint_id, response_id)
        try:
            target: _Target | None = await _target(s, complaint_id, response_id)
        except NotFound:  # a missing id answers as another agent's does: ids reveal no counts
            target = None
        if target is None or target.agent_id != agent.id:
            raise Forbidden("an agent may appeal only records credited to them",
                            code=ErrorCode.APPEAL_NOT_OWN_RECORD)
        record = target.complaint or target.response
        if record is not None and record.voided:
            raise InvalidTransition("appeal", "voided", code=ErrorCode.RECORD_VOIDED)
        pending = select(Appeal.id).where(Appeal.status == AppealStatus.PENDING)
        pending = pending.where(
            Appeal.complaint_id == complaint_id if complaint_id is not None
            else Appeal.response_id == response_id
        )
        if (await s.exec(pending)).first() is not None:
            raise DuplicateAppeal("this record already has a pending appeal")
        assert agent.id is not None
        appeal = Appeal(
            agent_id=agent.id, complaint_id=complaint_id, response_id=response_id,
            reason=words, created_at=clock.now(),
        )
        s.add(appeal)
        await s.flush()
        audit.record(
            s, actor_role=Role.AGENT, actor_id=agent.id, action="appeal_filed",
            subject_kind="appeal", subject_id=appeal.id, detail=_detail(appeal, reason=words),
        )
        for manager in await managers_for(s, target.community_id):
            assert manager.chat_id is not None
            await enqueue(
                s, kind=OutboxKind.APPEAL_FILED,
                dedupe_key=f"appeal_filed:{appeal.id}:m{manager.id}",
                chat_id=manager.chat_id, payload=_payload(appeal, agent, target, manager.language),
            )
        return appeal_view(appeal, agent)


async def _hold(session: AsyncSession, complaint_id: int | None,
                response_id: int | None) -> None:
    """Take the appealed record's row lock: of two appeals of it sent at once, the second
    waits here, then finds the first pending (DuplicateAppeal) instead of filing a twin."""
    table: type[Complaint] | type[Response] = Complaint if complaint_id is not None else Response
    record_id = complaint_id if complaint_id is not None else response_id
    await session.exec(update(table).where(col(table.id) == record_id)
                       .values(voided=col(table.voided)))


async def _manager(session: AsyncSession, telegram_user_id: int) -> Manager:
    manager = (
        await session.exec(select(Manager).where(Manager.telegram_user_id == telegram_user_id))
    ).first()
    if manager is None or not manager.active:
        raise Forbidden("only a manager may decide appeals", code=ErrorCode.NOT_A_MANAGER)
    return manager


async def _decidable(
    session: AsyncSession, appeal_id: int, manager_telegram_user_id: int
) -> tuple[Manager, Appeal, _Target]:
    manager = await _manager(session, manager_telegram_user_id)
    appeal = await session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id}", code=ErrorCode.APPEAL_NOT_FOUND, id=appeal_id)
    target = await _target(session, appeal.complaint_id, appeal.response_id)
    if manager.community_id is not None and manager.community_id != target.community_id:
        raise Forbidden("this appeal belongs to another community",
                        code=ErrorCode.APPEAL_OTHER_COMMUNITY)
    if appeal.status != AppealStatus.PENDING:
        raise AppealAlreadyDecided(appeal.status, appeal_id=appeal.id)
    return manager, appeal, target


async def check_decidable(*, db: SessionFactory, appeal_id: int,
                          manager_telegram_user_id: int) -> None:
    """Raise unless this manager may decide this appeal now (Forbidden, NotFound, decided)."""
    async with db() as s:
        await _decidable(s, appeal_id, manager_telegram_user_id)

async def decide_appeal(
    *,
    db: SessionFactory,
    appeal_id: int,
    manager_telegram_user_id: int,
    decision: Decision,
    reason: str,
) -> AppealView:
    """Uphold or void an appealed record, audit it and tell the agent; decisions are final."""
    if decision not in ("uphold", "void"):
        raise InvalidInput("decision must be 'uphold' or 'void'", code=ErrorCode.DECISION_INVALID)
    words = _clean_reason(reason)
    async with db() as s, s.begin():
        manager, appeal, target = await _decidable(s, appeal_id, manager_telegram_user_id)
        # Claim the decision with a conditional UPDATE: of two managers deciding at once,
        # the second finds the row no longer pending (it waits for the first's row lock).
        claimed = await s.exec(
            update(Appeal)
            .where(col(Appeal.id) == appeal_id, col(Appeal.status) == AppealStatus.PENDING)
            .values(status=AppealStatus.VOIDED if decision == "void" else AppealStatus.UPHELD,
                    decided_at=clock.now(), decided_by_manager_id=manager.id,
                    decision_reason=words)
        )
        await s.refresh(appeal)
        if claimed.rowcount != 1:
            raise AppealAlreadyDecided(appeal.status, appeal_id=appeal.id)
        if decision == "void":
            if target.complaint is not None:
                target.complaint.voided = True
            if target.response is not None:
                target.response.voided = True
        audit.record(
            s, actor_role=Role.MANAGER, actor_id=manager.id, action="appeal_decided",
            subject_kind="appeal", subject_id=appeal.id,
            detail=_detail(appeal, decision=decision, reason=words),
        )
        agent = await s.get(Agent, appeal.agent_id)
        assert agent is not None
        if agent.chat_id is not None and agent.active:
            await enqueue(
                s, kind=OutboxKind.APPEAL_DECIDED, dedupe_key=f"appeal_decided:{appeal.id}",
                chat_id=agent.chat_id, payload=_payload(appeal, agent, target, agent.language),
            )
        return appeal_view(appeal, agent)
