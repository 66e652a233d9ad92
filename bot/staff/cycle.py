"""Managers close a 考核 period in chat (`/close 2026-11`, then a confirmation button) and get
the payroll file (`/payroll 2026-11`); everyone may ask `/how [period]`."""

from __future__ import annotations

from bot.conversation.actions import AnswerCallback, Edit
from bot.conversation.context import Context
from bot.i18n import Translator
from bot.render.cycle_lines import local_day, waiting_appeals
from bot.render.errors import error_text
from bot.render.how import explain
from bot.staff import callbacks as cb
from bot.staff.actions import SendFile, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.files import too_large
from bot.staff.paging import BAD_PERIOD, clip, first_page
from scoring.periods import Period, parse_period
from scoring.reports.payroll import build_csv, build_xlsx
from surveys.assessment import cycle, payroll
from surveys.assessment.errors import CloseNotYours, PeriodAlreadyClosed, PeriodNotClosable
from surveys.assessment.periods import pending_appeals, status
from surveys.assessment.versions import by_id, for_period
from surveys.core import clock
from surveys.core.errors import DomainError
from surveys.outbox.ports import Button

YES, NO = "1", "0"


def period_arg(staff: StaffDeps, args: str, default: str = "last-month") -> Period:
    """Return the period a command names (default: the last 考核 period, month or quarter)."""
    text = args.split()[0] if args.strip() else default
    if text == "last-month" and staff.points.cycle.period == "quarter":
        current = parse_period("month", timezone=staff.timezone, now=clock.now())
        return parse_period(f"{current.first_day.year}-Q{(current.first_day.month - 1) // 3 + 1}",
                            timezone=staff.timezone).previous()
    return parse_period(text, timezone=staff.timezone, now=clock.now())


def refusal(tr: Translator, exc: DomainError, timezone: str) -> str:
    """Say politely why a period cannot be closed (or its payroll not made)."""
    when = None
    if isinstance(exc, CloseNotYours):
        sep = "、" if tr.locale == "zh_CN" else ", "
        return error_text(tr, exc, names=sep.join(exc.closers))
    if isinstance(exc, PeriodAlreadyClosed):
        when = local_day(exc.closed_at, timezone)
    elif isinstance(exc, PeriodNotClosable):
        when = local_day(exc.until, timezone)
    return error_text(tr, exc, when=when)


async def close(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/close [period]: check it may be closed, then ask for confirmation with a button."""
    tr = ctx.tr
    try:
        period = period_arg(staff, args)
    except ValueError:
        return [ctx.send(tr._(BAD_PERIOD, text=clip(args)))]
    try:
        await cycle.check_closable(db=staff.db, period=period, config=staff.points,
                                   now=clock.now())
        if ctx.me.manager_id is not None:
            await cycle.manager_closer(db=staff.db, manager_id=ctx.me.manager_id,
                                       label=period.label)
    except DomainError as exc:
        return [ctx.send(refusal(tr, exc, staff.timezone))]
    buttons = [[Button("✅ " + tr._("Close {label}", label=period.label),
                       cb.pack(staff.key, cb.CLOSE, period.label, YES)),
                Button(tr._("Cancel"), cb.pack(staff.key, cb.CLOSE, period.label, NO))]]
    text = tr._("Close {label}? Its figures become final for everyone: reports, payroll and "
                "/me will show this snapshot from then on, and later corrections go to the "
                "next period as adjustments.", label=period.label)
    waiting = await pending_appeals(db=staff.db, period=period)
    if waiting:
        text += "\n\n" + waiting_appeals(tr, waiting, period.label)
    return [ctx.send(text, buttons=buttons)]


async def payroll_files(staff: StaffDeps, ctx: Context, period: Period) -> list[StaffAction]:
    """Send the payroll XLSX and CSV of a closed period in the manager's scope."""
    sheet = await payroll.payroll(db=staff.db, period=period, current=staff.points,
                                  community_id=ctx.me.manager_community_id)
    name = f"payroll-{period.label}"
    caption = ctx.tr._("Payroll {label}: agent, community, points, grade, rank and bonus "
                       "coefficient (closed by {name}).", label=period.label,
                       name=sheet.closed_by)
    return [_payroll_file(ctx, period, f"{name}.{kind}", content, caption if kind == "xlsx"
                          else None)
            for kind, content in (("xlsx", build_xlsx(sheet, ctx.tr._)),
                                  ("csv", build_csv(sheet, ctx.tr._)))]


def _payroll_file(ctx: Context, period: Period, name: str, content: bytes,
                  caption: str | None) -> SendFile:
    command = f"ownervoice points payroll {period.label} --output {name}"
    return SendFile(ctx.who.chat_id, "document", name, content, caption,
                    too_large=too_large(ctx.tr, name, content, command))


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Handle the confirmation button: close (once, whoever taps first) or cancel."""
    tr = ctx.tr
    if not ctx.me.is_manager or ctx.me.manager_id is None:
        return [AnswerCallback(callback_id, tr._("Sorry, this button is for managers only."),
                               alert=True)]
    label, answer = parsed.fields[0], parsed.fields[1]
    period = parse_period(label, timezone=staff.timezone)
    edit: list[StaffAction] = []
    if answer != YES:
        if message_id is not None:
            edit.append(Edit(ctx.who.chat_id, message_id, tr._("Not closed.")))
        return [AnswerCallback(callback_id), *edit]
    try:
        closer = await cycle.manager_closer(db=staff.db, manager_id=ctx.me.manager_id,
                                             label=period.label)
        done = await cycle.close_period(db=staff.db, period=period, current=staff.points,
                                        timezone=staff.timezone, closer=closer)
    except DomainError as exc:
        return [AnswerCallback(callback_id, refusal(tr, exc, staff.timezone), alert=True)]
    if message_id is not None:
        edit.append(Edit(ctx.who.chat_id, message_id, tr.n_(
            "{label} is closed: {n} agent's figures are final; each agent has been told.",
            "{label} is closed: {n} agents' figures are final; each agent has been told.",
            done.agents, label=done.label)))
    # The final table is the closed period's /report: a long one turns pages (◀️ 1/3 ▶️).
    table = await first_page(staff, ctx, "rep", period.label)
    return [AnswerCallback(callback_id, tr._("Closed.")), *edit, *table,
            *await payroll_files(staff, ctx, period)]


async def payroll_command(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/payroll [period]: the payroll files of a closed period."""
    try:
        period = period_arg(staff, args)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(args)))]
    try:
        return await payroll_files(staff, ctx, period)
    except DomainError as exc:
        return [ctx.send(refusal(ctx.tr, exc, staff.timezone))]


async def how(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/how [period]: how the points are computed, with the weights in force then."""
    try:
        period = period_arg(staff, args, default="month")
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(args)))]
    st = await status(db=staff.db, period=period, config=staff.points, now=clock.now())
    if st.final and st.config_version_id is not None:
        version = await by_id(db=staff.db, version_id=st.config_version_id)
    else:
        version = await for_period(db=staff.db, period=period, current=staff.points,
                                   now=clock.now(), timezone=staff.timezone)
    return [ctx.send(explain(ctx.tr, period, version.config, version.id, st,
                             agent=ctx.me.agent_id is not None))]
