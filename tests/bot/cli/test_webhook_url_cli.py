"""A webhook URL that cannot be one, that Telegram will not take, or none in webhook mode, is
said in one line of the terminal's language with exit 2 (it was "unexpected error
(ValueError)" after the database had been migrated and the Bot API asked, and webhook mode
without a URL quietly long-polled)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

import bot.cli
import bot.logging
import bot.webhook
from bot.emulator import running_emulator
from tests.fixtures.chat import TOKEN, settings_for
from tests.fixtures.terminal import closed_port

NOT_URLS = ["notaurl", "ftp://bot.example.org/hook", "https://", "https:// bot.example.org/h"]


@pytest.mark.parametrize("url", NOT_URLS)
def test_a_webhook_url_that_is_not_one_is_refused_in_one_line_before_anything_starts(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str,
) -> None:
    database = tmp_path / "ov.db"
    monkeypatch.delenv("OWNERVOICE_CONFIG", raising=False)  # no ownervoice.toml here
    monkeypatch.setenv("OWNERVOICE_TELEGRAM__TOKEN", TOKEN)
    monkeypatch.setenv("OWNERVOICE_TELEGRAM__API_BASE", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setattr(bot.logging, "setup_logging", lambda *a, **k: None)
    terminal("zh_CN.UTF-8")
    assert bot.webhook.main([url]) == 2
    said = capsys.readouterr()
    assert (said.out, said.err) == ("", (
        f"ownervoice run：{url} 不是有效的 webhook 地址；请写 Telegram 推送更新所用的公网 HTTPS "
        "地址，例如 https://bot.example.com/telegram/webhook\n"))
    assert not database.exists()  # refused before the database was created or migrated
    terminal("en_US.UTF-8")
    assert bot.webhook.main([url]) == 2
    assert capsys.readouterr().err.startswith(f"ownervoice run: {url} is not a webhook URL; ")


def test_a_webhook_url_telegram_refuses_is_said_with_telegrams_reason_in_one_line(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(settings: object, url: str) -> int:
        raise bot.webhook.WebhookRefused("Bad Request: bad webhook: Failed to resolve host")

    monkeypatch.delenv("OWNERVOICE_CONFIG", raising=False)  # no ownervoice.toml here
    monkeypatch.setenv("OWNERVOICE_TELEGRAM__TOKEN", TOKEN)
    monkeypatch.setattr(bot.webhook, "run", refused)
    monkeypatch.setattr(bot.logging, "setup_logging", lambda *a, **k: None)
    terminal("zh_CN.UTF-8")
    assert bot.webhook.main(["https://bot.example.invalid/hook"]) == 2
    said = capsys.readouterr()
    assert (said.out, said.err) == ("", (
        "ownervoice run：Bot API 未接受 webhook 地址 https://bot.example.invalid/hook（Bad "
        "Request: bad webhook: Failed to resolve host）；Telegram 需要一个它能访问到的公网 "
        "HTTPS 地址\n"))


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_serving_a_webhook_the_bot_api_refuses_raises_webhook_refused_with_its_words(
    tmp_path: Path, runtime: str
) -> None:
    async with running_emulator() as emulator:
        await emulator.client.inject_fault(
            "setWebhook", status=400, description="Bad Request: bad webhook: Failed to resolve "
            "host")
        settings = settings_for(emulator, f"sqlite+aiosqlite:///{tmp_path / 'ov.db'}",
                                runtime=runtime)
        with pytest.raises(bot.webhook.WebhookRefused) as refused:
            await asyncio.wait_for(bot.webhook.serve(
                settings, "https://bot.example.invalid/hook", stop=asyncio.Event()), 60)
    # PTB words Telegram's description its own way ("Bad webhook: failed to resolve host").
    assert "bad webhook: failed to resolve host" in refused.value.reason.lower()


def test_webhook_mode_without_a_url_is_refused_in_one_line_not_run_as_polling(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    config = tmp_path / "ownervoice.toml"
    config.write_text(f'[telegram]\ntoken = "{TOKEN}"\nmode = "webhook"\n'
                      f'api_base = "http://127.0.0.1:{closed_port()}"\nstartup_attempts = 1\n',
                      encoding="utf-8")
    # --config sets the variable: set here too, it is restored after the test.
    monkeypatch.setenv("OWNERVOICE_CONFIG", str(config))
    monkeypatch.setattr(bot.logging, "setup_logging", lambda *a, **k: None)
    terminal("en_US.UTF-8")
    assert bot.cli.main(["--config", str(config), "run"]) == 2
    said = capsys.readouterr()
    assert (said.out, said.err) == ("", (
        'ownervoice run: telegram.mode is "webhook" but no webhook URL is set; set '
        "telegram.webhook_url or give --webhook URL\n"))
