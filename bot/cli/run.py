"""`ownervoice run`: the real bot — long polling (or webhook), outbox sender, jobs, intake API."""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.cli.errors import NO_TOKEN, CliError

if TYPE_CHECKING:
    from bot.config import Settings

EXIT_TASK_DIED = 1  # polling or the sender stopped on its own: a supervisor should restart us


def N_(message: str) -> str:
    """Mark a msgid for extraction (translated by bot.cli.errors.say)."""
    return message


# The failure's detail (the framework's and the system's English) is in the log line above.
UNREACHABLE = N_("ownervoice {command}: cannot reach the Bot API at {url} after {attempts} "
                 "attempts; check the network and telegram.api_base "
                 "(telegram.startup_attempts sets how long to keep trying)")
BAD_WEBHOOK_URL = N_("ownervoice {command}: {url} is not a webhook URL; give the public HTTPS "
                     "address Telegram posts updates to, e.g. "
                     "https://bot.example.com/telegram/webhook")
NO_WEBHOOK_URL = N_("ownervoice {command}: telegram.mode is \"webhook\" but no webhook URL is "
                    "set; set telegram.webhook_url or give --webhook URL")
WEBHOOK_REFUSED = N_("ownervoice {command}: the Bot API did not accept the webhook URL {url} "
                     "({reason}); Telegram needs a public HTTPS address it can reach")
REFUSED_TOKEN = N_("ownervoice {command}: the Bot API at {url} refused the bot token "
                   "({reason}); check telegram.token (OWNERVOICE_TELEGRAM__TOKEN)")
BAD_TOKEN = N_("ownervoice {command}: telegram.token (OWNERVOICE_TELEGRAM__TOKEN) is not a bot "
               "token: one reads like 123456789:AAH…, digits, a colon, then letters, digits, - "
               "and _; copy the whole of it from @BotFather")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "run", help="run the bot (token, database and Bot API URL from ownervoice.toml / env)")
    parser.add_argument("--webhook", metavar="URL",
                        help="receive updates on this public HTTPS URL instead of long polling "
                             "(default: telegram.webhook_url when telegram.mode = 'webhook')")
    parser.add_argument("--no-api", action="store_true", help="do not serve the intake API")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.config import is_bot_token, load_settings
    from bot.logging import setup_logging

    settings = load_settings()  # an invalid one: bot.cli.errors.explain names the keys
    # Phone numbers masked in every line; no SQL parameters or payloads unless asked.
    setup_logging(settings.log_level, personal_data=settings.log_personal_data)
    token = settings.telegram.token.get_secret_value()
    if not token:
        raise CliError(NO_TOKEN)
    # aiogram refused such a token with an unexplained TokenValidationError. Never echoed:
    # it may be a real one mistyped.
    if not is_bot_token(token):
        raise CliError(BAD_TOKEN)
    url = args.webhook or (settings.telegram.webhook_url
                           if settings.telegram.mode == "webhook" else None)
    if not url and settings.telegram.mode == "webhook":  # not quietly polling instead
        raise CliError(NO_WEBHOOK_URL)
    if url and not is_webhook_url(url):  # before the database and the Bot API are touched
        raise CliError(BAD_WEBHOOK_URL, url=url)
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.app import DatabaseUnusable, StartupFailed
    from bot.cli._db import database_failure
    from bot.runtime.base import TelegramRefused

    try:
        if url:
            # why: loaded when this command runs, so `ownervoice --help` stays fast
            from bot import webhook

            try:
                return webhook.run(settings, url)
            except webhook.WebhookRefused as exc:
                raise CliError(WEBHOOK_REFUSED, url=url,
                               reason=_without(token, exc.reason)) from exc
        failure = asyncio.run(_poll(settings, serve_api=not args.no_api))
    except StartupFailed as exc:
        if exc.stopped:  # asked to stop while retrying: a normal stop, as after start-up
            return 0
        raise CliError(UNREACHABLE, url=exc.api_base, attempts=exc.attempts) from exc
    except DatabaseUnusable as exc:
        raise database_failure(exc.__cause__, settings.database.url, connecting=True) from exc
    except TelegramRefused as exc:
        raise CliError(REFUSED_TOKEN, url=settings.telegram.api_base,
                       reason=_without(token, str(exc))) from exc
    return EXIT_TASK_DIED if failure else 0


def _without(token: str, reason: str) -> str:
    """A framework's reason without the bot token (the line goes to the journal)."""
    from surveys.core.pii import mask_secrets  # why: only on the error path

    bot_id = token.partition(":")[0]
    return mask_secrets(reason.replace(token, f"{bot_id}:***"))


def is_webhook_url(url: str) -> bool:
    """Tell whether `url` can be a webhook address: http(s), a host, no spaces."""
    parts = urlsplit(url)
    # Telegram itself wants HTTPS; a local Bot API server also takes http.
    return parts.scheme in ("https", "http") and bool(parts.hostname) and not any(
        c.isspace() for c in url)


async def _poll(settings: Settings, *, serve_api: bool) -> str | None:
    """Run until stopped; return why an essential task died (None after SIGTERM/Ctrl-C)."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.app import build_app

    app = build_app(settings, serve_api=serve_api)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, app.stop_event.set)
    async with app:
        await app.wait_closed()
    return app.failure
