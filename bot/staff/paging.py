"""Paginated report views: built again on each page turn from the view name and argument.

Views: "me" (the agent's own report; arg = period), "rep" (team report; arg = period),
"ag" (one agent; arg = "<agent id>~<period>"), "cpl" (a manager's complaint list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.i18n import N_
from bot.staff import callbacks as cb
from bot.staff import corrections
from bot.staff.actions import Edit, StaffAction
from bot.staff.pages import paginate
from surveys.core import clock
from surveys.outbox.ports import Button, Keyboard

if TYPE_CHECKING:
    from bot.staff.core import Staff

BAD_PERIOD = N_("Sorry, I don't understand the period “{text}”. Try: week, month, last-week, "
                "2026-11 or 2026-W47.")


def clip(text: str, limit: int = 40) -> str:
    """Shorten what a person typed before quoting it back (a reply must fit one message)."""
    return text if len(text) <= limit else text[:limit] + "…"


class ViewRefused(Exception):
    """The viewer may not see this view (the message says why)."""


async def build_text(staff: Staff, ctx: Context, view: str, arg: str) -> str:
    """Build the full text of a view (raises ValueError on a bad period)."""
    from bot.render.reports import render_agent_report, render_team_report
    from bot.staff import manager
    from scoring.periods import parse_period
    from surveys.assessment import reports as assessment

    if view == "cpl":
        if not ctx.me.is_manager:
            raise ViewRefused()
        return await manager.complaints_text(staff, ctx)
    if view == "ag":
        agent_id_text, _, period_text = arg.partition("~")
        agent_id = int(agent_id_text)
        if not await manager.may_see_agent(staff, ctx, agent_id):
            raise ViewRefused()
        period = parse_period(period_text or "week", timezone=staff.timezone, now=clock.now())
        report = await assessment.agent_report(db=staff.db, agent_id=agent_id, period=period,
                                               config=staff.points)
        trend = await manager.trend_line(staff, ctx, agent_id, period)
        return render_agent_report(report, ctx.tr) + "\n\n" + trend
    period = parse_period(arg or "week", timezone=staff.timezone, now=clock.now())
    if view == "me":
        if ctx.me.agent_id is None:
            raise ViewRefused()
        report = await assessment.agent_report(db=staff.db, agent_id=ctx.me.agent_id,
                                               period=period, config=staff.points)
        return render_agent_report(report, ctx.tr)
    if view == "rep":
        if not ctx.me.is_manager:
            raise ViewRefused()
        team = await assessment.team_report(db=staff.db, period=period, config=staff.points,
                                            community_id=ctx.me.manager_community_id)
        return render_team_report(team, ctx.tr)
    raise ValueError(view)


def nav(staff: Staff, ctx: Context, view: str, arg: str, page: int, total: int
        ) -> Keyboard | None:
    """Previous / next buttons (none for a single page)."""
    if total <= 1:
        return None
    row = []
    if page > 1:
        row.append(Button("◀️ " + ctx.tr._("Previous"), cb.pack(staff.key, cb.PAGE, view, arg,
                                                             page - 1)))
    row.append(Button(f"{page}/{total}", cb.pack(staff.key, cb.PAGE, view, arg, page)))
    if page < total:
        row.append(Button(ctx.tr._("Next") + " ▶️", cb.pack(staff.key, cb.PAGE, view, arg,
                                                         page + 1)))
    return [row]


def keyboard(staff: Staff, ctx: Context, view: str, arg: str, page: int, pages: list[str]
             ) -> Keyboard | None:
    """Page buttons; on the manager's complaint list also a ✏️ button per complaint shown."""
    rows = nav(staff, ctx, view, arg, page, len(pages)) or []
    if view == "cpl":
        rows = corrections.list_buttons(ctx, staff.key, pages[page - 1]) + rows
    return rows or None


async def first_page(staff: Staff, ctx: Context, view: str, arg: str
                     ) -> list[StaffAction]:
    """Send page 1 of a view with its page buttons."""
    try:
        text = await build_text(staff, ctx, view, arg)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(arg.rpartition("~")[2])))]
    except ViewRefused:
        return [ctx.send(ctx.tr._("Sorry, you may not see this."))]
    pages = paginate(text)
    return [ctx.send(pages[0], buttons=keyboard(staff, ctx, view, arg, 1, pages), pre=True)]


async def turn(staff: Staff, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
               message_id: int | None) -> list[StaffAction]:
    """Show another page of a view in place."""
    import html

    view, arg, page = parsed.fields[0], parsed.fields[1], int(parsed.fields[2])
    try:
        text = await build_text(staff, ctx, view, arg)
    except ViewRefused:
        return [AnswerCallback(callback_id, ctx.tr._("Sorry, you may not see this."))]
    pages = paginate(text)
    page = max(1, min(page, len(pages)))
    actions: list[StaffAction] = [AnswerCallback(callback_id)]
    if message_id is not None:
        actions.append(Edit(
            ctx.who.chat_id, message_id, f"<pre>{html.escape(pages[page - 1])}</pre>",
            buttons=keyboard(staff, ctx, view, arg, page, pages),
            parse_mode="HTML"))
    return actions
