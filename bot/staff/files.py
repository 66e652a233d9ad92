"""/export (XLSX via sendDocument) and /chart (PNG via sendPhoto) for managers."""

from __future__ import annotations

import asyncio

from bot.conversation.context import Context
from bot.render.repeats import category_text
from bot.staff.actions import SendFile, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.paging import BAD_PERIOD, clip
from scoring.periods import Period, parse_period
from scoring.reports.chart import build_matrix_chart, chart_from_export
from scoring.reports.groups import Breakdowns
from scoring.reports.xlsx import build_workbook
from surveys.assessment.exports import load_export
from surveys.assessment.views import breakdowns_view
from surveys.core import clock


def _period(staff: StaffDeps, args: str) -> Period:
    return parse_period(args.split()[0] if args else "week", timezone=staff.timezone,
                        now=clock.now())


def chart_title(tr: object, data: object) -> str:
    """The chart's title: assessment, period, scope."""
    team = data.team  # type: ignore[attr-defined]
    scope = team.community.name if team.community else tr._("all communities")  # type: ignore[attr-defined]
    return tr._("Agent points, {period}, {scope}",  # type: ignore[attr-defined, no-any-return]
                period=team.period.label, scope=scope)


async def export(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """Send the period's XLSX workbook."""
    try:
        period = _period(staff, args)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(args)))]
    data = await load_export(db=staff.db, period=period, config=staff.points,
                             community_id=ctx.me.manager_community_id, trend=False)
    groups = await _groups(staff, ctx, period)
    content = build_workbook(data, ctx.tr._, groups=groups,
                             category_name=lambda code: category_text(ctx.tr, code,
                                                                      staff.categories))
    caption = ctx.tr._("Assessment workbook, {period}: summary, one sheet per agent, "
                       "responses (phones masked) and complaints.", period=period.label)
    return [SendFile(ctx.who.chat_id, "document", f"ownervoice-{period.label}.xlsx", content,
                     caption)]


async def chart(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """Send the period's PNG chart."""
    try:
        period = _period(staff, args)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(args)))]
    data = await load_export(db=staff.db, period=period, config=staff.points,
                             community_id=ctx.me.manager_community_id)
    title = chart_title(ctx.tr, data)
    # Drawing takes a few hundred milliseconds: keep the event loop free meanwhile.
    content = await asyncio.to_thread(chart_from_export, data, title=title, gettext=ctx.tr._)
    buildings, codes, counts = (await _groups(staff, ctx, period)).matrix()
    matrix_title = ctx.tr._("Complaints by building and category, {period}",
                            period=period.label)
    matrix = await asyncio.to_thread(
        build_matrix_chart, [b or "—" for b in buildings],
        [category_text(ctx.tr, c or None, staff.categories) for c in codes], counts,
        title=matrix_title, gettext=ctx.tr._)
    return [SendFile(ctx.who.chat_id, "photo", f"ownervoice-{period.label}.png", content,
                     title),
            SendFile(ctx.who.chat_id, "photo", f"ownervoice-{period.label}-complaints.png",
                     matrix, matrix_title)]


async def _groups(staff: StaffDeps, ctx: Context, period: Period) -> Breakdowns:
    return await breakdowns_view(db=staff.db, period=period, current=staff.points,
                                 community_id=ctx.me.manager_community_id,
                                 category_order=staff.categories.codes())
