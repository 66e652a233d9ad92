"""The reports everyone reads: a closed period's from its snapshot, any other period live
with the weights in force for it, the late adjustments it carries, and its reviews.

`bot/` (chat, CLI, exports) asks here, never `reports` directly, so a closed period shows the
same figures forever and a weight change never rewrites the period under way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlmodel import col, select

from scoring.periods import Period
from scoring.points.config import PointsConfig
from scoring.points.targets import agent_targets, team_targets
from scoring.reports.groups import Breakdowns
from scoring.revisits import RevisitRate
from surveys.assessment import adjustments as adj
from surveys.assessment import snapshots
from surveys.assessment.agent_reports import agent_reports
from surveys.assessment.breakdowns import load_breakdowns
from surveys.assessment.order_pass import OrderPass, month_orders, order_timeliness
from surveys.assessment.periods import AdjustmentLine, PeriodStatus, is_cycle_period, status
from surveys.assessment.reports import AgentReport, Extras, TeamReport, team_report
from surveys.assessment.reviews import review_stats
from surveys.assessment.revisit_rates import revisit_rates
from surveys.assessment.versions import by_id, for_period
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import Agent


async def extras_for(*, db: SessionFactory, period: Period, config: PointsConfig,
                     now: datetime, community_id: int | None = None
                     ) -> tuple[Extras, list[AdjustmentLine]]:
    """Return the adjustments still to carry into a 考核 period and its reviews (one scope)."""
    if not is_cycle_period(period, config):
        return Extras(), []
    lines = await adj.pending(db=db, target=period, lookback=config.cycle.adjustment_lookback,
                              now=now)
    async with db() as session:
        reviews = await review_stats(session, period_label=period.label,
                                     criteria=config.review.criteria)
        if community_id is not None:
            members = set((await session.exec(select(Agent.id).where(
                Agent.community_id == community_id))).all())
            lines = [line for line in lines if line.agent_id in members]
            reviews = {k: v for k, v in reviews.items() if k in members}
    totals: dict[int, float] = {}
    for line in lines:
        totals[line.agent_id] = totals.get(line.agent_id, 0.0) + line.delta
    return Extras(adjustments=totals, reviews=reviews), lines


async def _previous_totals(db: SessionFactory, report: TeamReport, before: PeriodStatus
                           ) -> dict[int, float | None]:
    if not before.final:
        return report.previous_totals
    snap = await snapshots.read_team(db=db, period=report.period.previous(), status=before,
                                     community_id=report.community.id if report.community
                                     else None)
    totals = {r.agent_id: r.total for r in snap.rows}
    return {r.agent_id: totals.get(r.agent_id) for r in report.rows}


async def _targets_config(db: SessionFactory, st: PeriodStatus, fallback: PointsConfig
                          ) -> PointsConfig:
    if st.final and st.config_version_id is not None:
        return (await by_id(db=db, version_id=st.config_version_id)).config
    return fallback


def _with_targets_team(report: TeamReport, config: PointsConfig) -> TeamReport:
    return replace(report, targets=team_targets(report.team, config.targets))


def _with_targets_agent(report: AgentReport, config: PointsConfig) -> AgentReport:
    return replace(report, targets=agent_targets(report.points, config.targets),
                   team_targets=team_targets(report.team, config.targets))


async def team_view(*, db: SessionFactory, period: Period, current: PointsConfig,
                    community_id: int | None = None, now: datetime | None = None,
                    live_extras: bool = True, orders: OrderPass | None = None) -> TeamReport:
    """Return the team report of a period: the snapshot when closed, else live.

    The 回访率 is read live in both cases (not part of the points, and 回访 go on after the
    close); the response and resolution times come from the snapshot when it stored them, else
    live, from one pass over the period's orders with the points' closed orders (`orders`
    when the caller made it, see `report_views`). `live_extras=False` leaves the live ones
    out (the export's weekly trend needs only the totals).
    """
    report = await _team_view(db=db, period=period, current=current,
                              community_id=community_id, now=now, live_extras=live_extras,
                              orders=orders)
    if not live_extras:
        return report
    rates = report.revisits  # read with the points when live; a snapshot has none
    if rates is None:
        rates = await revisit_rates(db=db, period=period, community_id=community_id)
    times = report.timeliness
    if times is None:
        times = await order_timeliness(db=db, period=period, community_id=community_id)
    return replace(report, revisits=rates, timeliness=times)


async def breakdowns_view(*, db: SessionFactory, period: Period, current: PointsConfig,
                          category_order: Iterable[str], community_id: int | None = None,
                          now: datetime | None = None, orders: OrderPass | None = None
                          ) -> Breakdowns:
    """Return the period's views by category and building: the snapshot's when closed."""
    st = await status(db=db, period=period, config=current, now=now or clock.now())
    if st.final:
        stored = await snapshots.read_groups(db=db, status=st, community_id=community_id,
                                             category_order=category_order)
        if stored is not None:
            return stored
    return await load_breakdowns(db=db, start=period.start, end=period.end,
                                 community_id=community_id, category_order=category_order,
                                 orders=orders.groups if orders is not None else None)


async def report_views(*, db: SessionFactory, period: Period, current: PointsConfig,
                       category_order: Iterable[str], community_id: int | None = None,
                       now: datetime | None = None) -> tuple[TeamReport, Breakdowns]:
    """Return the team report and the views by category and building of a period.

    A live period's orders are read once for both (times, closed orders, 回访率, orders by
    group); a closed one's come from its snapshot.
    """
    now = now or clock.now()
    st = await status(db=db, period=period, config=current, now=now)
    orders = None if st.final else await month_orders(db=db, period=period,
                                                      community_id=community_id)
    team = await team_view(db=db, period=period, current=current, community_id=community_id,
                           now=now, orders=orders)
    groups = await breakdowns_view(db=db, period=period, current=current, now=now,
                                   category_order=category_order, community_id=community_id,
                                   orders=orders)
    return team, groups


async def _team_view(*, db: SessionFactory, period: Period, current: PointsConfig,
                     community_id: int | None, now: datetime | None, live_extras: bool,
                     orders: OrderPass | None) -> TeamReport:
    now = now or clock.now()
    st = await status(db=db, period=period, config=current, now=now)
    if st.final:
        closed = await snapshots.read_team(db=db, period=period, status=st,
                                           community_id=community_id)
        return _with_targets_team(closed, await _targets_config(db, st, current))
    version = await for_period(db=db, period=period, current=current, now=now,
                               timezone=period.timezone)
    extras, lines = await extras_for(db=db, period=period, config=version.config, now=now,
                                     community_id=community_id)
    if live_extras and orders is None:
        orders = await month_orders(db=db, period=period, community_id=community_id)
    # A closed previous period's totals come from its snapshot: not computed live for nothing.
    before = await status(db=db, period=period.previous(), config=current, now=now)
    report = await team_report(db=db, period=period, config=version.config,
                               community_id=community_id, as_of=now, extras=extras,
                               closed=orders.closed if live_extras and orders else None,
                               previous_live=not before.final)
    if live_extras and orders is not None:
        report = replace(report, timeliness=orders.times)
    previous = await _previous_totals(db, report, before)
    return _with_targets_team(_with(report, st, version.id, lines, previous), version.config)


def _with(report: TeamReport, st: PeriodStatus, version_id: int,
          lines: list[AdjustmentLine], previous: dict[int, float | None]) -> TeamReport:
    return replace(report, status=replace(st, config_version_id=version_id),
                   adjustments=adj.by_agent(lines), previous_totals=previous)


async def agent_view(*, db: SessionFactory, agent_id: int, period: Period,
                     current: PointsConfig, now: datetime | None = None,
                     live_extras: bool = True) -> AgentReport:
    """Return one agent's report of a period: the snapshot when closed, else live.

    The agent's own 回访率 is read live in both cases; `live_extras=False` leaves it out
    (a trend or an export that needs only the points).
    """
    report = await _agent_view(db=db, agent_id=agent_id, period=period, current=current,
                               now=now)
    if not live_extras:
        return report
    rates = await revisit_rates(db=db, period=period, agent_id=agent_id)
    return replace(report, revisit=rates.agents.get(agent_id, RevisitRate()))


async def agent_views(*, db: SessionFactory, agent_ids: list[int], period: Period,
                      current: PointsConfig, now: datetime | None = None) -> list[AgentReport]:
    """Return several agents' reports (`agent_view` without the 回访率), each team once."""
    return await _agent_views(db=db, agent_ids=agent_ids, period=period, current=current,
                              now=now)


async def _agent_view(*, db: SessionFactory, agent_id: int, period: Period,
                      current: PointsConfig, now: datetime | None) -> AgentReport:
    return (await _agent_views(db=db, agent_ids=[agent_id], period=period, current=current,
                               now=now))[0]


async def _agent_views(*, db: SessionFactory, agent_ids: list[int], period: Period,
                       current: PointsConfig, now: datetime | None) -> list[AgentReport]:
    now = now or clock.now()
    st = await status(db=db, period=period, config=current, now=now)
    found: dict[int, AgentReport] = {}
    if st.final:
        config = await _targets_config(db, st, current)
        for agent_id in agent_ids:
            closed = await snapshots.read_agent(db=db, period=period, status=st,
                                                agent_id=agent_id)
            if closed is not None:
                found[agent_id] = _with_targets_agent(closed, config)
    live = [a for a in agent_ids if a not in found]
    if not live:
        return [found[a] for a in agent_ids]
    version = await for_period(db=db, period=period, current=current, now=now,
                               timezone=period.timezone)
    async with db() as session:
        community_of = dict((await session.exec(
            select(Agent.id, Agent.community_id).where(col(Agent.id).in_(live)))).all())
    prev_status = await status(db=db, period=period.previous(), config=current, now=now)
    # One team computation per community (the export asks for every agent of a team).
    for community_id in dict.fromkeys(community_of.get(a) for a in live):
        members = [a for a in live if community_of.get(a) == community_id]
        extras, lines = await extras_for(db=db, period=period, config=version.config, now=now,
                                         community_id=community_id)
        for report in await agent_reports(db=db, agent_ids=members, period=period,
                                          config=version.config, as_of=now, extras=extras):
            found[report.points.agent_id] = await _live_agent(
                db, report, replace(st, config_version_id=version.id), version.config,
                lines, prev_status)
    return [found[a] for a in agent_ids]


async def _live_agent(db: SessionFactory, report: AgentReport, st: PeriodStatus,
                      config: PointsConfig, lines: list[AdjustmentLine],
                      prev_status: PeriodStatus) -> AgentReport:
    agent_id = report.points.agent_id
    previous = report.previous
    if prev_status.final:
        snap = await snapshots.read_agent(db=db, period=report.period.previous(),
                                          status=prev_status, agent_id=agent_id)
        previous = snap.points if snap else None
    change = (report.points.total - previous.total if previous is not None
              and previous.total is not None and report.points.total is not None else None)
    return _with_targets_agent(
        replace(report, status=st, adjustments=[line for line in lines
                                                if line.agent_id == agent_id],
                previous=previous, change=change), config)
