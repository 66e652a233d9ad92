"""Long polling, at-least-once redelivery and webhook push behave like Telegram's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.emulator import EmulatorServer
from tests.bot.emulator.conftest import TOKEN, USER_ID


async def api(emu: EmulatorServer, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.post(
            f"{emu.api_url(TOKEN)}/{method}", json=params) as response:
        return response.status, await response.json()


async def test_long_poll_wakes_as_soon_as_a_user_writes(emu: EmulatorServer) -> None:
    poll = asyncio.create_task(api(emu, "getUpdates", timeout=20))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await emu.client.send_text(TOKEN, USER_ID, "你好")
    status, body = await asyncio.wait_for(poll, 10)
    assert status == 200 and body["result"][0]["message"]["text"] == "你好"
    assert time.monotonic() - started < 5  # far below the 20 s poll timeout


async def test_second_poller_terminates_the_first_with_conflict(emu: EmulatorServer) -> None:
    first = asyncio.create_task(api(emu, "getUpdates", timeout=20))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(api(emu, "getUpdates", timeout=0))
    status, body = await asyncio.wait_for(first, 10)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")
    assert (await second)[0] == 200


async def test_offset_confirms_and_redeliver_brings_back_the_same_update_id(
        emu: EmulatorServer) -> None:
    sent = await emu.client.send_text(TOKEN, USER_ID, "1")
    _, first = await api(emu, "getUpdates")
    _, after = await api(emu, "getUpdates", offset=sent["update_id"] + 1)
    assert [u["update_id"] for u in first["result"]] == [sent["update_id"]]
    assert after["result"] == []
    await emu.client.redeliver(TOKEN, sent["update_id"])
    _, again = await api(emu, "getUpdates", offset=sent["update_id"] + 1)
    assert again["result"] == first["result"]
    _, confirmed = await api(emu, "getUpdates", offset=sent["update_id"] + 1)
    assert confirmed["result"] == []


async def test_reverse_and_twice_faults_answer_a_poll_newest_first_or_doubled(
        emu: EmulatorServer) -> None:
    ids = [(await emu.client.send_text(TOKEN, USER_ID, str(n)))["update_id"] for n in range(3)]
    await emu.client.inject_fault("getUpdates", "reverse")
    await emu.client.inject_fault("getUpdates", "twice")
    answers = [[u["update_id"] for u in (await api(emu, "getUpdates"))[1]["result"]]
               for _ in range(3)]
    assert answers == [ids[::-1], ids + ids, ids]  # nothing confirmed yet: all still there


async def test_deliver_twice_hands_the_same_tap_over_twice(emu: EmulatorServer) -> None:
    _, sent = await api(emu, "sendMessage", chat_id=USER_ID, text="?",
                        reply_markup={"inline_keyboard": [[{"text": "5", "callback_data": "5"}]]})
    update = await emu.client.tap(TOKEN, USER_ID, sent["result"]["message_id"], "5",
                                  deliver_twice=True)
    _, body = await api(emu, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [update["update_id"]] * 2


async def test_allowed_updates_filters_what_is_delivered(emu: EmulatorServer) -> None:
    _, sent = await api(emu, "sendMessage", chat_id=USER_ID, text="?")
    await emu.client.send_text(TOKEN, USER_ID, "text")
    await emu.client.tap(TOKEN, USER_ID, sent["result"]["message_id"], "forged")
    _, body = await api(emu, "getUpdates", allowed_updates=["callback_query"])
    assert [list(u)[1] for u in body["result"]] == ["callback_query"]
    assert body["result"][0]["callback_query"]["data"] == "forged"


async def test_user_messages_consume_message_ids_in_the_chat(emu: EmulatorServer) -> None:
    await emu.client.send_text(TOKEN, USER_ID, "hi")
    _, sent = await api(emu, "sendMessage", chat_id=USER_ID, text="hello")
    assert sent["result"]["message_id"] == 2
    chat = await emu.client.chat(TOKEN, USER_ID)
    assert [(m["sender"], m["message_id"]) for m in chat] == [("user", 1), ("bot", 2)]


async def test_each_token_is_a_separate_bot(emu: EmulatorServer) -> None:
    other = "999:other"
    await emu.client.send_text(TOKEN, USER_ID, "only for the first bot")
    async with aiohttp.ClientSession() as http, http.get(
            f"{emu.api_url(other)}/getUpdates") as response:
        assert (await response.json())["result"] == []


@pytest.fixture
async def hook() -> AsyncIterator[tuple[str, list[Any], list[int]]]:
    """A webhook receiver that fails its first answer with 500."""
    received: list[Any] = []
    statuses = [500]

    async def handle(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                         await request.json()))
        return web.Response(status=statuses.pop(0) if statuses else 200)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hook", received, statuses
    await runner.cleanup()


async def test_webhook_gets_updates_with_the_secret_and_a_retry_after_failure(
        emu: EmulatorServer, hook: tuple[str, list[Any], list[int]]) -> None:
    url, received, _ = hook
    status, _ = await api(emu, "setWebhook", url=url, secret_token="s3cret")
    assert status == 200
    update = await emu.client.send_text(TOKEN, USER_ID, "via webhook")
    for _ in range(200):
        if len(received) >= 2:
            break
        await asyncio.sleep(0.05)
    assert received == [("s3cret", update), ("s3cret", update)]
    _, info = await api(emu, "getWebhookInfo")
    assert info["result"]["url"] == url
    assert "500" in info["result"]["last_error_message"]
    assert info["result"]["pending_update_count"] == 0


async def test_aiogram_webhook_reply_with_a_method_is_executed(emu: EmulatorServer) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> Any:
        return message.answer(f"收到：{message.text}")  # answered in the webhook response

    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token="s3cret").register(
        app, path="/hook")
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        await bot.set_webhook(url, secret_token="s3cret")
        await emu.client.send_text(TOKEN, USER_ID, "报修")
        reply = await emu.client.wait_for_message(TOKEN, USER_ID, text="收到：报修")
        assert reply["sender"] == "bot"
        [logged] = await emu.client.requests(TOKEN, "sendMessage")
        assert logged["via"] == "webhook_reply"
    finally:
        await runner.cleanup()
        await bot.session.close()
