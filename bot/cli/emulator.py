"""The `ownervoice emulator` subcommand: run the bundled Bot API emulator standalone."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import Any

from bot.cli.errors import N_, terminal_tr

LISTENING = N_("Bot API emulator listening on {url} (Bot API: {url}/bot<token>/<method>, "
               "control: {url}/control/)")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "emulator",
        help="run the bundled Telegram Bot API emulator on loopback",
        description="Serve the Bot API at http://HOST:PORT/bot<token>/<method> and the "
        "control API at /control/... until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8081, help="port (0 picks a free one)")
    parser.add_argument("--flood-limits", action="store_true",
                        help="enforce ~30 messages/s per bot and ~1/s per chat (429s)")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds added to every Bot API answer")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


async def _serve(args: argparse.Namespace) -> None:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.emulator import running_emulator

    async with running_emulator(host=args.host, port=args.port,
                                flood_limits=args.flood_limits, latency=args.latency) as emu:
        print(terminal_tr()._(LISTENING, url=emu.base_url), file=sys.stderr, flush=True)
        await asyncio.Event().wait()
