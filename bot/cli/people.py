"""`ownervoice people` (communities, agents, owners) and `ownervoice invite ROLE ID`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from surveys.core.errors import DomainError

from bot.cli import owner_import


def register(subparsers: Any) -> None:
    """Add the `people` and `invite` parsers."""
    parser = subparsers.add_parser("people", help="add and list communities, agents, owners")
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    kinds = parser.add_subparsers(dest="people_kind", metavar="KIND")

    communities = kinds.add_parser("communities", help="communities (小区)")
    c_sub = communities.add_subparsers(dest="action", metavar="ACTION")
    c_add = c_sub.add_parser("add", help="add a community")
    c_add.add_argument("code")
    c_add.add_argument("name")
    c_add.set_defaults(func=_add_community)
    c_sub.add_parser("list", help="list communities").set_defaults(func=_lister("communities"))

    agents = kinds.add_parser("agents", help="agents (客服)")
    a_sub = agents.add_subparsers(dest="action", metavar="ACTION")
    a_add = a_sub.add_parser("add", help="add or update an agent")
    a_add.add_argument("--id", required=True, dest="external_id", help="staff id")
    a_add.add_argument("--name", required=True)
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone")
    a_add.set_defaults(func=_add_agent)
    a_sub.add_parser("list", help="list agents").set_defaults(func=_lister("agents"))

    owners = kinds.add_parser("owners", help="owners (业主)")
    o_sub = owners.add_subparsers(dest="action", metavar="ACTION")
    o_add = o_sub.add_parser("add", help="add an owner")
    o_add.add_argument("--community", required=True, help="community code")
    o_add.add_argument("--name", required=True)
    o_add.add_argument("--phone", required=True)
    o_add.add_argument("--building")
    o_add.add_argument("--room")
    o_add.set_defaults(func=_add_owner)
    o_sub.add_parser("list", help="list owners (phones masked)").set_defaults(
        func=_lister("owners"))
    owner_import.register(o_sub)

    for p in (parser, communities, agents, owners):
        if "func" not in p._defaults:  # only when no ACTION is given
            p.set_defaults(func=_usage(p))

    invite = subparsers.add_parser("invite", help="print a one-time deep link binding a "
                                   "Telegram account to an owner, agent or manager")
    invite.add_argument("role", choices=["owner", "agent", "manager"])
    invite.add_argument("subject_id", type=int, metavar="ID")
    invite.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
    invite.add_argument("--ttl-hours", type=float, help="default: invites.ttl_hours")
    invite.add_argument("--db-url", help="database URL (default: database.url from config)")
    invite.set_defaults(func=_invite)


def _usage(parser: argparse.ArgumentParser) -> Any:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def _run(args: argparse.Namespace, action: Any) -> Any:
    from bot.cli._db import with_db

    return asyncio.run(with_db(getattr(args, "db_url", None), action))


def _fail(exc: DomainError) -> int:
    from bot.cli.errors import say_refusal

    say_refusal(exc)
    return 1


def _add_community(args: argparse.Namespace) -> int:
    from surveys.core.errors import DomainError
    from surveys.people.directory import add_community

    try:
        row = _run(args, lambda db, _s: add_community(db=db, code=args.code, name=args.name))
    except DomainError as exc:
        return _fail(exc)
    print(f"community {row.id}: {row.code} {row.name}")
    return 0


def _add_agent(args: argparse.Namespace) -> int:
    from surveys.core.errors import DomainError
    from surveys.people.directory import add_agent

    try:
        row = _run(args, lambda db, _s: add_agent(
            db=db, external_id=args.external_id, name=args.name,
            community_code=args.community, phone=args.phone))
    except DomainError as exc:
        return _fail(exc)
    print(f"agent {row.id}: {row.external_id} {row.name}")
    return 0


def _add_owner(args: argparse.Namespace) -> int:
    from surveys.core.errors import DomainError
    from surveys.core.pii import mask_phone
    from surveys.people.directory import add_owner

    try:
        row = _run(args, lambda db, _s: add_owner(
            db=db, community_code=args.community, name=args.name, phone=args.phone,
            building=args.building, room=args.room))
    except DomainError as exc:
        return _fail(exc)
    print(f"owner {row.id}: {row.name} {mask_phone(row.phone)}")
    return 0


def _lister(kind: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        from surveys.core.pii import mask_phone
        from surveys.people.directory import list_people

        rows = _run(args, lambda db, _s: list_people(db=db, kind=kind))
        for row in rows:
            if kind == "communities":
                print(f"{row.id}\t{row.code}\t{row.name}")
            elif kind == "agents":
                bound = "bound" if row.telegram_user_id else "-"
                print(f"{row.id}\t{row.external_id}\t{row.name}\t{bound}")
            else:
                bound = "opted out" if row.opted_out else (
                    "bound" if row.telegram_user_id else "-")
                home = "/".join(x for x in (row.building, row.room) if x) or "-"
                print(f"{row.id}\t{row.name}\t{mask_phone(row.phone)}\t{home}\t{bound}")
        return 0

    return run


def _invite(args: argparse.Namespace) -> int:
    from surveys.core.errors import DomainError
    from surveys.people.binding import create_invite

    async def action(db: Any, settings: Any) -> tuple[str, str | None]:
        secret = settings.invites.secret.get_secret_value()
        if not secret:
            raise DomainError("set invites.secret (OWNERVOICE_INVITES__SECRET) first")
        token = await create_invite(
            db=db, role=args.role, subject_id=args.subject_id,
            ttl=args.ttl_hours or settings.invites.ttl_hours, secret=secret)
        return token, args.bot_username or await bot_username(settings)

    try:
        token, username = _run(args, action)
    except DomainError as exc:
        return _fail(exc)
    if username:
        print(f"https://t.me/{username.lstrip('@')}?start={token}")
    else:
        print("could not learn the bot's username (give --bot-username); the /start "
              f"token is: {token}", file=sys.stderr)
        return 1
    return 0


async def bot_username(settings: Any) -> str | None:
    """Ask the Bot API for the bot's @username (None when offline or without a token)."""
    token = settings.telegram.token.get_secret_value()
    if not token:
        return None
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram.api_base))
    bot = Bot(token, session=session)
    try:
        me = await bot.get_me()
        return me.username
    except Exception as exc:  # offline or wrong token: the caller explains
        print(f"getMe failed: {exc}", file=sys.stderr)
        return None
    finally:
        await bot.session.close()
