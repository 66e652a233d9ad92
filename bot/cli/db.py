"""The `ownervoice db` subcommand: apply and inspect schema migrations (Alembic).

`db upgrade [REV]` brings the configured database to REV (default: the newest revision);
`db current` prints the database's revision; `db revision -m MSG --autogenerate` (developers)
writes a new revision from the difference between the models and a database at head — by
default a throw-away SQLite file, so no server is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.cli._db import check_file, opened, resolve_url, sqlite_path, where
from bot.cli.errors import N_, CliError, terminal_tr

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")

AT = N_("{where}: at revision {revision}")
EMPTY = N_("{where}: empty (no revision)")
UP_TO_DATE = N_("{where}: at revision {revision}, the newest — up to date")
BEHIND = N_("{where}: at revision {revision}, the newest is {head}; run `ownervoice db upgrade`")
EMPTY_BEHIND = N_("{where}: empty, the newest revision is {head}; run `ownervoice db upgrade`")
MISSING = N_("{where}: no database yet, the newest revision is {head}; run `ownervoice db upgrade`")
NO_REVISION = N_("ownervoice {command}: there is no revision {revision}; the newest is {head} "
                 "(`ownervoice db current` shows where the database is)")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser("db", help="apply and inspect database migrations")
    parser.add_argument(
        "--db-url", help="database URL (default: database.url from the config/environment)"
    )
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION")

    up = sub.add_parser("upgrade", help="migrate the database to REV (default: head)")
    up.add_argument("revision", nargs="?", default="head", metavar="REV",
                    help="revision to go up to (default: head, the newest)")
    up.set_defaults(func=partial(_migrate, "upgrade"))

    down = sub.add_parser("downgrade", help="migrate down to REV (developers; loses data)")
    down.add_argument("revision", metavar="REV",
                      help="revision to go down to: base, -1 or a revision id")
    down.set_defaults(func=partial(_migrate, "downgrade"))

    cur = sub.add_parser("current", help="print the database's revision and the newest one")
    cur.set_defaults(func=_current)

    rev = sub.add_parser("revision", help="write a new revision (developers)")
    rev.add_argument("-m", "--message", required=True,
                     help="one line saying what the revision changes (names its file)")
    rev.add_argument(
        "--autogenerate",
        action="store_true",
        help="fill the revision from the models (compared with a database at head)",
    )
    rev.add_argument("--rev-id", help="revision id to use instead of a random one")
    rev.set_defaults(func=_revision)

    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _db_url(args: argparse.Namespace) -> str:
    from bot.config import load_settings  # why: CLI start-up stays fast

    raw = getattr(args, "db_url", None)
    url = resolve_url(raw, None if raw else load_settings())
    check_file(url, must_exist=False)
    return url


def _safe(url: str) -> str:
    return where(url)


async def _with_engine(url: str, action: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    async with opened(url) as engine:
        return await action(engine)


def _migrate(direction: str, args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from alembic.script.revision import ResolutionError
    from alembic.util import CommandError

    from surveys import migrations

    step = {"upgrade": migrations.upgrade, "downgrade": migrations.downgrade}[direction]

    async def migrate(engine: AsyncEngine) -> str | None:
        await step(engine, args.revision)
        return await migrations.current_revision(engine)

    url = _db_url(args)
    try:
        current = asyncio.run(_with_engine(url, migrate))
    except CommandError as exc:
        if not isinstance(exc.__cause__, ResolutionError):
            raise
        # Alembic could not find the revision before it changed anything.
        raise CliError(NO_REVISION, revision=args.revision,
                       head=migrations.head_revision()) from exc
    tr = terminal_tr()
    print(tr._(AT, where=_safe(url), revision=current) if current
          else tr._(EMPTY, where=_safe(url)))
    return 0


def _current(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from surveys import migrations

    url = _db_url(args)
    head = migrations.head_revision()
    path = sqlite_path(url)
    if path is not None and not path.exists():  # a look: opening the file would create it
        print(terminal_tr()._(MISSING, where=str(path), head=head))
        return 1
    current = asyncio.run(_with_engine(url, migrations.current_revision))
    message = UP_TO_DATE if current == head else BEHIND if current else EMPTY_BEHIND
    print(terminal_tr()._(message, where=_safe(url), revision=current, head=head))
    return 0 if current == head else 1


def _revision(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from alembic import command

    from surveys import migrations

    if not args.autogenerate:
        script = command.revision(
            migrations.alembic_config(), message=args.message, rev_id=args.rev_id
        )
        paths = [Path(script.path)] if script is not None and not isinstance(script, list) else []
    else:

        async def generate(engine: AsyncEngine) -> list[Path]:
            await migrations.upgrade(engine)
            return await migrations.autogenerate_revision(
                engine, message=args.message, rev_id=args.rev_id
            )

        with tempfile.TemporaryDirectory() as tmp:
            url = args.db_url or f"sqlite+aiosqlite:///{Path(tmp) / 'autogenerate.db'}"
            paths = asyncio.run(_with_engine(url, generate))
    for path in paths:
        _tidy(path)
        print(f"wrote {path} — review it before committing")
    return 0


def _tidy(path: Path) -> None:
    # Generated code must pass the project's lint; ruff fixes imports and wraps long lines.
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        return
    subprocess.run([ruff, "format", "--quiet", str(path)], check=False)
    subprocess.run([ruff, "check", "--fix", "--quiet", str(path)], check=False)
