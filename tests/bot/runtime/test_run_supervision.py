"""`ownervoice run` under a supervisor: it retries an unreachable Bot API, then exits non-zero;
it exits non-zero when polling or the sender dies, so systemd's Restart=on-failure restarts it.
Every test runs on both runtimes (the module uses `running_bot`).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.cli import main
from bot.cli import run as run_cli
from bot.emulator.core import Emulator
from bot.emulator.server import EmulatorServer
from tests.fixtures.chat import TOKEN, current_runtime, running_bot, settings_for
from tests.fixtures.terminal import closed_port, emulator_in_thread, speak


def _environment(monkeypatch: pytest.MonkeyPatch, db_url: str, api_base: str) -> None:
    for key, value in {"TELEGRAM__TOKEN": TOKEN, "TELEGRAM__API_BASE": api_base,
                       "DATABASE__URL": db_url, "RUNTIME": current_runtime(),
                       "TELEGRAM__STARTUP_ATTEMPTS": "3",
                       "TELEGRAM__STARTUP_BACKOFF_SECONDS": "0.05"}.items():
        monkeypatch.setenv(f"OWNERVOICE_{key}", value)


def test_an_unreachable_bot_api_is_retried_with_one_line_each_then_exit_2(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    _environment(monkeypatch, db_url, f"http://127.0.0.1:{closed_port()}")
    assert main(["run", "--no-api"]) == 2
    err = capfd.readouterr().err
    attempts = [line for line in err.splitlines()
                if " WARNING " in line and "cannot reach the Bot API" in line]
    assert len(attempts) == 3, err  # one log line per attempt, then the final line
    assert "after 3 attempts" in err.splitlines()[-1] or "尝试 3 次" in err.splitlines()[-1]
    assert "Traceback" not in err


async def test_the_bot_starts_once_the_bot_api_comes_back_during_the_retries(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    emulator = EmulatorServer(Emulator(), "127.0.0.1", port)
    settings = settings_for(emulator, db_url, runtime=current_runtime())
    settings.telegram.startup_attempts, settings.telegram.startup_backoff_seconds = 6, 0.2
    app = build_app(settings, serve_api=False, schedule=False, polling_timeout=1)
    starting = asyncio.create_task(app.start())
    await asyncio.sleep(0.5)  # a few attempts fail: nothing listens yet
    await emulator.start()
    try:
        await asyncio.wait_for(starting, timeout=20)
        assert app.failure is None
    finally:
        await app.close()
        await emulator.stop()


async def test_polling_that_ends_by_itself_makes_run_exit_non_zero(db_url: str) -> None:
    async with running_bot(db_url) as h:
        waiting = asyncio.create_task(h.app.wait_closed())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await h.app.runtime.stop_polling()  # polling ends, nobody asked the bot to stop
        await asyncio.wait_for(waiting, timeout=10)
        assert h.app.failure is not None and h.app.failure.startswith("polling stopped")
    assert run_cli.EXIT_TASK_DIED != 0


async def test_a_revoked_token_while_polling_ends_the_process_instead_of_a_deaf_bot(
    db_url: str,
) -> None:
    async with running_bot(db_url) as h:
        waiting = asyncio.create_task(h.app.wait_closed())
        await h.client.inject_fault("getUpdates", "status", count=1000, status=401)
        if current_runtime() == "aiogram":
            # aiogram retries a refused getUpdates with backoff (logging each): not deaf.
            await asyncio.sleep(1.5)
            assert not waiting.done()
            waiting.cancel()
            return
        await asyncio.wait_for(waiting, timeout=20)
        await h.client.clear_faults()
        assert h.app.failure is not None and "polling" in h.app.failure


async def test_a_dead_outbox_sender_ends_the_wait_with_a_failure_also_for_webhook_mode(
    db_url: str,
) -> None:
    async with running_bot(db_url) as h:
        external_stop = asyncio.Event()  # what webhook mode waits on besides the tasks
        waiting = asyncio.create_task(h.app.wait_closed(external_stop))
        sender = next(t for t in h.app._tasks if t.get_name() == "outbox-dispatcher")
        sender.cancel()
        await asyncio.wait_for(waiting, timeout=10)
        assert h.app.failure == "outbox-dispatcher stopped: ended"
        h.app.failure = None
        again = asyncio.create_task(h.app.wait_closed(external_stop))
        external_stop.set()  # SIGTERM in webhook mode: a normal stop, no failure
        await asyncio.wait_for(again, timeout=10)
        assert h.app.failure is None


def test_the_final_line_names_the_failure_in_the_readers_words_without_the_token(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    speak(monkeypatch, "zh_CN.UTF-8")
    port = closed_port()
    _environment(monkeypatch, db_url, f"http://127.0.0.1:{port}")
    assert main(["run", "--no-api"]) == 2
    err = capfd.readouterr().err
    last = err.splitlines()[-1]
    assert re.fullmatch(
        rf"ownervoice run：尝试 3 次后仍无法连接 http://127\.0\.0\.1:{port} 的 Bot API"
        r"；请检查网络和 telegram\.api_base"  # no framework's class name (TelegramNetworkError)
        r"（telegram\.startup_attempts 决定重试多久）",
        last), last
    assert TOKEN not in err and TOKEN.split(":")[1] not in err


REAL_SHAPED = "987654321:AAHk3J9xQeR7vT2mN5pL8wZ1cY4bU6dF0sG"


def test_a_token_the_bot_api_refuses_is_named_without_printing_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    speak(monkeypatch, "zh_CN.UTF-8")
    with emulator_in_thread() as emulator:
        _environment(monkeypatch, db_url, emulator.base_url)
        monkeypatch.setenv("OWNERVOICE_TELEGRAM__TOKEN", REAL_SHAPED)  # revoked at @BotFather
        emulator.state.inject_fault("getMe", "status", count=10, status=401,
                                    description="Unauthorized")
        assert main(["run", "--no-api"]) == 2
    err = capfd.readouterr().err
    # The line goes to the journal: the secret half of the token must not be in it.
    assert REAL_SHAPED.split(":")[1] not in err
    assert err.splitlines()[-1] == (
        f"ownervoice run：{emulator.base_url} 的 Bot API 拒绝了机器人令牌（Unauthorized）；"
        "请检查 telegram.token（OWNERVOICE_TELEGRAM__TOKEN）")


@pytest.mark.parametrize("token", ["abc:def", "bot987654", "123456:ABC def", "123456:ABC，DEF"])
def test_a_token_not_shaped_like_one_is_named_before_anything_starts(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    tmp_path: Path, token: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    speak(monkeypatch, "zh_CN.UTF-8")
    _environment(monkeypatch, db_url, f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("OWNERVOICE_TELEGRAM__TOKEN", token)
    assert main(["run", "--no-api"]) == 2
    err = capfd.readouterr().err
    assert err.strip() == (
        "ownervoice run：telegram.token（OWNERVOICE_TELEGRAM__TOKEN）不是机器人令牌：令牌形如 "
        "123456789:AAH…，由数字、冒号和字母、数字、-、_ 组成，请从 @BotFather 完整复制"), err
    assert token not in err


def test_a_stop_asked_for_while_waiting_for_the_bot_api_is_a_quiet_normal_exit(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    async def stopped(_app: App, _seconds: float) -> bool:  # SIGTERM / Ctrl-C in the wait
        return True

    monkeypatch.chdir(tmp_path)
    speak(monkeypatch, "zh_CN.UTF-8")
    _environment(monkeypatch, db_url, f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setattr(App, "_stopped_within", stopped)
    assert main(["run", "--no-api"]) == 0  # systemd's stop is no failure
    err = capfd.readouterr().err
    assert "stopped while waiting" not in err and "ownervoice run：" not in err
