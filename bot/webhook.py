"""Webhook mode: one aiohttp server for the Telegram webhook, the intake API and health checks.

    POST <path of the webhook URL>   updates from Telegram; the header
                                     `X-Telegram-Bot-Api-Secret-Token` must match (else 401)
    POST /api/v1/...                 the intake API (`bot.api`), unchanged
    GET  /healthz                    liveness: the process answers (always 200)
    GET  /readyz                     readiness: database reachable and bot initialised (or 503)

An update is handled before the 200 is returned, so one lost to a crash is redelivered by
Telegram (duplicates are dropped by update id). Shutdown stops accepting requests, lets the
ones in flight finish (up to `drain_seconds`), then closes the app; the webhook itself stays
registered so other replicas keep receiving updates.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.api import DB, ON_ENQUEUED, SETTINGS, create_api_app
from bot.api.body import HANDLER_ARGS, parse_json, printable_header, read_body
from bot.api.errors import error_response
from bot.app import App, build_app
from bot.cli import main as cli_main
from bot.cli.argtext import Parser
from bot.cli.errors import EXIT_ERROR
from bot.config import Settings
from bot.errors import listen
from bot.runtime.base import InvalidUpdate
from bot.web import setup_web
from surveys.survey.links import PATH_PREFIX

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
APP = web.AppKey("ownervoice_app", App)

SECRET = web.AppKey("webhook_secret", str)


class WebhookRefused(Exception):
    """The Bot API would not take the webhook URL (setWebhook failed): `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def webhook_secret(configured: str | None, token: str) -> str:
    """Return the secret Telegram must echo: the configured one, else derived from the token."""
    if configured:
        return configured
    # Telegram allows 1-256 characters of [A-Za-z0-9_-]; hex qualifies.
    return hashlib.sha256(f"ownervoice-webhook:{token}".encode()).hexdigest()


def webhook_path(url: str) -> str:
    """Return the path part of the public webhook URL (default /telegram/webhook)."""
    path = urlsplit(url).path
    return path if path and path != "/" else DEFAULT_PATH


async def _receive(request: web.Request) -> web.Response:
    given = printable_header(request, SECRET_HEADER) or ""
    if not hmac.compare_digest(given.encode(), request.app[SECRET].encode()):
        return error_response(401, "unauthorized", f"missing or wrong {SECRET_HEADER} header")
    update = parse_json(await read_body(request, request.app[SETTINGS].api.max_body_bytes))
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return error_response(400, "invalid_update", "an Update object with update_id expected")
    app = request.app[APP]
    try:
        await feed(app, update)
    except InvalidUpdate as exc:
        # An Update the framework cannot read (a Bot API server of another version): the
        # same bytes would fail again, and Telegram repeats any answer but a 2xx, holding
        # up the updates behind it. Acknowledge it as skipped, as polling does.
        log.warning("webhook update %s could not be read by the chat framework, skipped: %s",
                    update.get("update_id"), exc)
        return web.json_response({"ok": True, "skipped": "unreadable_update"})
    except Exception:
        # A 5xx makes Telegram deliver the update again later; dedupe drops a repeat.
        log.exception("webhook update %s failed", update.get("update_id"))
        return error_response(503, "retry_later", "update not handled; retry")
    return web.json_response({"ok": True})


async def feed(app: App, update: dict[str, Any]) -> None:
    """Hand one update to the chat runtime (aiogram or PTB)."""
    await app.runtime.feed_update(update)


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _readyz(request: web.Request) -> web.Response:
    app = request.app[APP]
    checks: dict[str, bool] = {}
    try:
        async with app.engine.connect() as conn:
            await asyncio.wait_for(conn.exec_driver_sql("SELECT 1"), timeout=5)
        checks["database"] = True
    except Exception as exc:
        log.warning("readiness: database unreachable: %s", exc)
        checks["database"] = False
    checks["bot"] = bool(getattr(app, "webhook_ready", False))
    tasks = getattr(app, "_tasks", [])
    checks["dispatcher"] = any(t.get_name() == "outbox-dispatcher" and not t.done() for t in tasks)
    ok = all(checks.values())
    return web.json_response({"ok": ok, **checks}, status=200 if ok else 503)


def create_webhook_app(app: App, *, path: str, secret: str) -> web.Application:
    """Build the single server application: webhook, intake API and health checks."""
    api = create_api_app(db=app.db, settings=app.settings, on_enqueued=app.wake_dispatcher)
    server = web.Application(
        middlewares=list(api.middlewares), client_max_size=app.settings.api.max_body_bytes,
        handler_args=HANDLER_ARGS,
    )
    server[DB] = api[DB]
    server[SETTINGS] = api[SETTINGS]
    server[ON_ENQUEUED] = api[ON_ENQUEUED]
    server[APP] = app
    server[SECRET] = secret
    server.router.add_post(path, _receive)
    server.router.add_get("/healthz", _healthz)
    server.router.add_get("/readyz", _readyz)
    for route in api.router.routes():
        canonical = route.resource.canonical if route.resource is not None else ""
        if canonical == "/healthz" or route.method == "HEAD" or canonical.startswith(PATH_PREFIX):
            # Liveness is ours; HEAD comes with each GET; the survey page is set up below,
            # as a copy by `canonical` would lose its patterns ({rest:.*} becomes {rest}).
            continue
        server.router.add_route(route.method, canonical, route.handler)
    setup_web(server, db=app.db, settings=app.settings)
    return server


class WebhookServer:
    """Serve the webhook for a built `bot.app.App` (started with polling and API off)."""

    def __init__(
        self,
        app: App,
        *,
        url: str,
        host: str,
        port: int,
        secret: str,
        drain_seconds: float = 20.0,
        register: bool = True,
    ) -> None:
        self.app, self.url, self.host, self.port = app, url, host, port
        self.secret, self.drain_seconds, self.register = secret, drain_seconds, register
        self.path = webhook_path(url)
        self.bound_url: str | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen, then tell Telegram where to post updates."""
        server = create_webhook_app(self.app, path=self.path, secret=self.secret)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=self.drain_seconds)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await listen(site, host=self.host, port=self.port,
                     setting="api.port / OWNERVOICE_API__PORT",
                     address_setting="api.host / api.port")
        sockets = getattr(getattr(site, "_server", None), "sockets", None) or []
        port = sockets[0].getsockname()[1] if sockets else self.port
        self.bound_url = f"http://{self.host}:{port}"
        if self.register:
            try:
                await self.app.bot.set_webhook(
                    url=self.url, secret_token=self.secret, drop_pending_updates=False
                )
            except Exception as exc:  # either framework's error: Telegram's words say why
                raise WebhookRefused(getattr(exc, "message", None) or str(exc)) from exc
        self.app.webhook_ready = True
        log.info("webhook server on %s (path %s, %s runtime) for %s", self.bound_url, self.path,
                 getattr(getattr(self.app, "runtime", None), "name", "?"), self.url)

    async def close(self) -> None:
        """Stop accepting requests and wait for the ones in flight (graceful drain)."""
        self.app.webhook_ready = False
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def serve(settings: Settings, url: str, *, stop: asyncio.Event) -> str | None:
    """Run the bot in webhook mode until `stop` is set: app, webhook server, graceful exit.

    Return why an essential task (the outbox sender) died, None after a normal stop.
    """
    app = build_app(settings, polling=False, serve_api=False)
    token = settings.telegram.token.get_secret_value()
    configured = settings.telegram.webhook_secret
    secret = webhook_secret(configured.get_secret_value() if configured else None, token)
    server = WebhookServer(
        app, url=url, host=settings.api.host, port=settings.api.port, secret=secret
    )
    async with app:
        try:
            await server.start()
            await app.wait_closed(stop)
        finally:
            await server.close()  # drain requests before the app (and its database) closes
    return app.failure


def run(settings: Settings, url: str) -> int:
    """Serve webhook mode in the foreground until SIGTERM/SIGINT; return the exit code."""
    async def main() -> str | None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        return await serve(settings, url, stop=stop)

    return 1 if asyncio.run(main()) else 0  # 1: a supervisor should restart the process


def build_parser() -> Parser:
    """Build `python -m bot.webhook`'s parser: catalog-worded help and mistakes, as the CLI's."""
    parser = Parser(prog="python -m bot.webhook",
                    description="run the bot in webhook mode, the same as "
                                "`ownervoice run --webhook URL`")
    parser.add_argument("--config", help="path to ownervoice.toml (default: ./ownervoice.toml)")
    parser.add_argument("url", metavar="URL", help="public HTTPS URL Telegram posts updates to")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.webhook [--config PATH] URL`: run `ownervoice run --webhook URL`."""
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as stop:  # --help shown, or a usage mistake said in one line
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    config = ["--config", args.config] if args.config else []
    # One command, one behaviour: settings, logging, a missing token, an unreachable Bot API
    # and any other failure are said by `ownervoice run`, in the terminal's language.
    return cli_main([*config, "run", "--webhook", args.url])


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
