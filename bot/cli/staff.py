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
import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.cli._db import with_db
from bot.cli.errors import N_, CliError, terminal_tr
from surveys.core.errors import DomainError, ErrorCode, NotFound

NO_SECRET = N_("ownervoice {command}: --invite needs invites.secret (set "
               "OWNERVOICE_INVITES__SECRET first); nothing was added")
NO_COMMUNITY = N_("ownervoice {command}: there is no community “{community}”; add it first: "
                  "ownervoice communities add {community} NAME")
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
LINE_ERROR = N_("line {line}: {reason}")

Handler = Callable[[argparse.Namespace], int]


def _common(parser: argparse.ArgumentParser, invite: bool = True) -> None:
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    if invite:
        parser.add_argument("--invite", action="store_true",
                            help="print a one-time invite deep link for each person")
        parser.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
        parser.add_argument("--ttl-hours", type=float, help="default: invites.ttl_hours")


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
    a_add.add_argument("--name", required=True)
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone")
    _common(a_add)
    a_add.set_defaults(func=add_agent)
    a_imp = a_sub.add_parser("import", help="import agents: external_id,name,community_code"
                             "[,phone]")
    a_imp.add_argument("path")
    _common(a_imp)
    a_imp.set_defaults(func=_import_agents)
    a_list = a_sub.add_parser("list", help="list agents (deactivated ones marked)")
    _common(a_list, invite=False)
    a_list.set_defaults(func=list_agents)
    a_off = a_sub.add_parser("deactivate", help="deactivate an agent (keeps the records)")
    a_off.add_argument("--id", required=True, dest="external_id", help="staff id")
    _common(a_off, invite=False)
    a_off.set_defaults(func=_deactivate_agent)
    agents.set_defaults(func=usage(agents))  # only when no ACTION is given


def scoped_staff_parsers(subparsers: Any, *, command: str, help: str, one: str, many: str,
                         id_dest: str, add: Handler, listing: Handler,
                         deactivate: Handler) -> argparse.ArgumentParser:
    """Add `COMMAND add|list|deactivate` for staff of one community or all (managers, 回访)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(command, help=help)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    p_add = actions.add_parser("add", help=f"add {one} (of one community, or all)")
    p_add.add_argument("--name", required=True)
    p_add.add_argument("--community", help="community code (default: every community)")
    p_add.add_argument("--phone")
    _common(p_add)
    p_add.set_defaults(func=add)
    p_list = actions.add_parser("list", help=f"list {many} (deactivated ones marked)")
    _common(p_list, invite=False)
    p_list.set_defaults(func=listing)
    p_off = actions.add_parser("deactivate", help=f"deactivate {one} (keeps the records)")
    p_off.add_argument(id_dest, type=int, metavar="ID")
    _common(p_off, invite=False)
    p_off.set_defaults(func=deactivate)
    parser.set_defaults(func=usage(parser))  # only when no ACTION is given
    return parser


def usage(parser: argparse.ArgumentParser) -> Handler:
    """Return a handler that prints the parser's help to stderr and exits 2."""
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def _secret(args: argparse.Namespace, settings: Any) -> str:
    """The invite secret when --invite asks for links; refuse before anything is written."""
    secret = str(settings.invites.secret.get_secret_value())
    if getattr(args, "invite", False) and not secret:
        raise CliError(NO_SECRET)
    return secret


def _check_invite(args: argparse.Namespace) -> None:
    """Refuse --invite without invites.secret before the database is even opened."""
    if getattr(args, "invite", False):
        from bot.config import load_settings  # why: CLI start-up stays fast

        _secret(args, load_settings())


async def _links(args: argparse.Namespace, db: Any, settings: Any, role: str,
                 people: list[tuple[int, str]]) -> list[str]:
    from bot.cli._bot import bot_username  # why: aiogram loads only to ask getMe
    from surveys.people.binding import create_invite  # why: CLI start-up stays fast

    secret = _secret(args, settings)
    username = args.bot_username or await bot_username(settings)
    lines = []
    for subject_id, label in people:
        token = await create_invite(db=db, role=role, subject_id=subject_id,
                                    ttl=args.ttl_hours or settings.invites.ttl_hours,
                                    secret=secret)
        link = (f"https://t.me/{username.lstrip('@')}?start={token}" if username
                else f"/start {token}")
        lines.append(f"{label}\t{link}")
    return lines


def _run(args: argparse.Namespace, action: Any) -> Any:
    return asyncio.run(with_db(args.db_url, action))


def _print(lines: list[str], errors: list[tuple[int, str]] | None = None) -> int:
    """Print the lines, then each row error; 1 when some rows were refused."""
    tr = terminal_tr()
    for line in lines:
        print(line)
    for number, message in errors or []:
        print(tr._(LINE_ERROR, line=number, reason=message), file=sys.stderr)
    return 1 if errors else 0


@contextmanager
def community_known(community: str | None) -> Iterator[None]:
    """Turn an unknown community code into the line that says how to add it."""
    try:
        yield
    except DomainError as exc:
        if exc.code != ErrorCode.UNKNOWN_COMMUNITY:
            raise
        raise CliError(NO_COMMUNITY, community=community) from None


def _add_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import add_manager  # why: CLI start-up stays fast

    return add_with_scope(args, add_manager, "manager", MANAGER_ADDED, MANAGER_EXISTS)


def add_with_scope(args: argparse.Namespace, add: Any, role: str, added: str,
                   exists: str) -> int:
    """Add a manager or 回访 staff member (`add`) of a community or all, maybe invite."""
    _check_invite(args)
    tr = terminal_tr()
    scope = args.community or tr._("all communities")

    async def action(db: Any, settings: Any) -> list[str]:
        with community_known(args.community):
            try:
                row = await add(db=db, name=args.name, community_code=args.community,
                                phone=args.phone)
            except DomainError as exc:
                if exc.code != ErrorCode.MANAGER_EXISTS:
                    raise
                raise CliError(exists, name=args.name, scope=scope,
                               id=exc.fields["id"]) from None
        assert row.id is not None
        lines = [tr._(added, id=row.id, name=row.name, scope=scope)]
        if args.invite:
            lines += await _links(args, db, settings, role, [(row.id, row.name)])
        return lines

    return _print(_run(args, action))


async def _codes(db: Any) -> dict[int, str]:
    from surveys.people.directory import list_people  # why: CLI start-up stays fast

    return {c.id: c.code for c in await list_people(db=db, kind="communities")}


def _list_managers(args: argparse.Namespace) -> int:
    from bot.cli._table import manager_lines  # why: CLI start-up stays fast
    from surveys.people.staffing import list_managers  # why: CLI start-up stays fast

    async def action(db: Any, settings: Any) -> list[str]:
        return manager_lines(terminal_tr(), await list_managers(db=db), await _codes(db))

    return _print(_run(args, action))


def list_agents(args: argparse.Namespace) -> int:
    """`agents list` (also `people agents list`): every agent, deactivated ones marked."""
    from bot.cli._table import agent_lines  # why: CLI start-up stays fast
    from surveys.people.directory import list_people  # why: CLI start-up stays fast

    async def action(db: Any, settings: Any) -> list[str]:
        return agent_lines(terminal_tr(), await list_people(db=db, kind="agents"),
                           await _codes(db))

    return _print(_run(args, action))


def add_agent(args: argparse.Namespace) -> int:
    """`agents add` (also `people agents add`): add or update an agent, maybe invite."""
    from surveys.people.directory import add_agent  # why: CLI start-up stays fast

    _check_invite(args)

    async def action(db: Any, settings: Any) -> list[str]:
        with community_known(args.community):
            row = await add_agent(db=db, external_id=args.external_id, name=args.name,
                                  community_code=args.community, phone=args.phone)
        assert row.id is not None
        lines = [terminal_tr()._(AGENT_ADDED, id=row.id, staff_id=row.external_id,
                                 name=row.name)]
        if getattr(args, "invite", False):
            lines += await _links(args, db, settings, "agent", [(row.id, row.external_id)])
        return lines

    return _print(_run(args, action))


def _import_agents(args: argparse.Namespace) -> int:
    from surveys.people.staffing import import_agents_csv  # why: CLI start-up stays fast

    _check_invite(args)

    async def action(db: Any, settings: Any) -> tuple[list[str], list[tuple[int, str]]]:
        result = await import_agents_csv(db=db, path=args.path)
        tr = terminal_tr()
        lines = [tr._(AGENT_ADDED, id=a.id, staff_id=a.external_id, name=a.name)
                 for a in result.agents]
        if args.invite and result.agents:
            lines += await _links(args, db, settings, "agent",
                                  [(a.id, a.external_id) for a in result.agents
                                   if a.id is not None])
        return lines, result.errors

    lines, errors = _run(args, action)
    return _print(lines, errors)


def _deactivate_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_manager  # why: CLI start-up stays fast

    async def action(db: Any, settings: Any) -> list[str]:
        try:
            row = await deactivate_manager(db=db, manager_id=args.manager_id)
        except NotFound:
            raise CliError(NO_MANAGER, id=args.manager_id) from None
        return [terminal_tr()._(MANAGER_OFF, id=row.id, name=row.name)]

    return _print(_run(args, action))


def _deactivate_agent(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_agent  # why: CLI start-up stays fast

    async def action(db: Any, settings: Any) -> list[str]:
        try:
            row = await deactivate_agent(db=db, external_id=args.external_id)
        except NotFound:
            raise CliError(NO_AGENT, id=args.external_id) from None
        return [terminal_tr()._(AGENT_OFF, id=row.id, staff_id=row.external_id, name=row.name)]

    return _print(_run(args, action))
