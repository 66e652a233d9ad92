"""Tag corrections: an agent or a manager says what a complaint's words really rate.

A manager's correction applies at once. An agent's correction of their own complaint waits
for a manager who oversees them to confirm or reject it, so nobody drops tags to save points.
An applied correction rewrites the complaint's tags and evidence in the same transaction
(reports, summaries and exports read those; "not a complaint" takes it out of every score),
is written to the audit log, and becomes training data (`training_examples`). Double taps
are harmless: the result says `changed=False`. docs/corrections.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints import verdicts
from surveys.complaints.alerts import (
    ComplaintContext,
    complaint_payload,
    load_context,
    managers_for,
)
from surveys.complaints.correction_views import (
    CorrectionForm,
    CorrectionResult,
    Corrector,
    Outcome,
    correction_view,
)
from surveys.complaints.views import build_view
from surveys.core import audit, clock
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    CorrectionDecided,
    CorrectionPending,
    ErrorCode,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from surveys.models import Agent, Complaint, CorrectionStatus, Manager, Role, TagCorrection
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import CorrectionBefore, CorrectionPayload
from surveys.outbox.store import enqueue

ATTEMPTS = 3  # a correction that lost a race is tried again on the state that won


async def _context(session: AsyncSession, complaint_id: int) -> ComplaintContext:
    complaint = await session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                       id=complaint_id)
    return await load_context(session, complaint)


async def _corrector(session: AsyncSession, telegram_user_id: int,
                     ctx: ComplaintContext) -> Corrector:
    """Return who corrects: the credited agent (even if also a manager) or a manager in scope."""
    agent = (
        await session.exec(select(Agent).where(Agent.telegram_user_id == telegram_user_id))
    ).first()
    if agent is not None and agent.active and agent.id == ctx.complaint.agent_id:
        return Corrector(Role.AGENT, agent.id, None, agent.name)
    manager = (
        await session.exec(select(Manager).where(Manager.telegram_user_id == telegram_user_id))
    ).first()
    if manager is not None and manager.active and manager.community_id in (None,
                                                                           ctx.community_id):
        return Corrector(Role.MANAGER, None, manager.id, manager.name)
    raise Forbidden("only the credited agent or a manager overseeing them corrects tags",
                    code=ErrorCode.CORRECTION_NOT_ALLOWED)


async def _pending(session: AsyncSession, complaint_id: int) -> TagCorrection | None:
    stmt = select(TagCorrection).where(TagCorrection.complaint_id == complaint_id,
                                       TagCorrection.status == CorrectionStatus.PENDING)
    return (await session.exec(stmt)).first()


async def _name(session: AsyncSession, row: TagCorrection) -> str:
    person = (await session.get(Agent, row.proposed_by_agent_id) if row.proposed_by_agent_id
              else await session.get(Manager, row.proposed_by_manager_id or 0))
    return person.name if person is not None else "—"


def _check_open(ctx: ComplaintContext) -> None:
    if ctx.complaint.voided:
        raise InvalidTransition("correct", ctx.complaint.status, code=ErrorCode.COMPLAINT_VOIDED)


async def correction_form(*, db: SessionFactory, complaint_id: int,
                          telegram_user_id: int) -> CorrectionForm:
    """Return what the tag editor shows, if this person may correct the complaint."""
    async with db() as s:
        ctx = await _context(s, complaint_id)
        who = await _corrector(s, telegram_user_id, ctx)
        _check_open(ctx)
        now = await verdicts.current(s, ctx.complaint)
        pending = await _pending(s, complaint_id)
        c = ctx.complaint
        return CorrectionForm(
            complaint_id=complaint_id, text=c.text, tags=tuple(c.tags or ()),
            rated=tuple(verdicts.rated(c)), current=now.verdict,
            may_dismiss=verdicts.may_dismiss(c), needs_confirmation=who.role == Role.AGENT,
            pending=correction_view(pending, await _name(s, pending)) if pending else None,
        )


def _audit(s: AsyncSession, row: TagCorrection, *, action: str, role: str, actor_id: int | None,
           **more: Any) -> None:
    audit.record(
        s, actor_role=role, actor_id=actor_id, action=action, subject_kind="complaint",
        subject_id=row.complaint_id,
        detail={"correction_id": row.id, "before": row.before, "aspects": row.aspects,
                "not_complaint": row.not_complaint, "proposed_by_role": row.proposed_by_role,
                "proposed_by_agent_id": row.proposed_by_agent_id,
                "proposed_by_manager_id": row.proposed_by_manager_id} | more,
    )


def _payload(ctx: ComplaintContext, row: TagCorrection, proposer: str,
             locale: str | None, decider: str | None = None) -> CorrectionPayload:
    return CorrectionPayload(
        **complaint_payload(ctx, locale).model_dump(exclude_unset=True),
        correction_id=row.id, correction_status=row.status, proposer_name=proposer,
        proposed_by_role=row.proposed_by_role, aspects=dict(row.aspects),
        not_complaint=row.not_complaint, before=CorrectionBefore.model_validate(row.before),
        decider=decider)


async def _tell_managers(s: AsyncSession, ctx: ComplaintContext, row: TagCorrection,
                         proposer: str, telegram_user_id: int) -> None:
    for manager in await managers_for(s, ctx.community_id):
        if manager.telegram_user_id == telegram_user_id or manager.chat_id is None:
            continue  # an agent who also manages does not confirm their own correction
        await enqueue(s, kind=OutboxKind.TAG_CORRECTION_PROPOSED,
                      dedupe_key=f"tag_correction_proposed:{row.id}:m{manager.id}",
                      chat_id=manager.chat_id,
                      payload=_payload(ctx, row, proposer, manager.language))


async def _tell_agent(s: AsyncSession, ctx: ComplaintContext, row: TagCorrection, *,
                      kind: OutboxKind, decider: str) -> None:
    agent = ctx.agent
    if agent is None or agent.chat_id is None or not agent.active:
        return
    payload = _payload(ctx, row, await _name(s, row), agent.language, decider)
    await enqueue(s, kind=kind, dedupe_key=f"{kind}:{row.id}", chat_id=agent.chat_id,
                  payload=payload)


async def _correct_once(db: SessionFactory, complaint_id: int, telegram_user_id: int,
                        verdict: verdicts.Verdict) -> CorrectionResult:
    async with db() as s, s.begin():
        ctx = await _context(s, complaint_id)
        who = await _corrector(s, telegram_user_id, ctx)
        _check_open(ctx)
        if verdict.not_complaint and not verdicts.may_dismiss(ctx.complaint):
            raise InvalidInput("a complaint opened by a low rating stays a complaint",
                               code=ErrorCode.LOW_RATING_STAYS)
        now = await verdicts.current(s, ctx.complaint)
        pending = await _pending(s, complaint_id)
        if who.role == Role.AGENT and pending is not None:
            same = (pending.proposed_by_agent_id == who.agent_id
                    and verdicts.Verdict.of(pending.aspects, pending.not_complaint) == verdict)
            if not same:
                raise CorrectionPending(f"correction {pending.id} is waiting for a manager")
            view = correction_view(pending, who.name)
            return CorrectionResult(Outcome.PENDING, False, view, build_view(ctx))
        if verdict == now.verdict:
            return CorrectionResult(Outcome.UNCHANGED, False, None, build_view(ctx))
        if pending is not None:  # a manager's own correction replaces the agent's proposal
            pending.status = CorrectionStatus.SUPERSEDED
            pending.decided_by_manager_id, pending.decided_at = who.manager_id, clock.now()
            await s.flush()
        row = TagCorrection(
            complaint_id=complaint_id, parent_id=now.parent_id, proposed_by_role=who.role,
            proposed_by_agent_id=who.agent_id, proposed_by_manager_id=who.manager_id,
            proposed_at=clock.now(), aspects=verdict.as_dict(),
            not_complaint=verdict.not_complaint,
            before=verdicts.snapshot(ctx.complaint, now.verdict),
            status=CorrectionStatus.PENDING if who.role == Role.AGENT else CorrectionStatus.APPLIED,
            decided_by_manager_id=who.manager_id,
            decided_at=clock.now() if who.role == Role.MANAGER else None,
        )
        s.add(row)
        await s.flush()
        assert row.id is not None
        actor_id = who.agent_id or who.manager_id
        if who.role == Role.AGENT:
            _audit(s, row, action="tag_correction_proposed", role=who.role, actor_id=actor_id)
            await _tell_managers(s, ctx, row, who.name, telegram_user_id)
            return CorrectionResult(Outcome.PENDING, True, correction_view(row, who.name),
                                    build_view(ctx))
        verdicts.apply(ctx.complaint, verdict, correction_id=row.id, now=clock.now())
        _audit(s, row, action="tag_correction_applied", role=who.role, actor_id=actor_id,
               confirmed_by_manager_id=who.manager_id)
        await _tell_agent(s, ctx, row, kind=OutboxKind.TAG_CORRECTION_APPLIED, decider=who.name)
        return CorrectionResult(Outcome.APPLIED, True, correction_view(row, who.name),
                                build_view(ctx))


async def correct_tags(*, db: SessionFactory, complaint_id: int, telegram_user_id: int,
                       aspects: Mapping[str, Any], not_complaint: bool = False
                       ) -> CorrectionResult:
    """Correct a complaint's tags: a manager's applies now, an agent's waits for a manager."""
    verdict = verdicts.Verdict.of(aspects, not_complaint)
    for attempt in range(ATTEMPTS):
        try:
            return await _correct_once(db, complaint_id, telegram_user_id, verdict)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _decidable(s: AsyncSession, correction_id: int, telegram_user_id: int
                     ) -> tuple[TagCorrection, ComplaintContext, Corrector]:
    row = await s.get(TagCorrection, correction_id)
    if row is None:
        raise NotFound(f"correction {correction_id}", code=ErrorCode.CORRECTION_NOT_FOUND,
                       id=correction_id)
    ctx = await _context(s, row.complaint_id)
    who = await _corrector(s, telegram_user_id, ctx)
    if who.role != Role.MANAGER:
        raise Forbidden("only a manager overseeing the agent confirms a correction",
                        code=ErrorCode.CORRECTION_NOT_ALLOWED)
    return row, ctx, who


async def decide_correction(*, db: SessionFactory, correction_id: int,
                            manager_telegram_user_id: int, confirm: bool) -> CorrectionResult:
    """Confirm (apply) or reject an agent's pending correction; the first decision stands."""
    wanted = CorrectionStatus.APPLIED if confirm else CorrectionStatus.REJECTED
    async with db() as s, s.begin():
        row, ctx, who = await _decidable(s, correction_id, manager_telegram_user_id)
        proposer = await _name(s, row)
        if row.status != CorrectionStatus.PENDING:
            if row.status == wanted and row.decided_by_manager_id == who.manager_id:
                return CorrectionResult(Outcome(row.status), False,
                                        correction_view(row, proposer), build_view(ctx))
            raise CorrectionDecided(row.status)
        if confirm and ctx.complaint.voided:  # voided on appeal meanwhile: nothing to apply
            wanted = CorrectionStatus.SUPERSEDED
        # Claim the decision: of two managers tapping at once, the second finds it decided.
        claimed = await s.exec(
            update(TagCorrection)
            .where(col(TagCorrection.id) == correction_id,
                   col(TagCorrection.status) == CorrectionStatus.PENDING)
            .values(status=wanted, decided_by_manager_id=who.manager_id, decided_at=clock.now())
        )
        await s.refresh(row)
        if claimed.rowcount != 1:
            raise CorrectionDecided(row.status)
        if wanted == CorrectionStatus.SUPERSEDED:
            return CorrectionResult(Outcome.SUPERSEDED, True, correction_view(row, proposer),
                                    build_view(ctx))
        if confirm:
            verdict = verdicts.Verdict.of(row.aspects, row.not_complaint)
            verdicts.apply(ctx.complaint, verdict, correction_id=correction_id, now=clock.now())
        _audit(s, row, action="tag_correction_applied" if confirm else "tag_correction_rejected",
               role=Role.MANAGER, actor_id=who.manager_id,
               confirmed_by_manager_id=who.manager_id if confirm else None)
        await _tell_agent(s, ctx, row, kind=OutboxKind.TAG_CORRECTION_DECIDED, decider=who.name)
        return CorrectionResult(Outcome(wanted), True, correction_view(row, proposer),
                                build_view(ctx))
