"""`ownervoice people` (communities, agents, owners), `ownervoice communities` and
`ownervoice invite ROLE ID`.

    ownervoice communities add sunny 阳光花园      # the same as `people communities add`
    ownervoice communities list
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.cli import owner_import
from bot.cli._bot import bot_username
from bot.cli._db import with_db
from bot.cli.errors import N_, CliError, terminal_tr
from bot.cli.staff import add_agent, community_known, list_agents
from surveys.core.pii import mask_phone

COMMUNITY_ADDED = N_("community {id}: {code} {name}")
OWNER_ADDED = N_("owner {id}: {name} {phone}")
OPTED_OUT = N_("opted out")
COMMUNITY_HEADER = (N_("id"), N_("code"), N_("name"))
OWNER_HEADER = (N_("id"), N_("name"), N_("phone"), N_("home"), N_("Telegram"))
NO_INVITE_SECRET = N_("ownervoice {command}: set invites.secret (OWNERVOICE_INVITES__SECRET) "
                      "first")
NO_USERNAME = N_("ownervoice {command}: could not learn the bot's username (give "
                 "--bot-username); the /start token is: {token}")


def register(subparsers: Any) -> None:
    """Add the `people` and `invite` parsers."""
    parser = subparsers.add_parser("people", help="add and list communities, agents, owners")
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    kinds = parser.add_subparsers(dest="people_kind", metavar="KIND")

    communities = _communities(kinds.add_parser("communities", help="communities (小区)"))
    top = subparsers.add_parser("communities", help="add and list communities (小区)")
    top.add_argument("--db-url", help="database URL (default: database.url from config)")
    _communities(top)

    agents = kinds.add_parser("agents", help="agents (客服)")
    a_sub = agents.add_subparsers(dest="action", metavar="ACTION")
    a_add = a_sub.add_parser("add", help="add or update an agent")
    a_add.add_argument("--id", required=True, dest="external_id", help="staff id")
    a_add.add_argument("--name", required=True)
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone")
    a_add.set_defaults(func=add_agent)
    a_sub.add_parser("list", help="list agents (deactivated ones marked)").set_defaults(
        func=list_agents)

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

    for p in (parser, communities, top, agents, owners):
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


def _communities(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    c_sub = parser.add_subparsers(dest="action", metavar="ACTION")
    c_add = c_sub.add_parser("add", help="add a community")
    c_add.add_argument("code")
    c_add.add_argument("name")
    c_add.set_defaults(func=_add_community)
    c_sub.add_parser("list", help="list communities").set_defaults(func=_lister("communities"))
    return parser


def _usage(parser: argparse.ArgumentParser) -> Any:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def _run(args: argparse.Namespace, action: Any) -> Any:
    return asyncio.run(with_db(getattr(args, "db_url", None), action))


def _add_community(args: argparse.Namespace) -> int:
    from surveys.people.directory import add_community  # why: CLI start-up stays fast

    row = _run(args, lambda db, _s: add_community(db=db, code=args.code, name=args.name))
    print(terminal_tr()._(COMMUNITY_ADDED, id=row.id, code=row.code, name=row.name))
    return 0


def _add_owner(args: argparse.Namespace) -> int:
    from surveys.people.directory import add_owner  # why: CLI start-up stays fast

    with community_known(args.community):
        row = _run(args, lambda db, _s: add_owner(
            db=db, community_code=args.community, name=args.name, phone=args.phone,
            building=args.building, room=args.room))
    print(terminal_tr()._(OWNER_ADDED, id=row.id, name=row.name, phone=mask_phone(row.phone)))
    return 0


def _lister(kind: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        from bot.cli._table import BOUND, NOT_BOUND, table  # why: CLI start-up stays fast
        from surveys.people.directory import list_people  # why: CLI start-up stays fast

        tr = terminal_tr()
        rows = _run(args, lambda db, _s: list_people(db=db, kind=kind))
        if kind == "communities":
            lines = table([tr._(h) for h in COMMUNITY_HEADER],
                          [[str(c.id), c.code, c.name] for c in rows])
        else:
            lines = table([tr._(h) for h in OWNER_HEADER], [[
                str(o.id), o.name, mask_phone(o.phone),
                "/".join(x for x in (o.building, o.room) if x) or "-",
                tr._(OPTED_OUT) if o.opted_out else tr._(BOUND if o.telegram_user_id
                                                         else NOT_BOUND),
            ] for o in rows])
        print("\n".join(lines))
        return 0

    return run


def _invite(args: argparse.Namespace) -> int:
    from surveys.people.binding import create_invite  # why: CLI start-up stays fast

    async def action(db: Any, settings: Any) -> tuple[str, str | None]:
        secret = settings.invites.secret.get_secret_value()
        if not secret:
            raise CliError(NO_INVITE_SECRET)
        token = await create_invite(
            db=db, role=args.role, subject_id=args.subject_id,
            ttl=args.ttl_hours or settings.invites.ttl_hours, secret=secret)
        return token, args.bot_username or await bot_username(settings)

    token, username = _run(args, action)
    if not username:
        raise CliError(NO_USERNAME, token=token)
    print(f"https://t.me/{username.lstrip('@')}?start={token}")
    return 0
