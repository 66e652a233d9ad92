"""The `ownervoice classify` subcommand (not built yet)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser("classify", help="(not built yet)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    print("ownervoice classify: not built yet", file=sys.stderr)
    return 1
