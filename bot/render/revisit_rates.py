"""The 回访率 lines of the team report: per community, per agent, complaint orders vs 100 %."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.numbers import pct1
from scoring.points.model import AgentPoints
from scoring.revisits import COMPLAINT_TARGET, RevisitRate, RevisitRates


def _rate(tr: Translator, rate: RevisitRate) -> str:
    return tr._("{answered}/{closed} ({rate})", answered=rate.answered, closed=rate.closed,
                rate=pct1(tr, rate.rate))


def revisit_lines(tr: Translator, rates: RevisitRates | None,
                  rows: list[AgentPoints]) -> list[str]:
    """Return the 回访率 lines (empty without a closed order)."""
    if rates is None or not rates.total.closed:
        return []
    communities = " · ".join(f"{name} {_rate(tr, r)}"
                             for name, r in sorted(rates.communities.items()))
    lines = [tr._("回访 rate (answered by any channel ÷ orders closed): {parts}.",
                  parts=communities)]
    names = {r.agent_id: r.name or r.external_id for r in rows}
    agents = [f"{names[a]} {_rate(tr, r)}" for a, r in sorted(rates.agents.items())
              if a in names]
    if agents:
        lines.append(tr._("回访 rate by agent: {parts}.", parts=" · ".join(agents)))
    total = rates.total
    if total.complaint_closed:
        mark = "✅" if total.complaint_target_met else "❌"
        lines.append(tr._("Complaint 回访 rate: {answered}/{closed} ({rate}; target {target}) "
                          "{mark}", answered=total.complaint_answered,
                          closed=total.complaint_closed, rate=pct1(tr, total.complaint_rate),
                          target=pct1(tr, COMPLAINT_TARGET), mark=mark))
    return lines
