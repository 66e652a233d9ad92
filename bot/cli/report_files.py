"""`ownervoice report --format xlsx|png`: the same files managers get with /export and /chart.

Writers plug into `bot.cli.report.FORMATS`; they reload the period's raw rows (and the
weekly trend) from the database the report came from.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli._db import with_current_db


async def _load(args: argparse.Namespace, report: Any, trend: bool) -> Any:
    from surveys.assessment.exports import load_export  # why: CLI start-up stays fast

    community = getattr(report, "community", None)
    return await with_current_db(args.db_url, lambda db, settings: load_export(
        db=db, period=report.period, config=settings.points,
        community_id=community.id if community else None, trend=trend))


def format_xlsx(report: Any, tr: Any, args: argparse.Namespace) -> bytes:
    """Write the XLSX workbook of the report's period and scope."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from scoring.reports.xlsx import build_workbook

    return build_workbook(asyncio.run(_load(args, report, trend=False)), tr._)


def format_png(report: Any, tr: Any, args: argparse.Namespace) -> bytes:
    """Write the PNG chart of the report's period and scope."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.staff.files import chart_title
    from scoring.reports.chart import chart_from_export

    data = asyncio.run(_load(args, report, trend=True))
    return chart_from_export(data, title=chart_title(tr, data), gettext=tr._)
