"""/export (XLSX via sendDocument) and /chart (PNG via sendPhoto) for managers."""

from __future__ import annotations

import asyncio

from bot.conversation.context import Context
from bot.i18n import N_, Translator
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

TOO_LARGE = N_("{name} ({size} MB) is larger than Telegram lets a bot send, so it was not "
               "sent. An administrator can write it on the server: {command}")


def too_large(tr: Translator, name: str, data: bytes, command: str) -> str:
    """What a manager is told when Telegram refuses a file as too large: the CLI command."""
    return tr._(TOO_LARGE, name=name, size=f"{len(data) / 1_000_000:.1f}", command=command)


def _period(staff: StaffDeps, args: str) -> Period:
    return parse_period(args.split()[0] if args else "week", timezone=staff.timezone,
                        now=clock.now())


def chart_title(tr: object, data: object) -> str:
    """Return the chart's title: assessment, period, scope."""
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
    name = f"ownervoice-{period.label}.xlsx"
    command = f"ownervoice report --period {period.label} --format xlsx --out {name}"
    return [SendFile(ctx.who.chat_id, "document", name, content, caption,
                     too_large=too_large(ctx.tr, name, content, command))]


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
    name = f"ownervoice-{period.label}.png"
    command = f"ownervoice report --period {period.label} --format png --out {name}"
    return [SendFile(ctx.who.chat_id, "photo", name, content, title,
                     too_large=too_large(ctx.tr, name, content, command)),
            SendFile(ctx.who.chat_id, "photo", f"ownervoice-{period.label}-complaints.png",
                     matrix, matrix_title,
                     too_large=too_large(ctx.tr, name, matrix, command))]


async def _groups(staff: StaffDeps, ctx: Context, period: Period) -> Breakdowns:
    return await breakdowns_view(db=staff.db, period=period, current=staff.points,
                                 community_id=ctx.me.manager_community_id,
                                 category_order=staff.categories.codes())
