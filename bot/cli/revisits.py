"""`ownervoice revisitors …` (回访 staff) and `ownervoice revisits import FILE`.

    ownervoice revisitors add --name 孙回访 [--community sunny] [--phone …] [--invite]
    ownervoice revisitors list
    ownervoice revisitors deactivate ID
    ownervoice revisits import revisits.csv [--staff 孙回访] [--lang en]

The CSV columns: work_order, channel (phone / visit), overall, attitude, clarity,
timeliness (1–5), optional words and staff (see `surveys.intake.revisit_import`). Each bad
row is reported by line (exit 1); the others are recorded; a rerun records nothing twice.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli._staff import (
    add_with_scope,
    deactivate_scoped,
    list_scoped,
    scoped_staff_parsers,
    usage,
)
from bot.cli.errors import N_

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

REVISITOR_ADDED = N_("回访 staff {id}: {name} ({scope})")
REVISITOR_OFF = N_("回访 staff {id}: {name} deactivated")
REVISITOR_EXISTS = N_("ownervoice {command}: {name} is already 回访 staff for {scope} ({id}); "
                      "for a new invite link: ownervoice invite revisitor {id}")
NO_REVISITOR = N_("ownervoice {command}: there is no 回访 staff {id} (`ownervoice revisitors "
                  "list` shows the ids)")


def register(subparsers: Any) -> None:
    """Add the `revisitors` and `revisits` parsers."""
    scoped_staff_parsers(subparsers, command="revisitors", help="add and list 回访 staff",
                         one="回访 staff", many="回访 staff", id_dest="revisitor_id",
                         add=_add, listing=_list, deactivate=_deactivate)
    revisits = subparsers.add_parser("revisits", help="record phone and visit 回访 from CSV")
    r_sub = revisits.add_subparsers(dest="action", metavar="ACTION")
    imp = r_sub.add_parser("import", help="record the 回访 listed in a CSV file (UTF-8, "
                           "UTF-16 or GB18030; each bad row is reported, exit 1 if any)")
    imp.add_argument("file", metavar="FILE", help="the CSV file to read")
    imp.add_argument("--staff", help="who made the 回访 when the staff column is empty "
                     "(回访 staff id or name, or a manager's name)")
    imp.add_argument("--lang", choices=["zh_CN", "en"],
                     help="language of messages (default: from LANG)")
    imp.add_argument("--db-url", help="database URL (default: database.url from config)")
    imp.set_defaults(func=_import)
    revisits.set_defaults(func=usage(revisits))  # only when no ACTION is given


def _add(args: argparse.Namespace) -> int:
    from surveys.people.staffing import add_revisitor  # why: CLI start-up stays fast

    return add_with_scope(args, add_revisitor, "revisitor", REVISITOR_ADDED, REVISITOR_EXISTS)


def _list(args: argparse.Namespace) -> int:
    from surveys.people.staffing import list_revisitors  # why: CLI start-up stays fast

    return list_scoped(args, list_revisitors)


def _deactivate(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_revisitor  # why: CLI start-up stays fast

    return deactivate_scoped(
        args, lambda db: deactivate_revisitor(db=db, revisitor_id=args.revisitor_id),
        args.revisitor_id, NO_REVISITOR, REVISITOR_OFF)


def _import(args: argparse.Namespace) -> int:
    from bot.cli.imports import run_import  # why: CLI start-up stays fast
    from surveys.intake.revisit_import import import_revisits_csv  # why: CLI start-up stays fast

    async def action(db: SessionFactory, settings: Settings, hooks: Any) -> Any:
        return await import_revisits_csv(
            db=db, path=args.file, staff=args.staff, survey_config=settings.survey,
            complaint_config=settings.complaints, hooks=hooks)

    return run_import(args, action)
