"""The /report lines of objective timeliness: response and resolution times (p50 / p90) for
the team, per agent beside the owners' timeliness stars, per category, and the share of
urgent orders within the norm (respond within 2 h, resolve within 24 h)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.render.numbers import DASH, num, pct
from scoring.points.model import AgentPoints
from scoring.timeliness import TimelinessReport, TimesFigures, group_label


def _pair(tr: Translator, p50: float | None, p90: float | None) -> str:
    if p50 is None:
        return DASH
    return tr._("{p50} / {p90} h", p50=num(tr, p50), p90=num(tr, p90))


def _times(tr: Translator, f: TimesFigures) -> str:
    return tr.n_("response {response} ({responded} of {orders} order with a first action), "
                 "resolution {resolution}",
                 "response {response} ({responded} of {orders} orders with a first action), "
                 "resolution {resolution}", f.orders,
                 response=_pair(tr, f.response_p50, f.response_p90), responded=f.responded,
                orders=f.orders, resolution=_pair(tr, f.resolution_p50, f.resolution_p90))


def _stars(tr: Translator, p: AgentPoints | None) -> str:
    rating = p.dimensions["timeliness"].mean_rating if p and "timeliness" in p.dimensions else None
    return DASH if rating is None else f"{num(tr, rating, 2)}⭐"


def timeliness_lines(tr: Translator, report: TimelinessReport | None,
                     agents: Sequence[AgentPoints]) -> list[str]:
    """Return the timeliness section of the team report (empty without timed orders)."""
    if report is None or not report.team.orders:
        return []
    team, norm = report.team, report.norm
    lines = ["", tr._("Objective timeliness (p50 / p90, from the orders' times):"),
             tr._("Team: {times}.", times=_times(tr, team))]
    if team.urgent:
        lines.append(tr._(
            "Urgent orders: {n}; responded within {response_h} h: {response}; resolved within "
            "{resolution_h} h: {resolution}.", n=team.urgent,
            response_h=num(tr, norm.urgent_response_hours, 0),
            response=pct(tr, team.urgent_response_within),
            resolution_h=num(tr, norm.urgent_resolution_hours, 0),
            resolution=pct(tr, team.urgent_resolution_within)))
    by_id = {p.agent_id: p for p in agents}
    for agent_id, figures in sorted(report.by_agent.items(),
                                    key=lambda item: (by_id.get(item[0]) is None, item[0])):
        p = by_id.get(agent_id)
        lines.append(tr._("{agent}: {times}; owners' timeliness stars {stars}.",
                          agent=(p.name or p.external_id) if p else f"#{agent_id}",
                          times=_times(tr, figures), stars=_stars(tr, p)))
    for group, figures in sorted(report.by_group.items()):
        lines.append(tr._("{kind}: {times}.", kind=tr._(group_label(group)),
                          times=_times(tr, figures)))
    return lines
