"""Push updates to a webhook, retrying on failure as Telegram does."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.emulator.errors import ApiError
from bot.emulator.models import now
from bot.emulator.params import Params, UploadedFile
from bot.emulator.registry import lookup

if TYPE_CHECKING:
    from bot.emulator.core import Emulator
    from bot.emulator.state import BotState

MAX_BACKOFF = 5.0


def start(emu: Emulator, bot: BotState) -> None:
    """Start (or restart) the delivery task of the bot's webhook."""
    stop(bot)
    bot.webhook_task = asyncio.get_running_loop().create_task(deliver(emu, bot))


def stop(bot: BotState) -> None:
    """Stop delivering to the bot's webhook."""
    if bot.webhook_task is not None:
        bot.webhook_task.cancel()
        bot.webhook_task = None


async def deliver(emu: Emulator, bot: BotState) -> None:
    """Post each pending update in order; keep it queued until the webhook answers 2xx."""
    if emu.http is None:
        emu.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    queue = bot.updates
    backoff = emu.webhook_retry_delay
    while bot.webhook is not None:
        queue.pending = [p for p in queue.pending if queue.is_allowed(p.update)]
        if not queue.pending:
            await queue.wait(30)
            continue
        item = next((p for p in queue.pending if p.forced), queue.pending[0])
        hook = bot.webhook
        headers = {}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        reply: Params | None = None
        try:
            async with emu.http.post(hook.url, json=item.update, headers=headers) as response:
                ok = 200 <= response.status < 300
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
                if ok:
                    reply = await _reply_params(response)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            ok, error = False, f"Connection error: {exc.__class__.__name__}"
        if ok:
            item.delivered = True
            if item in queue.pending:
                queue.pending.remove(item)
            hook.delivered += 1
            backoff = emu.webhook_retry_delay
            if reply is not None and reply.string("method"):
                await _run_reply(emu, bot, reply)
            continue
        hook.failures += 1
        hook.last_error_date, hook.last_error_message = now(), error
        await asyncio.sleep(backoff)
        backoff = min(MAX_BACKOFF, backoff * 2)


async def _reply_params(response: aiohttp.ClientResponse) -> Params | None:
    """Read a method call from a webhook answer (JSON, or multipart as aiogram sends)."""
    if response.content_type == "application/json":
        with contextlib.suppress(ValueError, aiohttp.ContentTypeError):
            body = await response.json()
            return Params(body) if isinstance(body, dict) else None
        return None
    if response.content_type != "multipart/form-data":
        return None
    values: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    reader = aiohttp.MultipartReader.from_response(response)
    async for part in reader:
        if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
            continue
        if part.filename:
            files[part.name] = UploadedFile(bytes(await part.read()), part.filename,
                                            part.headers.get("Content-Type"))
        else:
            values[part.name] = await part.text()
    return Params(values, files)


async def _run_reply(emu: Emulator, bot: BotState, reply: Params) -> None:
    """Execute a method given in the webhook's answer, as Telegram allows."""
    found = lookup(reply.string("method") or "")
    if found is None:
        return
    name, handler = found
    params = Params({k: v for k, v in reply.values.items() if k != "method"}, reply.files)
    bot.method_counts[name] += 1
    status = 200
    try:
        await handler(emu, bot, params)
    except ApiError as exc:
        status = exc.status
    bot.status_counts[status] += 1
    bot.log({"method": name, "params": params.loggable(), "time": time.time(), "status": status,
             "via": "webhook_reply"})
