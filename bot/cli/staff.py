"""`ownervoice managers …` and `ownervoice agents …`: add staff, import agents from CSV, and
print each person's one-time invite deep link (`--invite`).

    ownervoice managers add --name 赵经理 [--community sunny] [--phone …] [--invite]
    ownervoice managers list
    ownervoice agents list
    ownervoice managers deactivate ID
    ownervoice agents add --id A001 --name 王晓梅 [--community sunny] [--phone …] [--invite]
    ownervoice agents import agents.csv [--invite]   # external_id,name,community_code[,phone]
    ownervoice agents deactivate --id A001

`add` checks everything before it writes: the community exists, `invites.secret` is set when
--invite asks for links, and the same manager is not there yet (a rerun adds nobody).
Deactivating keeps the person's records and figures; their chat loses the staff menu the next
time a bot can: within a minute when one is running, else at its next start-up.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.cli._staff import (
    add_with_scope,
    check_invite,
    common_options,
    community_codes,
    community_known,
    deactivate_scoped,
    invite_links,
    list_scoped,
    print_lines,
    read,
    run,
    scoped_staff_parsers,
    usage,
)
from bot.cli.errors import N_, CliError, terminal_tr
from surveys.core.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

MANAGER_EXISTS = N_("ownervoice {command}: {name} already manages {scope} (manager {id}); "
                    "for a new invite link: ownervoice invite manager {id}")
NO_MANAGER = N_("ownervoice {command}: there is no manager {id} (`ownervoice managers list` "
                "shows the ids)")
NO_AGENT = N_("ownervoice {command}: there is no agent with staff id {id} (`ownervoice agents "
              "list` shows them)")
MANAGER_ADDED = N_("manager {id}: {name} ({scope})")
AGENT_ADDED = N_("agent {id}: {staff_id} {name}")
MANAGER_OFF = N_("manager {id}: {name} deactivated")
AGENT_OFF = N_("agent {id}: {staff_id} {name} deactivated")


def register(subparsers: Any) -> None:
    """Add the `managers` and `agents` parsers."""
    scoped_staff_parsers(subparsers, command="managers", help="add and list managers (主管)",
                         one="a manager", many="managers", id_dest="manager_id",
                         add=_add_manager, listing=_list_managers,
                         deactivate=_deactivate_manager)
    agents = subparsers.add_parser("agents", help="add agents (客服), one or from a CSV file")
    a_sub = agents.add_subparsers(dest="action", metavar="ACTION")
    a_add = a_sub.add_parser("add", help="add or update an agent")
    a_add.add_argument("--id", required=True, dest="external_id", help="staff id")
    a_add.add_argument("--name", required=True, help="full name")
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone", help="mobile phone number")
    common_options(a_add)
    a_add.set_defaults(func=add_agent)
    a_imp = a_sub.add_parser("import", help="import agents: external_id,name,community_code"
                             "[,phone]")
    a_imp.add_argument("path", metavar="FILE", help="the CSV file to read")
    common_options(a_imp)
    a_imp.set_defaults(func=_import_agents)
    a_list = a_sub.add_parser("list", help="list agents (deactivated ones marked)")
    common_options(a_list, invite=False)
    a_list.set_defaults(func=list_agents)
    a_off = a_sub.add_parser("deactivate", help="deactivate an agent (keeps the records)")
    a_off.add_argument("--id", required=True, dest="external_id", help="staff id")
    common_options(a_off, invite=False)
    a_off.set_defaults(func=_deactivate_agent)
    agents.set_defaults(func=usage(agents))  # only when no ACTION is given


def _add_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import add_manager  # why: CLI start-up stays fast

    return add_with_scope(args, add_manager, "manager", MANAGER_ADDED, MANAGER_EXISTS)


def _list_managers(args: argparse.Namespace) -> int:
    from surveys.people.staffing import list_managers  # why: CLI start-up stays fast

    return list_scoped(args, list_managers)


def list_agents(args: argparse.Namespace) -> int:
    """`agents list` (also `people agents list`): every agent, deactivated ones marked."""
    from bot.cli._table import agent_lines  # why: CLI start-up stays fast
    from surveys.people.directory import list_people  # why: CLI start-up stays fast

    async def action(db: SessionFactory, settings: Settings) -> list[str]:
        return agent_lines(terminal_tr(), await list_people(db=db, kind="agents"),
                           await community_codes(db))

    return print_lines(read(args, action))


def add_agent(args: argparse.Namespace) -> int:
    """`agents add` (also `people agents add`): add or update an agent, maybe invite."""
    from surveys.people.directory import add_agent  # why: CLI start-up stays fast

    check_invite(args)

    async def action(db: SessionFactory, settings: Settings) -> list[str]:
        with community_known(args.community):
            row = await add_agent(db=db, external_id=args.external_id, name=args.name,
                                  community_code=args.community, phone=args.phone)
        assert row.id is not None
        lines = [terminal_tr()._(AGENT_ADDED, id=row.id, staff_id=row.external_id,
                                 name=row.name)]
        if getattr(args, "invite", False):
            lines += await invite_links(args, db, settings, "agent", [(row.id, row.external_id)])
        return lines

    return print_lines(run(args, action))


def _import_agents(args: argparse.Namespace) -> int:
    from bot.render.errors import error_text  # why: CLI start-up stays fast
    from surveys.people.staffing import import_agents_csv  # why: CLI start-up stays fast

    check_invite(args)
    tr = terminal_tr()

    async def action(db: SessionFactory,
                     settings: Settings) -> tuple[list[str], list[tuple[int, str]]]:
        result = await import_agents_csv(db=db, path=args.path)
        lines = [tr._(AGENT_ADDED, id=a.id, staff_id=a.external_id, name=a.name)
                 for a in result.agents]
        if args.invite and result.agents:
            lines += await invite_links(args, db, settings, "agent",
                                  [(a.id, a.external_id) for a in result.agents
                                   if a.id is not None])
        return lines, [(line, error_text(tr, exc)) for line, exc in result.errors]

    try:
        lines, errors = run(args, action)
    except InvalidInput as exc:  # the whole file: worded like the other imports' refusals
        unknown = {"encoding": tr._("another encoding")} if exc.fields.get("encoding") else {}
        print(tr._("error: {reason}", reason=error_text(tr, exc, **unknown)), file=sys.stderr)
        return 2
    return print_lines(lines, errors)


def _deactivate_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_manager  # why: CLI start-up stays fast

    return deactivate_scoped(args, lambda db: deactivate_manager(db=db, manager_id=args.manager_id),
                             args.manager_id, NO_MANAGER, MANAGER_OFF)


def _deactivate_agent(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_agent  # why: CLI start-up stays fast

    async def action(db: SessionFactory, settings: Settings) -> list[str]:
        try:
            row = await deactivate_agent(db=db, external_id=args.external_id)
        except NotFound:
            raise CliError(NO_AGENT, id=args.external_id) from None
        return [terminal_tr()._(AGENT_OFF, id=row.id, staff_id=row.external_id, name=row.name)]

    return print_lines(run(args, action))
