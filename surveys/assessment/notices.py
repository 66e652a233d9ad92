"""The messages a close sends: each agent's final month, each manager's team table.

Queued in the closing transaction (dedupe keys per period and person), so a close that wins
sends them once and a close that loses sends nothing.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from surveys.assessment.snapshots import Scoped
from surveys.models import Agent, Manager
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import PeriodClosedPayload, PeriodClosedTeamPayload, RankRow
from surveys.outbox.store import enqueue


def agent_payload(scoped: Scoped, agent_id: int, period: Period, locale: str | None
                  ) -> PeriodClosedPayload | None:
    """Return the agent's final figures in their own scope (None if not in it)."""
    p = next((r for r in scoped.report.rows if r.agent_id == agent_id), None)
    if p is None:
        return None
    before = scoped.previous.get(agent_id)
    previous = before.total if before is not None else None
    ranked = sum(1 for r in scoped.report.rows if r.rank is not None)
    return PeriodClosedPayload(
        label=period.label, name=p.name, total=p.total, grade=p.grade, rank=p.rank,
        team_size=ranked, previous=previous,
        change=p.total - previous if p.total is not None and previous is not None else None,
        adjustment=p.adjustment, locale=locale or "zh_CN")


def team_payload(scoped: Scoped, period: Period, locale: str | None) -> PeriodClosedTeamPayload:
    """Return the team table a manager gets at close."""
    rows = []
    for p in scoped.report.rows:
        before = scoped.previous.get(p.agent_id)
        prev = before.total if before is not None else None
        rows.append(RankRow(rank=p.rank, name=p.name, total=p.total, grade=p.grade,
                            change=p.total - prev if p.total is not None and prev is not None
                            else None))
    c = scoped.community
    return PeriodClosedTeamPayload(label=period.label, community=c.name if c else None,
                                   rows=rows, locale=locale or "zh_CN")


async def queue(session: AsyncSession, *, period: Period, scoped: list[Scoped],
                skip_manager_id: int | None = None) -> int:
    """Queue every bound agent's and manager's message; return how many were queued.

    The manager who closed in chat gets the table in the reply, not a second time here.
    """
    by_scope = {s.scope: s for s in scoped}
    agents = (await session.exec(select(Agent).where(
        col(Agent.active).is_(True), col(Agent.chat_id).is_not(None)))).all()
    managers = (await session.exec(select(Manager).where(
        col(Manager.active).is_(True), col(Manager.chat_id).is_not(None)))).all()
    sent = 0
    for a in agents:
        own = by_scope.get(a.community_id or 0)
        payload = agent_payload(own, a.id or 0, period, a.language) if own else None
        if payload is None or a.chat_id is None:
            continue
        row = await enqueue(session, kind=OutboxKind.PERIOD_CLOSED,
                            chat_id=a.chat_id, payload=payload,
                            dedupe_key=f"period_closed:{a.id}:{period.label}")
        sent += row is not None
    for m in managers:
        if m.id == skip_manager_id:
            continue
        own = by_scope.get(m.community_id or 0)
        if own is None or m.chat_id is None:
            continue
        row = await enqueue(session, kind=OutboxKind.PERIOD_CLOSED_TEAM, chat_id=m.chat_id,
                            payload=team_payload(own, period, m.language),
                            dedupe_key=f"period_closed_team:{m.id}:{period.label}")
        sent += row is not None
    return sent
