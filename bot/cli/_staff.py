"""What the staff commands share: their options, invite links, printing, and the
`add|list|deactivate` commands of staff who serve one community or all (managers, 回访 staff).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from bot.cli._db import with_current_db, with_db
from bot.cli.errors import N_, CliError, terminal_tr
from surveys.core.errors import DomainError, ErrorCode, NotFound

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

NO_SECRET = N_("ownervoice {command}: --invite needs invites.secret (set "
               "OWNERVOICE_INVITES__SECRET first); nothing was added")
NO_COMMUNITY = N_("ownervoice {command}: there is no community “{community}”; add it first: "
                  "ownervoice communities add {community} NAME")
LINE_ERROR = N_("line {line}: {reason}")

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")


def common_options(parser: argparse.ArgumentParser, invite: bool = True) -> None:
    """Add --db-url and, when `invite`, the invite link options."""
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    if invite:
        parser.add_argument("--invite", action="store_true",
                            help="print a one-time invite deep link for each person")
        parser.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
        parser.add_argument("--ttl-hours", type=float, help="default: invites.ttl_hours")


def scoped_staff_parsers(subparsers: Any, *, command: str, help: str, one: str, many: str,
                         id_dest: str, add: Handler, listing: Handler,
                         deactivate: Handler) -> argparse.ArgumentParser:
    """Add `COMMAND add|list|deactivate` for staff of one community or all (managers, 回访)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(command, help=help)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    p_add = actions.add_parser("add", help=f"add {one} (of one community, or all)")
    p_add.add_argument("--name", required=True, help="full name")
    p_add.add_argument("--community", help="community code (default: every community)")
    p_add.add_argument("--phone", help="mobile phone number")
    common_options(p_add)
    p_add.set_defaults(func=add)
    p_list = actions.add_parser("list", help=f"list {many} (deactivated ones marked)")
    common_options(p_list, invite=False)
    p_list.set_defaults(func=listing)
    p_off = actions.add_parser("deactivate", help=f"deactivate {one} (keeps the records)")
    p_off.add_argument(id_dest, type=int, metavar="ID", help="the id `list` shows")
    common_options(p_off, invite=False)
    p_off.set_defaults(func=deactivate)
    parser.set_defaults(func=usage(parser))  # only when no ACTION is given
    return parser


def usage(parser: argparse.ArgumentParser) -> Handler:
    """Return a handler that prints the parser's help to stderr and exits 2."""
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def invite_secret(args: argparse.Namespace, settings: Settings) -> str:
    """Return the invite secret; refuse --invite without one before anything is written."""
    secret = str(settings.invites.secret.get_secret_value())
    if getattr(args, "invite", False) and not secret:
        raise CliError(NO_SECRET)
    return secret


def check_invite(args: argparse.Namespace) -> None:
    """Refuse --invite without invites.secret before the database is even opened."""
    if getattr(args, "invite", False):
        from bot.config import load_settings  # why: CLI start-up stays fast

        invite_secret(args, load_settings())


async def invite_links(args: argparse.Namespace, db: SessionFactory, settings: Settings, role: str,
                       people: list[tuple[int, str]]) -> list[str]:
    """Return a "label<TAB>link" line with a one-time invite for each (id, label)."""
    from bot.cli._bot import bot_username  # why: aiogram loads only to ask getMe
    from surveys.people.binding import create_invite  # why: CLI start-up stays fast

    secret = invite_secret(args, settings)
    username = args.bot_username or await bot_username(settings, say_fallback=True)
    lines = []
    for subject_id, label in people:
        token = await create_invite(db=db, role=role, subject_id=subject_id,
                                    ttl=args.ttl_hours or settings.invites.ttl_hours,
                                    secret=secret)
        link = (f"https://t.me/{username.lstrip('@')}?start={token}" if username
                else f"/start {token}")
        lines.append(f"{label}\t{link}")
    return lines


def run(args: argparse.Namespace,
        action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    """Run `action(db, settings)` against --db-url (or the configured database)."""
    return asyncio.run(with_db(args.db_url, action))


def read(args: argparse.Namespace,
         action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    """Run a look (`list`) against an existing, current database; never create one."""
    return asyncio.run(with_current_db(args.db_url, action))


def print_lines(lines: list[str], errors: list[tuple[int, str]] | None = None) -> int:
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


def add_with_scope(args: argparse.Namespace, add: Any, role: str, added: str,
                   exists: str) -> int:
    """Add a manager or 回访 staff member (`add`) of a community or all, maybe invite."""
    check_invite(args)
    tr = terminal_tr()
    scope = args.community or tr._("all communities")

    async def action(db: SessionFactory, settings: Settings) -> list[str]:
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
            lines += await invite_links(args, db, settings, role, [(row.id, row.name)])
        return lines

    return print_lines(run(args, action))


async def community_codes(db: SessionFactory) -> dict[int | None, str]:
    """Map each community's id to its code."""
    from surveys.people.directory import list_people  # why: CLI start-up stays fast

    return {c.id: c.code for c in await list_people(db=db, kind="communities")}


def list_scoped(args: argparse.Namespace, listing: Any) -> int:
    """Print managers or 回访 staff (`listing`): id, name, community or all, Telegram, status."""
    from bot.cli._table import manager_lines  # why: CLI start-up stays fast

    async def action(db: SessionFactory, settings: Settings) -> list[str]:
        return manager_lines(terminal_tr(), await listing(db=db), await community_codes(db))

    return print_lines(read(args, action))


def deactivate_scoped(args: argparse.Namespace, deactivate: Any, staff_id: int, missing: str,
                      done: str) -> int:
    """Deactivate a manager or 回访 staff member (`deactivate(db)`); `missing` when none."""
    async def action(db: SessionFactory, settings: Settings) -> list[str]:
        try:
            row = await deactivate(db)
        except NotFound:
            raise CliError(missing, id=staff_id) from None
        return [terminal_tr()._(done, id=row.id, name=row.name)]

    return print_lines(run(args, action))
