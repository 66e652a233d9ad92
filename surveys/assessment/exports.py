"""Everything an XLSX export or a PNG chart shows, loaded for one period.

The figures come from `surveys.assessment.views` (a closed period's snapshot, else the points
model with the weights in force); the raw rows (responses,
complaints) are read here with the owner's phone masked, also where the owner typed one into
a comment or complaint — no full phone leaves this module.
A community's export holds the records credited to that community's agents, like its report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import col, select

from scoring.periods import Period, week_period
from scoring.points.config import PointsConfig
from scoring.questions import QUESTIONS
from scoring.reports.export import ComplaintRow, ResponseRow
from surveys.assessment import views
from surveys.assessment.reports import AgentReport, TeamReport
from surveys.core.db import SessionFactory
from surveys.core.pii import mask_phone, mask_phones
from surveys.models import Agent, Complaint, Owner, Response, Survey, WorkOrder

TREND_WEEKS = 8


@dataclass(frozen=True)
class ExportData:
    """The team report, each agent's report, and the raw rows of the period."""
    team: TeamReport
    agents: list[AgentReport]
    responses: list[ResponseRow]
    complaints: list[ComplaintRow]
    trend: list[tuple[str, float | None]] = field(default_factory=list)  # week, team mean


def _community_filter(community_id: int | None) -> list[object]:
    # Scoped by the credited agent's community, as the team report is (surveys/assessment/stats.py),
    # so a community manager's rows are exactly those of the agents the report ranks.
    if community_id is None:
        return []
    return [Agent.community_id == community_id]


async def load_rows(*, db: SessionFactory, period: Period, community_id: int | None = None
                    ) -> tuple[list[ResponseRow], list[ComplaintRow]]:
    """Read the period's responses (to surveys sent in it) and complaints opened in it."""
    async with db() as s:
        resp = (await s.exec(
            select(Response, Survey, WorkOrder, Owner, Agent)  # type: ignore[call-overload]
            .join(Survey, col(Survey.id) == col(Response.survey_id))
            .join(WorkOrder, col(WorkOrder.id) == col(Survey.work_order_id))
            .join(Owner, col(Owner.id) == col(Survey.owner_id))
            .join(Agent, col(Agent.id) == col(Survey.agent_id), isouter=True)
            .where(col(Survey.sent_at) >= period.start, col(Survey.sent_at) < period.end,
                   col(Response.submitted_at).is_not(None),
                   *_community_filter(community_id))
            .order_by(col(Survey.sent_at), col(Response.id))
        )).all()
        comp = (await s.exec(
            select(Complaint, Owner, WorkOrder, Agent)
            .join(Owner, col(Owner.id) == col(Complaint.owner_id))
            .join(WorkOrder, col(WorkOrder.id) == col(Complaint.work_order_id), isouter=True)
            .join(Agent, col(Agent.id) == col(Complaint.agent_id), isouter=True)
            .where(col(Complaint.opened_at) >= period.start, col(Complaint.opened_at) < period.end,
                   *_community_filter(community_id))  # type: ignore[arg-type]
            .order_by(col(Complaint.opened_at), col(Complaint.id))
        )).all()
    responses = [
        ResponseRow(
            response_id=r.id or 0, work_order=wo.external_id, agent=a.name if a else "",
            owner=o.name, phone=mask_phone(o.phone),
            ratings={q: getattr(r, q) for q in QUESTIONS},
            comment=mask_phones(r.comment) if r.comment else r.comment,
            sent_at=sv.sent_at, submitted_at=r.submitted_at, voided=r.voided,
            channel=r.channel, counted=not r.voided,
        )
        for r, sv, wo, o, a in resp
    ]
    complaints = [
        ComplaintRow(
            complaint_id=c.id or 0, work_order=wo.external_id if wo else None,
            agent=a.name if a else None, owner=o.name, phone=mask_phone(o.phone),
            source=c.source, status=c.status, text=mask_phones(c.text) if c.text else c.text,
            tags=list(c.tags or []),
            urgent=c.urgent, opened_at=c.opened_at, ack_deadline=c.ack_deadline,
            acknowledged_at=c.acknowledged_at, resolved_at=c.resolved_at,
            satisfied=c.satisfied, voided=c.voided,
        )
        for c, o, wo, a in comp
    ]
    return responses, complaints


def as_closed(rows: list[ResponseRow], agents: list[AgentReport], closed_at: datetime
              ) -> list[ResponseRow]:
    """Mark the rows of a closed period as its snapshot counted them, not as they are now:
    a later void or a later answer is an adjustment in a later period, not a change here."""
    counted = {r.response_id: r.counted and not r.voided
               for a in agents for r in a.breakdown.responses}
    return [replace(r, counted=counted.get(r.response_id, False),
                    after_close=not counted.get(r.response_id, False)
                    and r.submitted_at is not None and r.submitted_at >= closed_at)
            for r in rows]


def team_mean(report: TeamReport) -> float | None:
    """Mean total of the ranked agents (None when nobody has a total)."""
    totals = [r.total for r in report.rows if r.total is not None]
    return sum(totals) / len(totals) if totals else None


async def team_trend(*, db: SessionFactory, period: Period, config: PointsConfig,
                     community_id: int | None = None, weeks: int = TREND_WEEKS
                     ) -> list[tuple[str, float | None]]:
    """Return the team's mean total for each of the `weeks` ISO weeks up to the period's."""
    week = week_period(period.last_day, period.timezone)
    weeks_list = [week]
    for _ in range(weeks - 1):
        weeks_list.insert(0, weeks_list[0].previous())
    out = []
    for w in weeks_list:
        report = await views.team_view(db=db, period=w, current=config,
                                       community_id=community_id, live_extras=False)
        out.append((w.label, team_mean(report)))
    return out


async def load_export(*, db: SessionFactory, period: Period, config: PointsConfig,
                      community_id: int | None = None, trend: bool = True) -> ExportData:
    """Load the team report, every ranked agent's report and the raw rows of a period."""
    team = await views.team_view(db=db, period=period, current=config,
                                 community_id=community_id)
    # Each team computed once for all its agents, not once per agent (100 agents at a million
    # responses: 100 × 12 s).
    agents = await views.agent_views(db=db, agent_ids=[row.agent_id for row in team.rows],
                                     period=period, current=config)
    responses, complaints = await load_rows(db=db, period=period, community_id=community_id)
    if team.status is not None and team.status.final and team.status.closed_at is not None:
        responses = as_closed(responses, agents, team.status.closed_at)
    weeks = await team_trend(db=db, period=period, config=config,
                             community_id=community_id) if trend else []
    return ExportData(team=team, agents=agents, responses=responses, complaints=complaints,
                      trend=weeks)
