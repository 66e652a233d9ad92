"""The text of each paginated view, built again on every page turn.

Views: "me" (the agent's own report; arg = period), "rep" (team report; arg = period),
"ag" (one agent; arg = "<agent id>~<period>"), "cpl" (a manager's complaint list).
"""

from __future__ import annotations

from bot.conversation.context import Context
from bot.render.agent_report import render_agent_report
from bot.render.alerts import local_time, status_text, tags_text
from bot.render.breakdowns import render_breakdowns
from bot.render.numbers import num
from bot.render.reports import render_team_report
from bot.staff.deps import StaffDeps
from scoring.periods import Period, parse_period
from surveys.assessment import views as assessment
from surveys.complaints import queries
from surveys.core import clock
from surveys.core.pii import mask_phones
from surveys.people.scope import agent_in_community

TREND_WEEKS = 4


class ViewRefused(Exception):
    """The viewer may not see this view (the message says why)."""


async def check_access(staff: StaffDeps, ctx: Context, view: str, arg: str) -> None:
    """Raise ViewRefused unless this person may see the view (checked again on every tap)."""
    if view in ("cpl", "rep"):
        allowed = ctx.me.is_manager
    elif view == "me":
        allowed = ctx.me.agent_id is not None
    elif view == "ag":
        allowed = ctx.me.is_manager and await agent_in_community(
            db=staff.db, agent_id=int(arg.partition("~")[0]),
            community_id=ctx.me.manager_community_id)
    else:
        raise ValueError(view)
    if not allowed:
        raise ViewRefused()


async def build_text(staff: StaffDeps, ctx: Context, view: str, arg: str) -> str:
    """Build the full text of a view (raises ValueError on a bad period)."""
    await check_access(staff, ctx, view, arg)
    if view == "cpl":
        return await complaints_text(staff, ctx)
    if view == "ag":
        agent_id_text, _, period_text = arg.partition("~")
        agent_id = int(agent_id_text)
        period = parse_period(period_text or "week", timezone=staff.timezone, now=clock.now())
        report = await assessment.agent_view(db=staff.db, agent_id=agent_id, period=period,
                                             current=staff.points)
        trend = await trend_line(staff, ctx, agent_id, period)
        return render_agent_report(report, ctx.tr) + "\n\n" + trend
    period = parse_period(arg or "week", timezone=staff.timezone, now=clock.now())
    if view == "me":
        assert ctx.me.agent_id is not None  # check_access
        report = await assessment.agent_view(db=staff.db, agent_id=ctx.me.agent_id,
                                             period=period, current=staff.points)
        return render_agent_report(report, ctx.tr)
    team, groups = await assessment.report_views(
        db=staff.db, period=period, current=staff.points,
        community_id=ctx.me.manager_community_id, category_order=staff.categories.codes())
    return (render_team_report(team, ctx.tr) + "\n\n"
            + render_breakdowns(groups, ctx.tr, staff.categories))


async def trend_line(staff: StaffDeps, ctx: Context, agent_id: int, period: Period) -> str:
    """Describe the agent's total over the last few periods, oldest first."""
    periods = [period]
    for _ in range(TREND_WEEKS - 1):
        periods.insert(0, periods[0].previous())
    parts = []
    for p in periods:
        r = await assessment.agent_view(db=staff.db, agent_id=agent_id, period=p,
                                        current=staff.points, live_extras=False)
        parts.append(f"{p.label}: {num(ctx.tr, r.points.total)}")
    return ctx.tr._("Trend: {points}", points="  →  ".join(parts))


async def complaints_text(staff: StaffDeps, ctx: Context) -> str:
    """Open complaints grouped by agent, overdue ones first and marked."""
    tr = ctx.tr
    views = await queries.list_complaints(
        db=staff.db, viewer_telegram_user_id=ctx.user_id,
        status=list(queries.OPEN_STATUSES), limit=200)
    if not views:
        return tr._("No open complaints.")
    overdue = sum(1 for v in views if v.overdue or v.resolve_overdue)
    lines = [tr._("Open complaints: {n}, overdue: {overdue}", n=len(views), overdue=overdue)]
    by_agent: dict[str, list[str]] = {}
    for v in sorted(views, key=lambda v: (not v.overdue, v.ack_deadline)):
        agent = v.agent_name or tr._("nobody")
        mark = ("⏰ " if v.overdue or v.resolve_overdue else "") + (
            "🔁 " if v.work_order_occurrence > 1 else "")
        text = mask_phones((v.text or "").replace("\n", " "))  # before cutting it short
        by_agent.setdefault(agent, []).append(
            f"{mark}#{v.id} {status_text(tr, v.status)} · {tags_text(tr, v.tags) or '—'} · "
            f"{tr._('due')} {local_time(v.ack_deadline)} · {text[:40]}")
    for agent, rows in by_agent.items():
        lines += ["", f"{agent} ({len(rows)})", *rows]
    return "\n".join(lines)
