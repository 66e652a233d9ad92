"""The 回访率 lines: the team report's (per community, per agent) and one agent's own; complaint
orders against 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import Translator
from bot.render.numbers import pct1
from scoring.revisits import COMPLAINT_TARGET, RevisitRate, RevisitRates


def _rate(tr: Translator, rate: RevisitRate) -> str:
    return tr._("{answered}/{closed} ({rate})", answered=rate.answered, closed=rate.closed,
                rate=pct1(tr, rate.rate))


def _complaint_rate(tr: Translator, rate: RevisitRate) -> str:
    mark = "✅" if rate.complaint_target_met else "❌"
    return tr._("{answered}/{closed} ({rate}; target {target}) {mark}",
                answered=rate.complaint_answered, closed=rate.complaint_closed,
                rate=pct1(tr, rate.complaint_rate), target=pct1(tr, COMPLAINT_TARGET),
                mark=mark)


def own_revisit_pairs(tr: Translator, rate: RevisitRate | None) -> list[tuple[str, str]]:
    """Return one agent's 回访率 as (label, value) pairs (empty without a closed order)."""
    if rate is None or not rate.closed:
        return []
    pairs = [(tr._("回访 rate"), _rate(tr, rate))]
    if rate.complaint_closed:
        pairs.append((tr._("Complaint 回访 rate"), _complaint_rate(tr, rate)))
    return pairs


def own_revisit_lines(tr: Translator, rate: RevisitRate | None) -> list[str]:
    """Return one agent's 回访率 as sentences (empty without a closed order)."""
    if rate is None or not rate.closed:
        return []
    lines = [tr._("回访 rate (answered by any channel ÷ orders closed): {parts}.",
                  parts=_rate(tr, rate))]
    if rate.complaint_closed:
        lines.append(tr._("Complaint 回访 rate: {parts}", parts=_complaint_rate(tr, rate)))
    return lines


def revisit_lines(tr: Translator, rates: RevisitRates | None,
                  names: Mapping[int, str]) -> list[str]:
    """Return the team's 回访率 lines, agents by name (empty without a closed order)."""
    if rates is None or not rates.total.closed:
        return []
    communities = " · ".join(f"{name} {_rate(tr, r)}"
                             for name, r in sorted(rates.communities.items()))
    lines = [tr._("回访 rate (answered by any channel ÷ orders closed): {parts}.",
                  parts=communities)]
    agents = [f"{names[a]} {_rate(tr, r)}" for a, r in sorted(rates.agents.items())
              if a in names]
    if agents:
        lines.append(tr._("回访 rate by agent: {parts}.", parts=" · ".join(agents)))
    if rates.total.complaint_closed:
        lines.append(tr._("Complaint 回访 rate: {parts}",
                          parts=_complaint_rate(tr, rates.total)))
    return lines
