"""Invite links ask the Bot API for the bot's name; a token it cannot use is said in words."""

from __future__ import annotations

import asyncio

import pytest
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
