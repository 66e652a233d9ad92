"""The report's views by category, by building and the agents' repeat rates, as text tables."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.numbers import DASH, num, pct
from bot.render.repeats import category_text
from bot.render.reports import table
from scoring.categories import CategoryConfig
from scoring.reports.groups import Breakdowns, GroupRow


def _cells(tr: Translator, row: GroupRow) -> list[str]:
    return [num(tr, row.orders, 0), num(tr, row.repeats, 0), pct(tr, row.repeat_rate),
            num(tr, row.complaints, 0), num(tr, row.mean_overall, 2)]


def _header(tr: Translator, first: str) -> list[str]:
    return [first, tr._("Orders"), tr._("Repeats"), tr._("Repeat rate"), tr._("Complaints"),
            tr._("Mean overall")]


def render_breakdowns(found: Breakdowns, tr: Translator, categories: CategoryConfig) -> str:
    """Render the period's orders by category and by building, and repeats by agent."""
    if not found.by_category and not found.by_building:
        return tr._("No work orders closed in this period by category or building.")
    right = {1, 2, 3, 4, 5}
    lines = [tr._("By category")]
    lines += table(_header(tr, tr._("Category")),
                   [[category_text(tr, r.key or None, categories), *_cells(tr, r)]
                    for r in found.by_category], right)
    lines += ["", tr._("By building")]
    lines += table(_header(tr, tr._("Building")),
                   [[r.key or DASH, *_cells(tr, r)] for r in found.by_building], right)
    agents = [r for r in found.by_agent if r.orders]
    if agents:
        lines += ["", tr._("Repeat problems by agent (their orders that came back within "
                           "{days} days)", days=f"{categories.repeat_days:g}")]
        lines += table([tr._("Agent"), tr._("Orders"), tr._("Came back"), tr._("Repeat rate")],
                       [[r.key, num(tr, r.orders, 0), num(tr, r.repeats, 0),
                         pct(tr, r.repeat_rate)] for r in agents], {1, 2, 3})
    return "\n".join(lines)
