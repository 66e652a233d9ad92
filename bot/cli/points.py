"""`ownervoice points …`: the 考核 cycle on the command line.

    ownervoice points close 2026-11 [--by NAME]          # close a period (after its window)
    ownervoice points config                              # the weight versions, oldest first
    ownervoice points payroll 2026-11 --output FILE.xlsx|FILE.csv [--community CODE]

Messages are in the terminal's language (or --lang); a refusal is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli._db import with_db
from bot.cli.errors import EXIT_ERROR, N_, REFUSED, CliError, cannot_write, terminal_tr
from bot.cli.private import write_private
from bot.i18n import Translator
from surveys.core import clock

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

PAYROLL_KINDS = (".xlsx", ".csv")
PAYROLL_FILE = N_("ownervoice {command}: --output must end in .xlsx or .csv, not {path}")
BAD_PERIOD = N_("ownervoice {command}: “{period}” is not a 考核 period; write it like 2026-11 "
                "or 2026年11月 (or 2026-Q4 or 2026年第4季度 with a quarterly cycle)")


def register(subparsers: Any) -> None:
    """Add the `points` parser and its actions."""
    points = subparsers.add_parser("points", help="the 考核 cycle: close, weight versions, "
                                                  "payroll")
    sub = points.add_subparsers(dest="action", metavar="ACTION")
    close = sub.add_parser("close", help="close a period: its figures become final")
    close.add_argument("period", help="e.g. 2026-11 (or 2026-Q4 with a quarterly cycle)")
    close.add_argument("--by", default="admin", help="the name recorded as closer")
    config = sub.add_parser("config", help="list the versions of the points weights")
    payroll = sub.add_parser("payroll", help="write the payroll file of a closed period")
    payroll.add_argument("period", help="e.g. 2026-11 (or 2026-Q4 with a quarterly cycle)")
    payroll.add_argument("--output", "--out", required=True, help="FILE.xlsx or FILE.csv")
    payroll.add_argument("--community", help="community code (default: all communities)")
    for p, func in ((close, _close), (config, _config), (payroll, _payroll)):
        p.add_argument("--db-url", help="database URL (default: database.url from config)")
        p.add_argument("--lang", choices=["zh_CN", "en"], help="default: the terminal's")
        p.set_defaults(func=_guarded(func))
    points.set_defaults(func=lambda _args: points.print_help(sys.stderr) or EXIT_ERROR)


def _period(args: argparse.Namespace, settings: Settings) -> Any:
    from scoring.periods import parse_period  # why: CLI start-up stays fast

    try:
        return parse_period(args.period, timezone=settings.schedule.timezone, now=clock.now())
    except ValueError:
        raise CliError(BAD_PERIOD, period=args.period) from None


def _guarded(func: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from bot.staff.cycle import refusal  # why: CLI start-up stays fast
        from surveys.core.errors import DomainError  # why: CLI start-up stays fast

        tr = terminal_tr(args.lang)
        zone: list[str] = []

        async def action(db: SessionFactory, settings: Settings) -> int:
            zone.append(settings.schedule.timezone)
            return int(await func(args, db, settings, tr))

        try:
            return asyncio.run(with_db(args.db_url, action))
        except DomainError as exc:
            # The domain's refusal in the reader's words (its own text is for logs).
            reason = refusal(tr, exc, zone[0] if zone else "Asia/Shanghai")
            print(tr._(REFUSED, command=f"points {args.action}", reason=reason),
                  file=sys.stderr)
            return EXIT_ERROR

    return run


async def _close(args: argparse.Namespace, db: SessionFactory, settings: Settings,
                 tr: Translator) -> int:
    from bot.render.cycle_lines import waiting_appeals  # why: CLI start-up stays fast
    from surveys.assessment.cycle import Closer, close_period  # why: CLI start-up stays fast
    from surveys.assessment.periods import pending_appeals  # why: CLI start-up stays fast

    tz = settings.schedule.timezone
    period = _period(args, settings)
    done = await close_period(db=db, period=period, current=settings.points, timezone=tz,
                              closer=Closer(role="admin", id=None, name=args.by))
    print(tr.n_("{label} is closed: {n} agent's figures are final (weights version "
                "{version}); messages queued: {sent}.",
                "{label} is closed: {n} agents' figures are final (weights version "
                "{version}); messages queued: {sent}.", done.agents, label=done.label,
                version=done.config_version_id, sent=done.notices))
    if waiting := await pending_appeals(db=db, period=period):
        print(waiting_appeals(tr, waiting, done.label))
    return 0


async def _config(args: argparse.Namespace, db: SessionFactory, settings: Settings,
                  tr: Translator) -> int:
    import json  # why: CLI start-up stays fast

    from surveys.assessment.versions import (  # why: CLI start-up stays fast
        canonical,
        for_period,
        list_versions,
    )
    from surveys.assessment.versions import (
        cycle_period as current_period,  # why: CLI start-up stays fast
    )

    tz = settings.schedule.timezone
    now = clock.now()
    await for_period(db=db, period=current_period(now, settings.points, tz),
                     current=settings.points, now=now, timezone=tz)
    for v in await list_versions(db=db):
        at = v.created_at.strftime("%Y-%m-%d %H:%M")
        print(tr._("version {id}: from {since} (registered {at})", id=v.id,
                   since=v.effective_label, at=at) if v.effective_label else
              tr._("version {id}: for every period (registered {at})", id=v.id, at=at))
        print(json.dumps(canonical(v.config), ensure_ascii=False, sort_keys=True))
    return 0


async def _payroll(args: argparse.Namespace, db: SessionFactory, settings: Settings,
                   tr: Translator) -> int:
    from scoring.reports.payroll import build_csv, build_xlsx  # why: CLI start-up stays fast
    from surveys.assessment.payroll import payroll  # why: CLI start-up stays fast
    from surveys.assessment.reports import find_community_id  # why: CLI start-up stays fast

    out = Path(args.output)
    if out.suffix.lower() not in PAYROLL_KINDS:
        raise CliError(PAYROLL_FILE, path=args.output)
    period = _period(args, settings)
    community = (await find_community_id(db=db, code=args.community)
                 if args.community else None)
    sheet = await payroll(db=db, period=period, current=settings.points,
                          community_id=community)
    data = build_csv(sheet, tr._) if out.suffix.lower() == ".csv" else build_xlsx(sheet, tr._)
    try:
        await asyncio.to_thread(write_private, out, data)
    except OSError as exc:
        raise cannot_write(exc, args.output) from None
    print(tr.n_("Payroll {label}: {n} agent written to {path}.",
                "Payroll {label}: {n} agents written to {path}.", len(sheet.rows),
                label=period.label, path=str(out)))
    return 0
