"""`ownervoice orders`: close work orders from a CSV file or one at a time; reassign."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from bot.cli._db import with_db
from bot.cli.errors import N_, say_refusal, terminal_tr
from bot.render.repeats import set_categories
from surveys.core.errors import DomainError, InvalidInput

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

CLOSED = N_("work order {id} closed: survey {survey} ({status})")
ALREADY_CLOSED = N_("work order {id} already closed: survey {survey} ({status})")
REASSIGNED = N_("work order {id} reassigned to agent {agent} (its survey still credits the "
                "agent it named)")
SURVEY_STATUSES = {
    "pending": N_("queued for the owner"),
    "sent": N_("sent to the owner"),
    "submitted": N_("answered"),
    "expired": N_("expired"),
    "skipped_unbound": N_("the owner is not bound in Telegram: none sent"),
    "skipped_opted_out": N_("the owner opted out: none sent"),
    "undeliverable": N_("Telegram refused delivery"),
    "folded": N_("folded into the owner's queued survey"),
    "skipped_fatigue": N_("skipped: the owner had a survey in the last days"),
}


# The option a person typed for each field of the order, to name it in a refusal.
CLOSE_OPTIONS = {
    "external_id": "--external-id", "community_code": "--community",
    "owner.name": "--owner-name", "owner.phone": "--owner-phone",
    "owner.building": "--building", "owner.room": "--room", "agent_external_id": "--agent",
    "agent_name": "--agent-name", "kind": "--kind", "urgency": "--urgency",
    "title": "--title", "category": "--category",
}


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser("orders", help="import, close and reassign work orders")
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    sub = parser.add_subparsers(dest="orders_command", metavar="ACTION")

    imp = sub.add_parser("import", help="close the work orders listed in a CSV file "
                         "(UTF-8, UTF-16 or GB18030; each bad row is reported, exit 1 if any)")
    imp.add_argument("file", metavar="FILE", help="the CSV file to read")
    imp.add_argument("--lang", choices=["zh_CN", "en"],
                     help="language of messages (default: from LANG)")
    imp.set_defaults(func=_import)

    close = sub.add_parser("close", help="close one work order")
    close.add_argument("--external-id", required=True,
                       help="the work order's id in your ticket system")
    close.add_argument("--community", required=True, help="community code")
    close.add_argument("--owner-phone", required=True,
                       help="the owner's mobile phone number (the survey goes to them)")
    close.add_argument("--owner-name", default="业主", help="the owner's name (default: 业主)")
    close.add_argument("--building", help="building, e.g. 3")
    close.add_argument("--room", help="room, e.g. 1201")
    close.add_argument("--agent", required=True, help="agent external id")
    close.add_argument("--agent-name", help="create the agent with this name if unknown")
    close.add_argument("--kind", default="repair", choices=["repair", "complaint", "enquiry"],
                       help="kind of work order: repair (default), complaint or enquiry")
    close.add_argument("--urgency", default="normal", choices=["normal", "urgent"],
                       help="normal (default) or urgent")
    close.add_argument("--title", default="",
                       help="the work order's title, e.g. 厨房漏水 (also picks the category)")
    close.add_argument("--category", default=None,
                       help="the category code or name (default: inferred from the title)")
    close.set_defaults(func=_close)

    move = sub.add_parser("reassign", help="move a work order to another agent "
                          "(the survey keeps crediting the agent at closing)")
    move.add_argument("--external-id", required=True,
                      help="the work order's id in your ticket system")
    move.add_argument("--agent", required=True, help="new agent external id")
    move.set_defaults(func=_reassign)

    parser.set_defaults(func=lambda _a: (parser.print_help(sys.stderr), 2)[1])


def _import(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.cli.imports import run_import
    from surveys.intake.csv_import import import_orders_csv

    async def action(db: SessionFactory, settings: Settings, hooks: Any) -> Any:
        return await import_orders_csv(db=db, path=args.file, survey_config=settings.survey,
                                       hooks=hooks, categories=settings.categories,
                                       courtesy=settings.courtesy)

    return run_import(args, action)


def _close(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from pydantic import ValidationError

    from bot.cli.imports import reason
    from surveys.intake.close import close_work_order
    from surveys.intake.order_in import WorkOrderIn
    from surveys.intake.table import Problem

    try:
        order = WorkOrderIn.model_validate({
            "external_id": args.external_id, "community_code": args.community,
            "owner": {"name": args.owner_name, "phone": args.owner_phone,
                      "building": args.building, "room": args.room},
            "agent_external_id": args.agent, "agent_name": args.agent_name,
            "kind": args.kind, "urgency": args.urgency, "title": args.title,
            "category": args.category,
        })
    except ValidationError as exc:
        tr = terminal_tr()
        for err in exc.errors(include_url=False, include_input=False):
            # Worded like a CSV row's problem, in the terminal's language.
            field = ".".join(map(str, err["loc"]))
            problem = Problem(err["type"], CLOSE_OPTIONS.get(field, field),
                              {k: str(v) for k, v in (err.get("ctx") or {}).items()})
            print(tr._("error: {reason}", reason=reason(tr, problem)), file=sys.stderr)
        return 2

    async def action(db: SessionFactory, settings: Settings) -> Any:
        set_categories(settings.categories)  # a refusal names the company's categories
        return await close_work_order(db=db, order=order, survey_config=settings.survey,
                                      categories=settings.categories,
                                      courtesy=settings.courtesy)

    try:
        result = asyncio.run(with_db(args.db_url, action))
    except InvalidInput as exc:
        say_refusal(exc)
        return 2
    tr = terminal_tr()
    status = SURVEY_STATUSES.get(str(result.survey_status))
    print(tr._(CLOSED if result.created else ALREADY_CLOSED, id=args.external_id,
               survey=result.survey_id,
               status=tr._(status) if status else str(result.survey_status)))
    return 0


def _reassign(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from surveys.intake.close import reassign_work_order

    async def action(db: SessionFactory, _settings: Settings) -> Any:
        return await reassign_work_order(db=db, external_id=args.external_id,
                                         agent_external_id=args.agent)

    try:
        asyncio.run(with_db(args.db_url, action))
    except DomainError as exc:
        say_refusal(exc)
        return 2
    print(terminal_tr()._(REASSIGNED, id=args.external_id, agent=args.agent))
    return 0
