"""`ownervoice surveys links`: the web link of every open survey, for the property system's SMS.

    ownervoice surveys links --since 2026-11-01 [--format csv] [--output FILE] [--lang en]

Issues the links still missing (owners not bound in Telegram; bound owners too with
`web.links_for_bound`), then writes one CSV row per open survey closed since the date:
work_order, survey_id, status, owner_bound, url, expires_at (UTC). Every cell is written so a
spreadsheet cannot read it as a formula. The links are bearer secrets: keep the file private.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.cli._db import with_db
from bot.cli.errors import REFUSED, CliError, cannot_write, terminal_tr
from bot.cli.private import write_private
from scoring.reports.cells import csv_cell

if TYPE_CHECKING:
    from surveys.core.db import SessionFactory

HEADER = ("work_order", "survey_id", "status", "owner_bound", "url", "expires_at")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser("surveys", help="survey links for owners outside Telegram")
    sub = parser.add_subparsers(dest="surveys_command", metavar="ACTION")
    links = sub.add_parser("links", help="write the web link of each open survey (CSV)")
    links.add_argument("--since", required=True,
                       help="surveys created on or after this date (YYYY-MM-DD, in "
                            "schedule.timezone) or time (YYYY-MM-DDTHH:MM)")
    links.add_argument("--format", default="csv", choices=["csv"], help="csv (the only one)")
    links.add_argument("--output", "--out", help="write to this file instead of stdout")
    links.add_argument("--lang", choices=["zh_CN", "en"],
                       help="language of messages (default: from LANG)")
    links.add_argument("--db-url", help="database URL (default: database.url from config)")
    links.set_defaults(func=_links)
    parser.set_defaults(func=lambda _a: (parser.print_help(sys.stderr), 2)[1])


def parse_since(text: str, timezone: str) -> datetime:
    """Return the naive-UTC moment a --since value names (a date means its local midnight)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(text) from None
    if len(text.strip()) == 10:
        value = datetime.combine(value.date(), time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(UTC).replace(tzinfo=None)


def links_csv(rows: list[Any]) -> str:
    """Return the rows as CSV text (formula-safe cells, UTC times)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([csv_cell(v) for v in (
            r.work_order_external_id, r.survey_id, r.status, "yes" if r.owner_bound else "no",
            r.url, r.expires_at.isoformat(timespec="seconds") + "Z")])
    return out.getvalue()


def _links(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.config import load_settings
    from bot.web import settings_link_key
    from surveys.survey.links import list_links

    settings = load_settings()  # an invalid setting is named by bot.cli.main, as everywhere
    tr = terminal_tr(args.lang)
    if not settings.web.enabled:
        raise CliError(REFUSED, reason=tr._(
            "survey links are off: set web.base_url in the configuration."))
    try:
        since = parse_since(args.since, settings.schedule.timezone)
    except ValueError:
        raise CliError(REFUSED, reason=tr._(
            "--since must be a date like 2026-11-01 or a time like 2026-11-01T08:00, "
            "not “{value}”.", value=args.since)) from None

    async def action(db: SessionFactory, loaded: Any) -> list[Any]:
        return await list_links(db=db, key=settings_link_key(loaded), since=since,
                                config=loaded.web, survey_config=loaded.survey)

    rows = asyncio.run(with_db(args.db_url, action))
    text = links_csv(rows)
    if args.output:
        try:
            write_private(args.output, text)
        except OSError as exc:
            raise cannot_write(exc, args.output) from None
    else:
        sys.stdout.write(text)
    print(tr.n_("{n} survey link written.", "{n} survey links written.", len(rows)),
          file=sys.stderr)
    return 0
