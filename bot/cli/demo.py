"""`ownervoice demo`: the whole flow offline against the bundled Bot API emulator."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from bot.cli.errors import N_, CliError, terminal_locale

NO_FOLDER = N_("ownervoice {command}: cannot use the folder {path}: check the path and "
               "permissions (it cannot be inside a file)")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "demo", help="run the whole flow offline and print the chat transcript")
    parser.add_argument("--workdir", type=Path,
                        help="keep the SQLite file (and report files) here instead of a temp dir")
    parser.add_argument("--runtime", choices=("aiogram", "ptb"), default="aiogram",
                        help="chat runtime to drive (default: aiogram)")
    parser.add_argument("--out", type=Path, default=Path("demo-output"),
                        help="folder for the report files (XLSX, PNG); default: demo-output/")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the bot's log")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.demo.runner import run_demo
    from bot.demo.transcript import Transcript
    from bot.logging import setup_logging

    for folder in (args.out, args.workdir):
        if folder is not None:
            _usable(folder)  # before the demo starts, not when its files are written
    # Without -v the terminal shows the transcript only: a bot error that stops the demo
    # becomes its one failure line, and -v shows the bot's log with the tracebacks.
    setup_logging(logging.INFO if args.verbose else logging.CRITICAL + 1)
    # The narration speaks the terminal's language (LANG), as every CLI message does.
    transcript = Transcript(locale=terminal_locale())
    return asyncio.run(run_demo(workdir=args.workdir, runtime=args.runtime, out_dir=args.out,
                                transcript=transcript))


def _usable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise CliError(NO_FOLDER, path=folder) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(NO_FOLDER, path=folder)
