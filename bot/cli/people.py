"""`ownervoice people` (communities, agents, owners), `ownervoice communities` and
`ownervoice invite ROLE ID`.

    ownervoice communities add sunny 阳光花园      # the same as `people communities add`
    ownervoice communities list
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bot.cli import owner_import
from bot.cli._bot import bot_username
from bot.cli._db import with_current_db, with_db
from bot.cli._staff import community_known, usage
from bot.cli.errors import N_, CliError, terminal_tr
from bot.cli.staff import NO_AGENT, add_agent, list_agents
from surveys.core.errors import NotFound
from surveys.core.pii import mask_phone

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.i18n import Translator
    from surveys.core.db import SessionFactory

T = TypeVar("T")

COMMUNITY_ADDED = N_("community {id}: {code} {name}")
OWNER_ADDED = N_("owner {id}: {name} {phone}")
OPTED_OUT = N_("opted out")
COMMUNITY_HEADER = (N_("id"), N_("code"), N_("community name"), N_("time zone"), N_("quiet hours"),
                    N_("folded (30 days)"), N_("skipped (30 days)"))
FATIGUE_WINDOW_DAYS = 30  # the fatigue cap's figures `communities list` shows
COMMUNITY_SET = N_("community {code}: time zone {timezone}, quiet hours {quiet}")
QUIET_DEFAULT = N_("company default ({window})")
QUIET_OFF = N_("none")
BAD_QUIET_HOURS = {
    "format": N_("ownervoice {command}: quiet hours “{value}” are not HH:MM-HH:MM (e.g. "
                 "21:00-08:00), \"off\" or \"default\"; nothing was changed"),
    "empty": N_("ownervoice {command}: quiet hours “{value}” start and end at the same "
                "minute; give a window such as 21:00-08:00, or \"off\"; nothing was changed"),
    "timezone": N_("ownervoice {command}: unknown time zone “{value}”; give an IANA name "
                   "such as Asia/Shanghai; nothing was changed"),
}
OWNER_HEADER = (N_("id"), N_("name"), N_("phone"), N_("home"), N_("Telegram"))
NO_INVITE_SECRET = N_("ownervoice {command}: set invites.secret (OWNERVOICE_INVITES__SECRET) "
                      "first")
NOT_AN_ID = N_("ownervoice invite: ID: '{value}' is not a whole number; write the id the list "
                "command shows (see `ownervoice invite --help`)")
NO_SUBJECT = N_("ownervoice invite: id {id} names nobody of this kind (`{listing}` shows the ids)")
LISTINGS = {"owner": "ownervoice people owners list", "agent": "ownervoice agents list",
            "manager": "ownervoice managers list", "revisitor": "ownervoice revisitors list"}


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
    a_add.add_argument("--name", required=True, help="full name")
    a_add.add_argument("--community", help="community code")
    a_add.add_argument("--phone", help="mobile phone number")
    a_add.set_defaults(func=add_agent)
    a_sub.add_parser("list", help="list agents (deactivated ones marked)").set_defaults(
        func=list_agents)

    owners = kinds.add_parser("owners", help="owners (业主)")
    o_sub = owners.add_subparsers(dest="action", metavar="ACTION")
    o_add = o_sub.add_parser("add", help="add an owner")
    o_add.add_argument("--community", required=True, help="community code")
    o_add.add_argument("--name", required=True, help="full name")
    o_add.add_argument("--phone", required=True, help="mobile phone number")
    o_add.add_argument("--building", help="building, e.g. 3")
    o_add.add_argument("--room", help="room, e.g. 1201")
    o_add.set_defaults(func=_add_owner)
    o_sub.add_parser("list", help="list owners (phones masked)").set_defaults(
        func=_lister("owners"))
    owner_import.register(o_sub)

    for p in (parser, communities, top, agents, owners):
        if "func" not in p._defaults:  # only when no ACTION is given
            p.set_defaults(func=usage(p))

    invite = subparsers.add_parser(
        "invite", help="print a one-time deep link binding a Telegram account to an owner, "
        "agent, manager or 回访 staff member")
    invite.add_argument("role", choices=["owner", "agent", "manager", "revisitor"],
                        help="whom the link binds: an owner, agent, manager or revisitor")
    invite.add_argument("subject_id", metavar="ID",
                        help="their id, as the list command of their kind shows it; an agent "
                        "also by staff id (A001)")
    invite.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
    invite.add_argument("--ttl-hours", type=float, help="default: invites.ttl_hours")
    invite.add_argument("--db-url", help="database URL (default: database.url from config)")
    invite.set_defaults(func=_invite)


def _communities(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    c_sub = parser.add_subparsers(dest="action", metavar="ACTION")
    c_add = c_sub.add_parser("add", help="add a community")
    c_add.add_argument("code", metavar="CODE",
                       help="short code of the community, used in commands and CSV files")
    c_add.add_argument("name", metavar="NAME", help="the community's name as owners know it")
    c_add.add_argument("--timezone", default="Asia/Shanghai",
                       help="IANA time zone of its quiet hours (default Asia/Shanghai)")
    c_add.set_defaults(func=_add_community)
    c_set = c_sub.add_parser("set", help="set a community's time zone and quiet hours")
    c_set.add_argument("code", metavar="CODE", help="code of the community to change")
    c_set.add_argument("--timezone", help="IANA time zone, e.g. Asia/Shanghai")
    c_set.add_argument("--quiet-hours", dest="quiet_hours", metavar="HH:MM-HH:MM",
                       help='no surveys in this local window; "off" for none, "default" '
                       "for courtesy.quiet_hours")
    c_set.set_defaults(func=_set_community)
    c_sub.add_parser("list", help="list communities").set_defaults(func=_lister("communities"))
    return parser


def _run(args: argparse.Namespace,
         action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    return asyncio.run(with_db(getattr(args, "db_url", None), action))


def _read(args: argparse.Namespace,
          action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    """Run a look (`list`) against an existing, current database; never create one."""
    return asyncio.run(with_current_db(getattr(args, "db_url", None), action))


def _add_community(args: argparse.Namespace) -> int:
    from surveys.people.directory import add_community  # why: CLI start-up stays fast

    with quiet_hours_checked():
        row = _run(args, lambda db, _s: add_community(db=db, code=args.code, name=args.name,
                                                       timezone=args.timezone))
    print(terminal_tr()._(COMMUNITY_ADDED, id=row.id, code=row.code, name=row.name))
    return 0


def _set_community(args: argparse.Namespace) -> int:
    from surveys.people.courtesy import set_courtesy  # why: CLI start-up stays fast

    if args.quiet_hours is not None and not args.quiet_hours.strip():
        # An empty shell variable must not switch the window off: "off" says that on purpose.
        raise CliError(BAD_QUIET_HOURS["format"], value=args.quiet_hours)
    default = (args.quiet_hours or "").strip().lower() == "default"
    with quiet_hours_checked(), community_known(args.code):
        row, settings = _run(args, lambda db, settings: _both(set_courtesy(
            db=db, code=args.code, timezone=args.timezone, company_default=default,
            quiet_hours=None if default else args.quiet_hours), settings))
    tr = terminal_tr()
    print(tr._(COMMUNITY_SET, code=row.code, timezone=row.timezone,
               quiet=quiet_text(tr, row.quiet_hours, settings.courtesy.quiet_hours)))
    return 0


async def _both(row: Awaitable[T], settings: Settings) -> tuple[T, Settings]:
    return await row, settings


def quiet_text(tr: Translator, own: str | None, company: str) -> str:
    """Word a community's quiet hours: its own, none, or the company's default."""
    if own is None:
        return str(tr._(QUIET_DEFAULT, window=company or tr._(QUIET_OFF)))
    return own or str(tr._(QUIET_OFF))


@contextmanager
def quiet_hours_checked() -> Iterator[None]:
    """Turn a quiet-hours window or time zone that makes no sense into one CLI line."""
    from surveys.core.courtesy import BadQuietHours  # why: CLI start-up stays fast

    try:
        yield
    except BadQuietHours as exc:
        raise CliError(BAD_QUIET_HOURS[exc.reason], value=exc.value) from exc


def _add_owner(args: argparse.Namespace) -> int:
    from surveys.people.directory import add_owner  # why: CLI start-up stays fast

    with community_known(args.community):
        row = _run(args, lambda db, _s: add_owner(
            db=db, community_code=args.community, name=args.name, phone=args.phone,
            building=args.building, room=args.room))
    print(terminal_tr()._(OWNER_ADDED, id=row.id, name=row.name, phone=mask_phone(row.phone)))
    return 0


def _lister(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from bot.cli._table import BOUND, NOT_BOUND, table  # why: CLI start-up stays fast
        from surveys.core import clock  # why: CLI start-up stays fast
        from surveys.intake.fatigue import fatigue_counts  # why: CLI start-up stays fast
        from surveys.people.directory import list_people  # why: CLI start-up stays fast

        tr = terminal_tr()
        rows, settings = _read(args, lambda db, s: _both(list_people(db=db, kind=kind), s))
        if kind == "communities":
            company = settings.courtesy.quiet_hours
            capped = _read(args, lambda db, _s: fatigue_counts(
                db=db, since=clock.now() - timedelta(days=FATIGUE_WINDOW_DAYS)))
            lines = table([tr._(h) for h in COMMUNITY_HEADER],
                          [[str(c.id), c.code, c.name, c.timezone,
                            quiet_text(tr, c.quiet_hours, company),
                            *(str(n) for n in capped.get(c.id, (0, 0)))] for c in rows])
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


async def _subject_id(db: SessionFactory, role: str, given: str) -> int:
    """The row id an invite binds: the id as listed, or an agent's staff id (工号)."""
    from surveys.people.staffing import agent_id_by_staff_id  # why: CLI start-up stays fast

    value = given.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    if role != "agent":
        raise CliError(NOT_AN_ID, value=given)
    try:
        return await agent_id_by_staff_id(db=db, external_id=value)
    except NotFound:
        raise CliError(NO_AGENT, id=value) from None


def _invite(args: argparse.Namespace) -> int:
    from surveys.people.binding import create_invite  # why: CLI start-up stays fast

    async def action(db: SessionFactory, settings: Settings) -> tuple[str, str | None]:
        subject_id = await _subject_id(db, args.role, args.subject_id)
        secret = settings.invites.secret.get_secret_value()
        if not secret:
            raise CliError(NO_INVITE_SECRET)
        try:
            token = await create_invite(
                db=db, role=args.role, subject_id=subject_id,
                ttl=args.ttl_hours or settings.invites.ttl_hours, secret=secret)
        except NotFound:
            raise CliError(NO_SUBJECT, id=subject_id,
                           listing=LISTINGS[args.role]) from None
        return token, args.bot_username or await bot_username(settings, say_fallback=True)

    token, username = _run(args, action)
    # Without the bot's name the link is plain, as `add --invite` prints it (README).
    print(f"https://t.me/{username.lstrip('@')}?start={token}" if username else f"/start {token}")
    return 0
