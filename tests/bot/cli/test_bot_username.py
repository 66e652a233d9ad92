"""Invite links ask the Bot API for the bot's name; a token it cannot use is said in words."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.cli._bot import bot_username
from bot.config import Settings, TelegramConfig
from tests.fixtures.terminal import closed_port, speak


@pytest.mark.parametrize("token", ["abc:def", "123456:ABC def", "bot987654"])
def test_a_token_not_shaped_like_one_gives_plain_links_and_says_why_in_words(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], token: str) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    settings = Settings(telegram=TelegramConfig(
        token=SecretStr(token), api_base=f"http://127.0.0.1:{closed_port()}"))
    assert asyncio.run(bot_username(settings, say_fallback=True)) is None
    err = capfd.readouterr().err.strip()
    assert err.startswith("ownervoice：无法向 http://127.0.0.1:") and "telegram.token" in err, err
    assert "Error" not in err and token not in err  # no exception name, no token


async def test_a_bot_api_that_does_not_answer_or_refuses_the_token_is_said_in_words(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    speak(monkeypatch, "en_US.UTF-8")
    offline = Settings(telegram=TelegramConfig(
        token=SecretStr("123456:ABCdef"), api_base=f"http://127.0.0.1:{closed_port()}"))
    assert await bot_username(offline, say_fallback=True) is None
    assert "for the bot's name (it did not answer);" in capfd.readouterr().err
    async with _refusing_bot_api() as api_base:
        refused = Settings(telegram=TelegramConfig(token=SecretStr("123456:ABCdef"),
                                                   api_base=api_base))
        assert await bot_username(refused, say_fallback=True) is None
    err = capfd.readouterr().err
    assert "for the bot's name (it refused telegram.token);" in err, err
    assert "Error" not in err and "ABCdef" not in err


@contextlib.asynccontextmanager
async def _refusing_bot_api() -> AsyncIterator[str]:
    """A Bot API that answers every call as Telegram answers a revoked token."""
    async def refuse(_request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 401,
                                  "description": "Unauthorized"}, status=401)

    server = web.Application()
    server.router.add_route("*", "/{path:.*}", refuse)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
