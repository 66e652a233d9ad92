"""Multi-source review (seed 002 多源评价): managers' stars for what owners cannot judge
(业务知识, 沟通技巧, 团队协作 by default), optional peer review and self-review.

A review is one row per (period, rated agent, source, reviewer); each tap on a star button
records one criterion. Managers review the agents of their community (every agent when they
have none); a peer reviews only the colleagues assigned to them (a fixed pseudo-random draw
per period, so a restart or another replica assigns the same peers), and the rated agent never
learns who. Nothing can be reviewed in a closed period.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period
from scoring.points.config import PointsConfig
from scoring.points.model import RatingStats
from surveys.assessment.errors import ReviewRefused
from surveys.assessment.periods import closed_row
from surveys.assessment.stats import period_counts
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.core.text import clean_free_text
from surveys.models import Agent, Manager, Review

Source = Literal["manager", "peer", "self"]
NOTE_MAX_CHARS = 1000


@dataclass(frozen=True)
class ReviewView:
    """One review as stored (reviewer hidden from the rated agent's side)."""

    agent_id: int
    agent_name: str
    source: str
    ratings: dict[str, int]
    note: str | None


async def review_stats(session: AsyncSession, *, period_label: str,
                       criteria: list[str]) -> dict[int, dict[str, RatingStats]]:
    """Sum each agent's review stars per source over the configured criteria."""
    rows = (await session.exec(select(Review).where(Review.period_label == period_label))).all()
    out: dict[int, dict[str, RatingStats]] = defaultdict(dict)
    for row in rows:
        stars = [int(v) for k, v in (row.ratings or {}).items() if k in criteria]
        if not stars:
            continue
        was = out[row.agent_id].get(row.source, RatingStats())
        out[row.agent_id][row.source] = RatingStats(n=was.n + len(stars),
                                                    total=was.total + sum(stars))
    return dict(out)


def assigned_peers(agent_id: int, colleagues: list[int], period_label: str, k: int
                   ) -> list[int]:
    """Return the colleagues an agent rates in a period: a stable draw of k others."""
    def draw(other: int) -> str:
        return hashlib.sha256(f"{period_label}:{agent_id}:{other}".encode()).hexdigest()

    return sorted((c for c in colleagues if c != agent_id), key=draw)[:k]


async def _check_reviewer(session: AsyncSession, *, source: Source, reviewer_id: int,
                          agent: Agent, period: Period, config: PointsConfig) -> None:
    if source == "manager":
        manager = await session.get(Manager, reviewer_id)
        if manager is None or not manager.active:
            raise ReviewRefused("inactive")
        if manager.community_id is not None and manager.community_id != agent.community_id:
            raise ReviewRefused("scope")
        return
    reviewer = await session.get(Agent, reviewer_id)
    if reviewer is None or not reviewer.active:
        raise ReviewRefused("inactive")
    if source == "self":
        if reviewer_id != agent.id:
            raise ReviewRefused("not_assigned")
        return
    colleagues = list((await session.exec(select(Agent.id).where(
        Agent.community_id == reviewer.community_id, col(Agent.active).is_(True)))).all())
    peers = assigned_peers(reviewer_id, [c for c in colleagues if c is not None],
                           period.label, config.review.peers_per_agent)
    if agent.id not in peers:
        raise ReviewRefused("not_assigned")


def refuse_unstarted(period: Period, now: datetime) -> None:
    """Raise ReviewRefused for a period that has not begun at `now` (a mistyped year)."""
    if period.start > now:
        raise ReviewRefused("not_started", period.label)


async def record_review(*, db: SessionFactory, period: Period, config: PointsConfig,
                        agent_id: int, source: Source, reviewer_id: int,
                        criterion: str | None = None, stars: int | None = None,
                        note: str | None = None, now: datetime) -> ReviewView:
    """Record one criterion's stars (or the note) of a review; refuse what may not be given."""
    if criterion is not None and criterion not in config.review.criteria:
        raise ReviewRefused("criterion")
    if stars is not None and not (isinstance(stars, int) and 1 <= stars <= 5):
        raise ReviewRefused("rating")
    if note is not None:  # refused when too long, never cut short without a word
        note = clean_free_text(note, max_chars=NOTE_MAX_CHARS, empty=None,
                               too_long=ErrorCode.MESSAGE_TOO_LONG, what="the note")
    refuse_unstarted(period, now)
    if await closed_row(db=db, label=period.label) is not None:
        raise ReviewRefused("closed", period.label)
    for attempt in range(2):
        try:
            async with db() as session, session.begin():
                agent = await session.get(Agent, agent_id)
                if agent is None:
                    raise NotFound(f"agent {agent_id}")
                await _check_reviewer(session, source=source, reviewer_id=reviewer_id,
                                      agent=agent, period=period, config=config)
                row = (await session.exec(select(Review).where(
                    Review.period_label == period.label, Review.agent_id == agent_id,
                    Review.source == source, Review.reviewer_id == reviewer_id))).first()
                if row is None:
                    row = Review(period_label=period.label, agent_id=agent_id, source=source,
                                 reviewer_id=reviewer_id, ratings={}, created_at=now)
                ratings = dict(row.ratings or {})
                if criterion is not None and stars is not None:
                    ratings[criterion] = stars
                row.ratings = ratings
                if note is not None:
                    row.note = note or None
                row.updated_at = now
                session.add(row)
                return ReviewView(agent_id=agent_id, agent_name=agent.name, source=source,
                                  ratings={k: int(v) for k, v in ratings.items()},
                                  note=row.note)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


async def reviews_of(*, db: SessionFactory, period_label: str, agent_id: int
                     ) -> list[ReviewView]:
    """Return the reviews of one agent in a period (sources only, never the reviewer)."""
    async with db() as session:
        agent = await session.get(Agent, agent_id)
        rows = (await session.exec(select(Review).where(
            Review.period_label == period_label, Review.agent_id == agent_id
        ).order_by(col(Review.source), col(Review.id)))).all()
    name = agent.name if agent else ""
    return [ReviewView(agent_id=agent_id, agent_name=name, source=r.source,
                       ratings={k: int(v) for k, v in (r.ratings or {}).items()}, note=r.note)
            for r in rows]


async def reviewable_agents(*, db: SessionFactory, manager_id: int, period: Period,
                            now: datetime) -> list[Agent]:
    """Return the active agents a manager reviews for a period.

    Those of their community (or all), with work in it (a review of an agent without any
    counts nowhere).
    """
    async with db() as session:
        manager = await session.get(Manager, manager_id)
        if manager is None:
            raise NotFound(f"manager {manager_id}")
        worked = {s.agent_id for s in (await period_counts(
            session, start=period.start, end=period.end, as_of=now,
            community_id=manager.community_id)).stats}
        stmt = select(Agent).where(col(Agent.active).is_(True), col(Agent.id).in_(worked))
        if manager.community_id is not None:
            stmt = stmt.where(Agent.community_id == manager.community_id)
        return list((await session.exec(stmt.order_by(col(Agent.id)))).all())


async def agent_name(*, db: SessionFactory, agent_id: int) -> str:
    """Return an agent's name ("" if unknown)."""
    async with db() as session:
        agent = await session.get(Agent, agent_id)
    return agent.name if agent else ""


async def peers_to_review(*, db: SessionFactory, agent_id: int, period_label: str,
                          config: PointsConfig) -> list[int]:
    """Return the colleagues an agent is asked to rate (none when peer review is off)."""
    if config.review.peer_weight <= 0 or config.review.peers_per_agent <= 0:
        return []
    async with db() as session:
        me = await session.get(Agent, agent_id)
        if me is None or not me.active:
            return []
        colleagues = list((await session.exec(select(Agent.id).where(
            Agent.community_id == me.community_id, col(Agent.active).is_(True)))).all())
    return assigned_peers(agent_id, [c for c in colleagues if c is not None], period_label,
                          config.review.peers_per_agent)


async def bound_managers(*, db: SessionFactory) -> list[tuple[int, int, str | None]]:
    """Return (manager id, chat id, language) of every active manager bound to a chat."""
    async with db() as session:
        rows = (await session.exec(select(Manager).where(
            col(Manager.active).is_(True), col(Manager.chat_id).is_not(None)
        ).order_by(col(Manager.id)))).all()
    return [(m.id, m.chat_id, m.language) for m in rows
            if m.id is not None and m.chat_id is not None]
