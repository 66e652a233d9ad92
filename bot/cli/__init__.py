"""The `ownervoice` command line: one module per subcommand, each with `register()`.

Subcommand modules import heavy dependencies (settings, the database layer, services) inside
their handlers, each such import marked `# why:`, and only the subcommand named on the command
line is imported, so `ownervoice --help` and `ownervoice classify` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence

from bot.cli.argtext import Parser, share_option
from bot.cli.errors import (
    CONFIG_IS_FOLDER,
    EXIT_ERROR,
    NO_CONFIG_FILE,
    CliError,
    explain,
    say,
)

log = logging.getLogger(__name__)

SUBCOMMANDS = (
    "demo",
    "run",
    "classify",
    "report",
    "points",
    "orders",
    "people",
    "staff",
    "db",
    "emulator",
    "surveys",
    "revisits",
    "templates",
)


def _wanted(argv: Sequence[str]) -> tuple[str, ...]:
    """Return the one subcommand named on the line, or all of them (for --help)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--config":
            skip = True
        elif arg.startswith("--config="):
            continue
        elif arg in SUBCOMMANDS:
            return (arg,)
        elif not arg.startswith("-"):
            break
    return SUBCOMMANDS


def build_parser(names: Sequence[str] = SUBCOMMANDS) -> argparse.ArgumentParser:
    """Build the argument parser with the named subcommands (default all) registered."""
    parser = Parser(prog="ownervoice", description="业主之声 — owner feedback and survey bot")
    parser.add_argument("--config", help="path to ownervoice.toml (default: ./ownervoice.toml)")
    parser.add_argument("-v", "--verbose", dest="cli_verbose", action="store_true",
                        help="print the traceback when a command fails unexpectedly")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in names:
        module = importlib.import_module(f"bot.cli.{name}")
        module.register(subparsers)
    # A newcomer types `ownervoice db upgrade --db-url URL` as readily as `db --db-url URL …`.
    share_option(parser, "db_url")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Importing only the subcommand in use keeps `ownervoice classify` free of asyncio & co.
    parser = build_parser(_wanted(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help shown, or a usage mistake said in one line
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        if args.config:
            _use_config(args.config)
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Nobody reads a traceback: one line in their language, exit 2 (-v shows the rest).
        say(explain(exc), command=command_label(args), lang=getattr(args, "lang", None))
        if args.cli_verbose:
            traceback.print_exc()
        else:
            log.debug("ownervoice %s failed", command_label(args), exc_info=True)
        return EXIT_ERROR


def _use_config(path: str) -> None:
    """Read settings from PATH; a file named on the command line must exist."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.config import CONFIG_ENV

    if os.path.isdir(path):  # pydantic-settings would take it for a missing file
        raise CliError(CONFIG_IS_FOLDER, path=path, example=os.path.join(path, "ownervoice.toml"))
    if not os.path.isfile(path):
        raise CliError(NO_CONFIG_FILE, path=path)
    os.environ[CONFIG_ENV] = path


def command_label(args: argparse.Namespace) -> str:
    """Return the subcommand as typed, e.g. "managers add" (for messages)."""
    words = [args.command]
    for name in ("people_kind", "action", "db_command", "surveys_command", "orders_command"):
        value = getattr(args, name, None)
        if value:
            words.append(value)
    return " ".join(str(w) for w in words if w)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
