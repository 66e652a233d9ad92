"""`ownervoice report --format xlsx|png`: the same files managers get with /export and /chart.

Writers plug into `bot.cli.report.FORMATS`; they reload the period's raw rows (and the
weekly trend) from the database the report came from.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bot.cli._db import with_current_db

if TYPE_CHECKING:
    from bot.cli.report import Report
    from bot.config import Settings
    from bot.i18n import Translator
    from scoring.categories import CategoryConfig
    from scoring.reports.groups import Breakdowns
    from surveys.assessment.exports import ExportData
    from surveys.core.db import SessionFactory


async def _load(args: argparse.Namespace, report: Report, trend: bool) -> ExportData:
    from surveys.assessment.exports import load_export  # why: CLI start-up stays fast

    community = getattr(report, "community", None)
    return await with_current_db(args.db_url, lambda db, settings: load_export(
        db=db, period=report.period, config=settings.points,
        community_id=community.id if community else None, trend=trend))


async def _load_with_groups(args: argparse.Namespace, report: Report
                           ) -> tuple[ExportData, Breakdowns, CategoryConfig]:
    from surveys.assessment.exports import load_export  # why: CLI start-up stays fast
    from surveys.assessment.views import breakdowns_view  # why: CLI start-up stays fast

    community = getattr(report, "community", None)
    community_id = community.id if community else None
    period = report.period

    async def load(db: SessionFactory,
                   settings: Settings) -> tuple[ExportData, Breakdowns, CategoryConfig]:
        data = await load_export(db=db, period=period, config=settings.points,
                                 community_id=community_id, trend=False)
        groups = await breakdowns_view(db=db, period=period, current=settings.points,
                                       community_id=community_id,
                                       category_order=settings.categories.codes())
        return data, groups, settings.categories

    return await with_current_db(args.db_url, load)


def format_xlsx(report: Report, tr: Translator, args: argparse.Namespace) -> bytes:
    """Write the XLSX workbook of the report's period and scope (views by category too)."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.render.repeats import category_text
    from scoring.reports.xlsx import build_workbook

    data, groups, categories = asyncio.run(_load_with_groups(args, report))
    return build_workbook(data, tr._, groups=groups,
                          category_name=lambda code: category_text(tr, code, categories))


def format_png(report: Report, tr: Translator, args: argparse.Namespace) -> bytes:
    """Write the PNG chart of the report's period and scope."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.staff.files import chart_title
    from scoring.reports.chart import chart_from_export

    data = asyncio.run(_load(args, report, trend=True))
    return chart_from_export(data, title=chart_title(tr, data), gettext=tr._)
