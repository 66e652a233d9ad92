"""The `ownervoice report` subcommand: the team ranking or one agent's points for a period.

    ownervoice report --period 2026-W47|2026-11|FROM..TO|week|month|last-week|last-month
                      [--agent ID] [--community CODE] [--format text|json] [--lang zh_CN|en]
                      [--output FILE] [--db-url URL]

Output formats are looked up in FORMATS (name -> "module:function"), imported only when
used. A writer is `(report, tr, args) -> str | bytes` where report is a TeamReport or an
AgentReport; text goes to stdout unless --output is given, bytes need --output. The XLSX and
PNG exports plug in by adding entries here.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli._db import with_current_db
from bot.cli.errors import N_, CliError, cannot_write
from bot.cli.private import write_private
from surveys.core import clock
from surveys.core.errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.config import Settings
    from bot.i18n import Translator
    from surveys.assessment.reports import AgentReport, TeamReport
    from surveys.core.db import SessionFactory

    Report = TeamReport | AgentReport
    Writer = Callable[[Report, Translator, argparse.Namespace], str | bytes]

FORMATS: dict[str, str] = {
    "text": "bot.cli.report:format_text",
    "json": "bot.cli.report:format_json",
    "xlsx": "bot.cli.report_files:format_xlsx",
    "png": "bot.cli.report_files:format_png",
}


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "report", help="agent assessment for a period: team ranking or one agent's detail"
    )
    parser.add_argument(
        "--period", required=True,
        help="2026-W47, 2026-11, 2026-11-01..2026-11-15, week, month, last-week, last-month",
    )
    parser.add_argument("--agent", help="the agent's staff id, numeric id or name (as /agent): "
                        "detail report")
    parser.add_argument("--community", help="community code (default: all communities)")
    parser.add_argument("--format", default="text", choices=sorted(FORMATS),
                        help="text (default), json, or a file: xlsx, png (need --output)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="default: default_language")
    parser.add_argument("--output", "--out", help="write to this file instead of stdout")
    parser.add_argument("--limit", type=int, default=None,
                        help="list at most this many records per section of a detail report")
    parser.add_argument(
        "--db-url", help="database URL (default: database.url from the config/environment)"
    )
    parser.set_defaults(func=_run)


def _jsonable(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_dict(report: Report) -> dict[str, Any]:
    """Turn a TeamReport or AgentReport into plain JSON-ready data."""
    data = dataclasses.asdict(report)
    data["period"]["label"] = report.period.label
    data["kind"] = "agent" if hasattr(report, "breakdown") else "team"
    return data


def format_json(report: Report, tr: Translator, args: argparse.Namespace) -> str:
    """Write the report as one JSON document (numbers unrounded, ids and timestamps)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2, default=_jsonable) + "\n"


def format_text(report: Report, tr: Translator, args: argparse.Namespace) -> str:
    """Write the report as the aligned plain-text table managers get in chat."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.render.agent_report import render_agent_report
    from bot.render.reports import render_team_report
    from surveys.assessment.reports import AgentReport

    if isinstance(report, AgentReport):
        return render_agent_report(report, tr, limit=getattr(args, "limit", None)) + "\n"
    return render_team_report(report, tr) + "\n"


def _writer(name: str) -> Writer:
    module, _, func = FORMATS[name].partition(":")
    writer: Writer = getattr(importlib.import_module(module), func)
    return writer


BAD_PERIOD = N_("ownervoice report: “{period}” is not a period; try week, month, last-week, "
                "last-month, 2026-11, 2026-W47 or 2026-11-01..2026-11-15, or in Chinese 本周, "
                "上周, 本月, 上月, 2026年11月 or 2026年第47周")
NO_AGENT = N_("ownervoice report: no agent “{agent}” (give a staff id, a numeric id or a name; "
              "`ownervoice agents list` shows them)")
SEVERAL_AGENTS = N_("ownervoice report: several agents match “{agent}”: {names}; give the "
                    "staff id")
NO_COMMUNITY = N_("ownervoice report: no community “{community}” (`ownervoice "
                  "communities list` shows the codes)")
NEEDS_OUTPUT = N_("ownervoice report: --format {format} writes a file; add --output FILE")


async def _build(args: argparse.Namespace, db: SessionFactory, settings: Settings) -> Report:
    from scoring.periods import parse_period  # why: CLI start-up stays fast
    from surveys.assessment import reports as assessment  # why: CLI start-up stays fast
    from surveys.assessment import views  # why: CLI start-up stays fast
    from surveys.people.scope import find_agents  # why: CLI start-up stays fast

    try:
        period = parse_period(args.period, timezone=settings.schedule.timezone, now=clock.now())
    except ValueError:
        raise CliError(BAD_PERIOD, period=args.period) from None
    if args.agent:
        found = await find_agents(db=db, name=args.agent, community_id=None)  # as /agent
        if not found:
            raise CliError(NO_AGENT, agent=args.agent)
        if len(found) > 1:
            names = ", ".join(f"{a.name} ({a.external_id})" for a in found)
            raise CliError(SEVERAL_AGENTS, agent=args.agent, names=names)
        assert found[0].id is not None
        return await views.agent_view(
            db=db, agent_id=found[0].id, period=period, current=settings.points
        )
    community_id = None
    if args.community:
        try:
            community_id = await assessment.find_community_id(db=db, code=args.community)
        except NotFound:
            raise CliError(NO_COMMUNITY, community=args.community) from None
    return await views.team_view(
        db=db, period=period, current=settings.points, community_id=community_id
    )


def _run(args: argparse.Namespace) -> int:
    from bot.config import load_settings  # why: CLI start-up stays fast
    from bot.i18n import translator  # why: CLI start-up stays fast

    settings = load_settings()
    if args.format in ("xlsx", "png") and not args.output:
        raise CliError(NEEDS_OUTPUT, format=args.format)
    report = asyncio.run(with_current_db(args.db_url, lambda db, s: _build(args, db, s)))
    tr = translator(args.lang or settings.default_language)
    out = _writer(args.format)(report, tr, args)
    if not args.output:
        sys.stdout.write(str(out))
        return 0
    path = Path(args.output)
    try:
        write_private(path, out)
    except OSError as exc:
        raise cannot_write(exc, path) from None
    return 0
