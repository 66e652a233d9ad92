"""Weekly summaries: every bound agent's last week, and a team digest for each manager.

Run on Monday morning (company time zone) for the ISO week that just ended. Figures come
from `surveys.assessment.views`, so they are the points model's. Enqueueing is idempotent: one
"weekly_summary" per agent and one "team_digest" per manager per ISO week (dedupe keys).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from scoring.periods import Period, local_today, week_period
from scoring.points.config import PointsConfig
from scoring.points.targets import TargetResult
from scoring.questions import QUESTIONS
from scoring.revisits import RevisitRate
from surveys.assessment import views
from surveys.assessment.reports import AgentReport
from surveys.assessment.revisit_rates import revisit_rates
from surveys.complaints.evidence import aspect_words, classify_comment
from surveys.complaints.queries import OPEN_STATUSES
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import Agent, Complaint, Manager, Owner, Response
from surveys.outbox import payloads
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.store import enqueue

TOP_TAGS = 3
EXAMPLE_WORDS = 3


@dataclass(frozen=True)
class SummaryRun:
    """What one run enqueued (already-sent weeks count as skipped)."""
    week: str
    agents: int
    managers: int
    skipped: int


def summary_period(now: datetime, timezone: str) -> Period:
    """Return the ISO week that ended before the local day of `now` (naive UTC)."""
    return week_period(local_today(now, timezone) - timedelta(days=7), timezone)


def _legacy_aspect_words(c: Complaint, classifications: dict[int, dict[str, Any]]
                         ) -> dict[str, list[str]]:
    # Rows opened before evidence["by_aspect"] was stored: the response's stored verdict,
    # or (direct complaints) the text classified again, kept to the words stored then.
    if c.survey_id is not None:
        return aspect_words(classifications.get(c.survey_id))
    if not c.text:
        return {}
    stored = {str(w) for w in (c.evidence or {}).get("words") or []}
    return {tag: [w for w in found if w in stored]
            for tag, found in aspect_words(classify_comment(c.text)).items()}


def _by_aspect(c: Complaint, classifications: dict[int, dict[str, Any]]
               ) -> dict[str, list[str]]:
    stored = (c.evidence or {}).get("by_aspect")
    if isinstance(stored, dict):
        return {str(k): [str(w) for w in v or []] for k, v in stored.items()}
    return _legacy_aspect_words(c, classifications)


async def top_tags(*, db: SessionFactory, agent_id: int, period: Period,
                   limit: int = TOP_TAGS) -> list[dict[str, Any]]:
    """Return the agent's most frequent complaint tags in the period, each with examples.

    `words` are the words that decided that aspect; `ratings` the low ratings of that
    question (a tag opened by a rating alone has ratings and no words).
    """
    async with db() as s:
        rows = (await s.exec(select(Complaint).where(
            Complaint.agent_id == agent_id, col(Complaint.voided).is_(False),
            col(Complaint.opened_at) >= period.start, col(Complaint.opened_at) < period.end,
        ).order_by(col(Complaint.id)))).all()
        legacy = [c.survey_id for c in rows if c.survey_id is not None
                  and not isinstance((c.evidence or {}).get("by_aspect"), dict)]
        responses = (await s.exec(select(Response).where(
            col(Response.survey_id).in_(legacy)))).all() if legacy else []
    classifications = {r.survey_id: r.classification or {} for r in responses}
    counts: Counter[str] = Counter()
    words: dict[str, list[str]] = {}
    ratings: dict[str, set[int]] = {}
    for c in rows:
        by_aspect = _by_aspect(c, classifications)
        low = (c.evidence or {}).get("ratings") or {}
        for tag in dict.fromkeys(c.tags or []):
            counts[tag] += 1
            bucket = words.setdefault(tag, [])
            bucket.extend(w for w in by_aspect.get(tag, []) if w not in bucket)
            if isinstance(low.get(tag), int):
                ratings.setdefault(tag, set()).add(low[tag])
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{"tag": tag, "count": n, "words": words.get(tag, [])[:EXAMPLE_WORDS],
             "ratings": sorted(ratings.get(tag, ()))}
            for tag, n in ordered]


def _targets(results: list[TargetResult]) -> list[payloads.TargetFigure]:
    return [payloads.TargetFigure(code=r.code, value=r.value, target=r.target) for r in results]


def _figure(rate: RevisitRate) -> payloads.RevisitFigure:
    return payloads.RevisitFigure(closed=rate.closed, answered=rate.answered,
                                  complaint_closed=rate.complaint_closed,
                                  complaint_answered=rate.complaint_answered)


def summary_payload(report: AgentReport, tags: list[dict[str, Any]], locale: str | None
                    ) -> payloads.WeeklySummaryPayload:
    """Everything the weekly summary shows (figures unrounded)."""
    p, prev = report.points, report.previous
    dims = {}
    for q in QUESTIONS:
        d = p.dimensions[q]
        before = prev.dimensions[q].raw if prev is not None else None
        change = d.raw - before if d.raw is not None and before is not None else None
        dims[q] = payloads.Dimension(n=d.n, score=d.raw, adjusted=d.adjusted, change=change)
    return payloads.WeeklySummaryPayload(
        agent_id=p.agent_id, agent_name=p.name, week=report.period.label,
        first_day=report.period.first_day, last_day=report.period.last_day,
        surveys_sent=p.surveys_sent, responses=p.responses,
        response_rate=p.response_rate, dimensions=dims,
        complaints=p.complaints, ack_on_time_rate=p.ack_on_time_rate,
        resolution_rate=p.resolution_rate,
        follow_up_satisfaction_rate=p.follow_up_satisfaction_rate,
        handling=p.handling, handling_quality=p.handling_quality,
        frequency_penalty=p.frequency_penalty, satisfaction=p.satisfaction,
        total=p.total, grade=p.grade, rank=p.rank, team_size=report.team_size,
        change=report.change, top_tags=[payloads.TopTag.model_validate(t) for t in tags],
        locale=locale or "zh_CN",
        targets=_targets(report.targets), team_targets=_targets(report.team_targets),
        revisit=_figure(report.revisit) if report.revisit is not None else None,
    )


async def _bound(db: SessionFactory) -> tuple[list[Agent], list[Manager]]:
    async with db() as s:
        agents = list((await s.exec(select(Agent).where(
            col(Agent.active).is_(True), col(Agent.chat_id).is_not(None)
        ).order_by(col(Agent.id)))).all())
        managers = list((await s.exec(select(Manager).where(
            col(Manager.active).is_(True), col(Manager.chat_id).is_not(None)
        ).order_by(col(Manager.id)))).all())
    return agents, managers


async def _open_complaints(db: SessionFactory, community_id: int | None) -> tuple[int, int]:
    now = clock.now()
    async with db() as s:
        stmt = select(Complaint).where(col(Complaint.status).in_(OPEN_STATUSES))
        if community_id is not None:
            stmt = stmt.where(col(Complaint.owner_id).in_(
                select(Owner.id).where(Owner.community_id == community_id)))
        rows = (await s.exec(stmt)).all()
    overdue = sum(1 for c in rows if c.acknowledged_at is None and c.ack_deadline < now)
    return len(rows), overdue


async def digest_payload(*, db: SessionFactory, period: Period, config: PointsConfig,
                         community_id: int | None, locale: str | None
                         ) -> payloads.TeamDigestPayload:
    """Return the team digest of one manager's scope."""
    report = await views.team_view(db=db, period=period, current=config,
                                   community_id=community_id, live_extras=False)
    open_count, overdue = await _open_complaints(db, community_id)
    rates = await revisit_rates(db=db, period=period, community_id=community_id)
    return payloads.TeamDigestPayload(
        week=period.label, first_day=period.first_day, last_day=period.last_day,
        community=report.community.name if report.community else None,
        rows=[payloads.RankRow(agent_id=r.agent_id, name=r.name, rank=r.rank, total=r.total,
                               grade=r.grade, responses=r.responses, complaints=r.complaints,
                               change=(r.total - prev) if r.total is not None
                               and prev is not None else None,
                               revisit=_figure(rates.agents[r.agent_id])
                               if r.agent_id in rates.agents else None)
              for r in report.rows
              for prev in [report.previous_totals.get(r.agent_id)]],
        surveys_sent=report.team.surveys_sent, responses=report.team.responses,
        complaints=report.team.complaints, open_complaints=open_count,
        overdue_complaints=overdue, locale=locale or "zh_CN",
        team_targets=_targets(report.targets),
        revisit_communities={name: _figure(rate) for name, rate in rates.communities.items()},
    )


async def run_weekly_summaries(*, db: SessionFactory, config: PointsConfig, timezone: str,
                               now: datetime | None = None) -> SummaryRun:
    """Enqueue last week's summary to every bound agent and the digest to every manager."""
    now = now or clock.now()
    period = summary_period(now, timezone)
    agents, managers = await _bound(db)
    sent_agents = sent_managers = skipped = 0
    rates = await revisit_rates(db=db, period=period)  # one query for every agent's 回访率
    for agent in agents:
        assert agent.id is not None and agent.chat_id is not None
        report = replace(await views.agent_view(db=db, agent_id=agent.id, period=period,
                                                current=config, now=now, live_extras=False),
                         revisit=rates.agents.get(agent.id, RevisitRate()))
        tags = await top_tags(db=db, agent_id=agent.id, period=period)
        payload = summary_payload(report, tags, agent.language)
        async with db() as s, s.begin():
            row = await enqueue(s, kind=OutboxKind.WEEKLY_SUMMARY,
                                dedupe_key=f"weekly_summary:{agent.id}:{period.label}",
                                chat_id=agent.chat_id, payload=payload)
        sent_agents += row is not None
        skipped += row is None
    for manager in managers:
        assert manager.chat_id is not None
        digest = await digest_payload(db=db, period=period, config=config,
                                      community_id=manager.community_id,
                                      locale=manager.language)
        async with db() as s, s.begin():
            row = await enqueue(s, kind=OutboxKind.TEAM_DIGEST,
                                dedupe_key=f"team_digest:{manager.id}:{period.label}",
                                chat_id=manager.chat_id, payload=digest)
        sent_managers += row is not None
        skipped += row is None
    return SummaryRun(period.label, sent_agents, sent_managers, skipped)
