"""`ownervoice people owners import FILE [--invites OUT.csv]`: bulk onboarding of owners.

The same rules as `orders import` (never stops at a bad row, each reported by line, the
encoding decided up front, batches of their own). `--invites` writes one line per owner who
is not bound yet, with a one-time invite link, for the company's own SMS or WeChat sender;
every cell is written formula-safe (a cell starting with = + - @ gets an apostrophe).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from datetime import timedelta
from typing import Any

from bot.cli.errors import cannot_write, terminal_tr
from bot.cli.private import open_private
from scoring.reports.cells import csv_cell

INVITE_COLUMNS = ("community_code", "name", "phone", "building", "room", "invite_link")


def register(owners_actions: Any) -> None:
    """Add `import` to the `people owners` actions."""
    imp = owners_actions.add_parser(
        "import", help="add the owners listed in a CSV file (community_code,name,phone"
        "[,building,room]); each bad row is reported, exit 1 if any")
    imp.add_argument("file", metavar="FILE", help="the CSV file to read")
    imp.add_argument("--invites", metavar="OUT.csv",
                     help="write each owner's one-time invite link to this CSV file")
    imp.add_argument("--bot-username", help="the bot's @username (default: ask getMe)")
    imp.add_argument("--ttl-hours", type=float, help="invite lifetime (default: "
                     "invites.ttl_hours)")
    imp.add_argument("--lang", choices=["zh_CN", "en"],
                     help="language of messages (default: from LANG)")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.cli._bot import bot_username
    from bot.cli.imports import run_import
    from bot.config import load_settings
    from surveys.intake.importer import Hooks
    from surveys.intake.owners_import import InviteOptions, OwnerTaken, import_owners_csv

    if not args.invites:
        return run_import(args, lambda db, _settings, hooks: import_owners_csv(
            db=db, path=args.file, hooks=hooks))
    settings = load_settings()
    tr = terminal_tr(args.lang)
    secret = settings.invites.secret.get_secret_value()
    if not secret:
        print(tr._("error: {reason}", reason=tr._(
            "set invites.secret (OWNERVOICE_INVITES__SECRET) to create invite links; "
            "nothing was imported")), file=sys.stderr)
        return 2
    username = args.bot_username or asyncio.run(bot_username(settings))
    if not username:
        print(tr._("error: {reason}", reason=tr._(
            "could not learn the bot's username: give --bot-username; nothing was imported")),
            file=sys.stderr)
        return 2
    options = InviteOptions(secret, timedelta(hours=args.ttl_hours or settings.invites.ttl_hours))
    try:  # opened before any row is imported: a bad path imports nothing
        out = open_private(args.invites, "w", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise cannot_write(exc, args.invites) from None
    with out:
        writer = csv.writer(out)
        writer.writerow(INVITE_COLUMNS)
        link = f"https://t.me/{username.lstrip('@')}?start="
        written: set[int] = set()  # an owner listed twice gets one line

        def write_invite(taken: Any) -> None:
            if isinstance(taken, OwnerTaken) and taken.invite_token \
                    and taken.owner_id not in written:
                written.add(taken.owner_id)
                row = taken.row
                writer.writerow([csv_cell(v) for v in (
                    row.community_code, row.name, row.phone, row.building, row.room)]
                    + [link + taken.invite_token])

        return run_import(args, lambda db, _settings, hooks: import_owners_csv(
            db=db, path=args.file, invites=options,
            hooks=Hooks(hooks.on_error, hooks.on_progress, write_invite)))
