"""The aiohttp application: Bot API routes, file downloads, and the running server."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from aiohttp import web

from bot.emulator import api_messages, api_misc  # noqa: F401  (they register the methods)
from bot.emulator.client import EmulatorClient
from bot.emulator.control import add_control_routes
from bot.emulator.core import Emulator
from bot.emulator.errors import NOT_FOUND, UNAUTHORIZED, ApiError
from bot.emulator.params import Params, read_params
from bot.emulator.registry import lookup
from bot.emulator.state import TOKEN_RE
from bot.errors import listen

log = logging.getLogger(__name__)
EMULATOR = web.AppKey("emulator", Emulator)
MAX_UPLOAD = 60 * 1024 * 1024


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _answer(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


async def bot_api(request: web.Request) -> web.StreamResponse:
    """Serve one Bot API call: /bot<token>/<method>."""
    emu = request.app[EMULATOR]
    token = request.match_info["token"]
    if not TOKEN_RE.match(token):
        return _answer(401, UNAUTHORIZED.payload())
    if emu.latency:
        await asyncio.sleep(emu.latency)
    bot = emu.bot(token)
    found = lookup(request.match_info["method"])
    started = time.time()
    name = found[0] if found else request.match_info["method"]
    bot.method_counts[name] += 1
    entry: dict[str, Any] = {"method": name, "params": {}, "time": started}
    bot.log(entry)
    try:
        if found is None:
            raise NOT_FOUND
        params = await read_params(request)
        entry["params"] = params.loggable()
        result = await _call(emu, bot, name, found[1], params, entry, request)
        status, body = 200, {"ok": True, "result": result}
    except ApiError as exc:
        status, body = exc.status, exc.payload()
        if status == 429:
            bot.too_many_requests += 1
        if entry.get("fault") == "ok_false":
            entry["fault_answer"] = f"ok_false {status}"
            status = 200  # the error body, under a success status
    except _Dropped:
        status, body = 0, {}
    except _ProxyPage as exc:
        entry.update(status=exc.status, ok=False, fault_answer="proxy_page",
                     duration=time.time() - started)
        bot.status_counts[exc.status] += 1
        return web.Response(status=exc.status, text=_PROXY_PAGE.format(status=_phrase(exc.status)),
                            content_type="text/html")
    except _Redirect:
        entry.update(status=302, ok=False, fault_answer="redirect", duration=time.time() - started)
        bot.status_counts[302] += 1
        return web.Response(status=302, headers={"Location": str(request.url)})
    except _Unreadable as exc:
        status, body = 200, {"ok": True, "result": {"message_id": "?", "garbled": True}}
        entry.update(status=status, ok=True, fault_answer=exc.kind,
                     duration=time.time() - started)
        bot.status_counts[status] += 1
        if exc.kind == "not_json":
            return web.Response(status=200, text="<html>upstream says hello</html>",
                                 content_type="text/html")
        return _answer(status, body)
    except Exception:  # an emulator bug must still answer in Telegram's shape
        log.exception("emulated %s failed", name)
        status, body = 500, ApiError(500, "Internal Server Error").payload()
    entry.update(status=status, ok=bool(body.get("ok")), description=body.get("description"),
                 duration=time.time() - started)
    bot.status_counts[status] += 1
    if status == 0:
        return _drop(request)
    return _answer(status, body)


class _Dropped(Exception):
    pass


class _ProxyPage(Exception):
    """Answer as a reverse proxy in front of the Bot API would: an HTML error page."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


_PROXY_PAGE = ("<html><head><title>{status}</title></head><body><center><h1>{status}</h1>"
               "</center><hr><center>nginx</center></body></html>")


class _Redirect(Exception):
    """Answer as a proxy caught in a redirect loop would: 302 back to the same URL."""


class _Unreadable(Exception):
    """The method ran; answer 200 with a body the client cannot read."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


async def _call(emu: Emulator, bot: Any, name: str, handler: Any, params: Params,
                entry: dict[str, Any], request: web.Request) -> Any:
    fault = emu.faults.take(name)
    if fault is None:
        return await handler(emu, bot, params)
    entry["fault"] = fault.kind
    if fault.kind == "delay":
        await asyncio.sleep(fault.delay)
    elif fault.kind == "ok_false" and fault.status == 429:
        raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                       fault.retry_after)
    elif fault.kind in ("status", "ok_false"):
        phrases = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                   504: "Gateway Timeout"}
        raise ApiError(fault.status, fault.description
                       or phrases.get(fault.status, "Internal Server Error"))
    elif fault.kind == "proxy_page":
        raise _ProxyPage(fault.status)
    elif fault.kind == "redirect":
        raise _Redirect
    elif fault.kind == "retry_after":
        raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                       fault.retry_after)
    elif fault.kind == "drop":
        raise _Dropped
    result = await handler(emu, bot, params)
    if fault.kind == "drop_after":
        raise _Dropped
    if fault.kind in ("reverse", "twice") and isinstance(result, list):
        entry["fault_answer"] = f"{fault.kind} {len(result)}"  # how many it scrambled
        return result[::-1] if fault.kind == "reverse" else result + result
    if fault.kind in ("garbled", "not_json"):
        raise _Unreadable(fault.kind)
    return result


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _drop(request: web.Request) -> web.StreamResponse:
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError


async def file_download(request: web.Request) -> web.StreamResponse:
    """Serve a file's bytes: /file/bot<token>/<file_path>."""
    emu = request.app[EMULATOR]
    token = request.match_info["token"]
    if not TOKEN_RE.match(token):
        return _answer(401, UNAUTHORIZED.payload())
    path = request.match_info["path"]
    for record in emu.bot(token).files.values():
        if record.file_path == path:
            return web.Response(body=record.data,
                                content_type=record.mime_type or "application/octet-stream")
    return _answer(404, NOT_FOUND.payload())


async def health(request: web.Request) -> web.Response:
    """Say the emulator is up."""
    return _answer(200, {"ok": True, "result": "ownervoice Bot API emulator"})


def make_app(emulator: Emulator) -> web.Application:
    """Build the aiohttp application around an emulator."""
    app = web.Application(client_max_size=MAX_UPLOAD)
    app[EMULATOR] = emulator
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{path:.+}", file_download)
    app.router.add_get("/", health)
    add_control_routes(app, emulator)

    async def on_cleanup(_: web.Application) -> None:
        await emulator.close()

    app.on_cleanup.append(on_cleanup)
    return app


class EmulatorServer:
    """A running emulator: its URL, a control client and the in-process state."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None
        self._client: EmulatorClient | None = None

    @property
    def state(self) -> Emulator:
        """Return the in-process emulator (for assertions without HTTP)."""
        return self.emulator

    @property
    def base_url(self) -> str:
        """Return e.g. http://127.0.0.1:PORT (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    @property
    def client(self) -> EmulatorClient:
        """Return a control client bound to this server."""
        if self._client is None:
            self._client = EmulatorClient(self.base_url)
        return self._client

    def api_url(self, token: str) -> str:
        """Return the Bot API prefix for a token (for PTB's base_url give f'{base_url}/bot')."""
        return f"{self.base_url}/bot{token}"

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one)."""
        self._runner = web.AppRunner(make_app(self.emulator), handle_signals=False,
                                     access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await listen(site, host=self.host, port=self.port, setting="--port",
                     address_setting="--host / --port")
        address = self._runner.addresses[0]
        self.port = int(address[1])

    async def stop(self) -> None:
        """Close the control client and stop listening."""
        if self._client is not None:
            await self._client.close()
            self._client = None
        for bot in self.emulator.bots.values():
            bot.updates.close()  # long polls answer now instead of holding up shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@asynccontextmanager
async def running_emulator(
    *, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> AsyncIterator[EmulatorServer]:
    """Run an emulator on loopback for the duration of the block.

    Options are those of `Emulator`: flood_limits, per_bot, per_chat, latency,
    callback_timeout, webhook_retry_delay, bot_names, require_start.
    """
    server = EmulatorServer(Emulator(**options), host, port)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
