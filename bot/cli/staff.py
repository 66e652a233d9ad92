"""`ownervoice managers …` and `ownervoice agents …`: add staff, import agents from CSV, and
print each person's one-time invite deep link (`--invite`).

    ownervoice managers add --name 赵经理 [--community sunny] [--phone …] [--invite]
    ownervoice managers list
    ownervoice managers deactivate ID
    ownervoice agents add --id A001 --name 王晓梅 [--community sunny] [--phone …] [--invite]
    ownervoice agents import agents.csv [--invite]   # external_id,name,community_code[,phone]
    ownervoice agents deactivate --id A001

Deactivating keeps the person's records and figures; their chat loses the staff menu the next
time a bot can: within a minute when one is running, else at its next start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def _common(parser: argparse.ArgumentParser, invite: bool = True) -> None:
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    if invite:
        parser.add_argument("--invite", action="store_true",
                            help="print a one-time invite deep link for each person")
        parser.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
        parser.add_argument("--ttl-hours", type=float, help="default: invites.ttl_hours")


def register(subparsers: Any) -> None:
    """Add the `managers` and `agents` parsers."""
    managers = subparsers.add_parser("managers", help="add and list managers (主管)")
    m_sub = managers.add_subparsers(dest="action", metavar="ACTION")
    m_add = m_sub.add_parser("add", help="add a manager (of one community, or all)")
    m_add.add_argument("--name", required=True)
    m_add.add_argument("--community", help="community code (default: every community)")
    m_add.add_argument("--phone")
    _common(m_add)
    m_add.set_defaults(func=_add_manager)
    m_list = m_sub.add_parser("list", help="list managers")
    _common(m_list, invite=False)
    m_list.set_defaults(func=_list_managers)
    m_off = m_sub.add_parser("deactivate", help="deactivate a manager (keeps the records)")
    m_off.add_argument("manager_id", type=int, metavar="ID")
    _common(m_off, invite=False)
    m_off.set_defaults(func=_deactivate_manager)

    agents = subparsers.add_parser("agents", help="add agents (客服), one or from a CSV file")
    a_sub = agents.add_subparsers(dest="action", metavar="ACTION")
    a_add = a_sub.add_parser("add", help="add or update an agent")
    a_add.add_argument("--id", required=True, dest="external_id", help="staff id")
    a_add.add_argument("--name", required=True)
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone")
    _common(a_add)
    a_add.set_defaults(func=_add_agent)
    a_imp = a_sub.add_parser("import", help="import agents: external_id,name,community_code"
                             "[,phone]")
    a_imp.add_argument("path")
    _common(a_imp)
    a_imp.set_defaults(func=_import_agents)
    a_off = a_sub.add_parser("deactivate", help="deactivate an agent (keeps the records)")
    a_off.add_argument("--id", required=True, dest="external_id", help="staff id")
    _common(a_off, invite=False)
    a_off.set_defaults(func=_deactivate_agent)
    for p in (managers, agents):
        p.set_defaults(func=_usage(p))  # only when no ACTION is given


def _usage(parser: argparse.ArgumentParser) -> Any:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


async def _links(args: argparse.Namespace, db: Any, settings: Any, role: str,
                 people: list[tuple[int, str]]) -> list[str]:
    from bot.cli.people import bot_username
    from surveys.core.errors import DomainError, ErrorCode
    from surveys.people.binding import create_invite

    secret = settings.invites.secret.get_secret_value()
    if not secret:
        raise DomainError("invites.secret is not set", code=ErrorCode.INVITE_SECRET_MISSING)
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
    from bot.cli._db import with_db

    return asyncio.run(with_db(args.db_url, action))


def _report(lines: list[str], errors: list[tuple[int, str]] | None = None) -> int:
    for line in lines:
        print(line)
    for number, message in errors or []:
        print(f"line {number}: {message}", file=sys.stderr)
    return 1 if errors else 0


def _guard(fn: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from surveys.core.errors import DomainError

        try:
            return int(fn(args))
        except DomainError as exc:
            from bot.cli.errors import say_refusal

            say_refusal(exc)
            return 1
        except OSError as exc:
            print(f"error: {exc.strerror or exc}", file=sys.stderr)
            return 1

    return run


@_guard
def _add_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import add_manager

    async def action(db: Any, settings: Any) -> list[str]:
        row = await add_manager(db=db, name=args.name, community_code=args.community,
                                phone=args.phone)
        assert row.id is not None
        lines = [f"manager {row.id}: {row.name} ({args.community or 'all communities'})"]
        if args.invite:
            lines += await _links(args, db, settings, "manager", [(row.id, row.name)])
        return lines

    return _report(_run(args, action))


@_guard
def _list_managers(args: argparse.Namespace) -> int:
    from surveys.people.staffing import list_managers

    async def action(db: Any, settings: Any) -> list[str]:
        return [f"{m.id}\t{m.name}\t{m.community_id or '*'}\t"
                f"{'bound' if m.telegram_user_id else '-'}\t{'' if m.active else 'inactive'}"
                for m in await list_managers(db=db)]

    return _report(_run(args, action))


@_guard
def _add_agent(args: argparse.Namespace) -> int:
    from surveys.people.directory import add_agent

    async def action(db: Any, settings: Any) -> list[str]:
        row = await add_agent(db=db, external_id=args.external_id, name=args.name,
                              community_code=args.community, phone=args.phone)
        assert row.id is not None
        lines = [f"agent {row.id}: {row.external_id} {row.name}"]
        if args.invite:
            lines += await _links(args, db, settings, "agent", [(row.id, row.external_id)])
        return lines

    return _report(_run(args, action))


@_guard
def _import_agents(args: argparse.Namespace) -> int:
    from surveys.people.staffing import import_agents_csv

    async def action(db: Any, settings: Any) -> tuple[list[str], list[tuple[int, str]]]:
        result = await import_agents_csv(db=db, path=args.path)
        lines = [f"agent {a.id}: {a.external_id} {a.name}" for a in result.agents]
        if args.invite and result.agents:
            lines += await _links(args, db, settings, "agent",
                                  [(a.id, a.external_id) for a in result.agents
                                   if a.id is not None])
        return lines, result.errors

    lines, errors = _run(args, action)
    return _report(lines, errors)


@_guard
def _deactivate_manager(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_manager

    async def action(db: Any, settings: Any) -> list[str]:
        row = await deactivate_manager(db=db, manager_id=args.manager_id)
        return [f"manager {row.id}: {row.name} deactivated"]

    return _report(_run(args, action))


@_guard
def _deactivate_agent(args: argparse.Namespace) -> int:
    from surveys.people.staffing import deactivate_agent

    async def action(db: Any, settings: Any) -> list[str]:
        row = await deactivate_agent(db=db, external_id=args.external_id)
        return [f"agent {row.id}: {row.external_id} {row.name} deactivated"]

    return _report(_run(args, action))
