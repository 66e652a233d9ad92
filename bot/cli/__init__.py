"""The `ownervoice` command line: one module per subcommand, each with `register()`.

Subcommand modules import heavy dependencies inside their handlers, so `ownervoice --help`
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS = (
    "demo",
    "run",
    "classify",
    "report",
    "orders",
    "people",
    "staff",
    "db",
    "emulator",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="ownervoice", description="业主之声 — owner feedback and survey bot"
    )
    parser.add_argument("--config", help="path to ownervoice.toml (default: ./ownervoice.toml)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"bot.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.config:
        import os

        from bot.config import CONFIG_ENV

        os.environ[CONFIG_ENV] = args.config
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
