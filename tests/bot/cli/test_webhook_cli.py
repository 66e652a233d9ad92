"""`python -m bot.webhook URL` is `ownervoice run --webhook URL`: the same parser, words, exits.

A usage mistake is one catalog line in the terminal's language and exit 2 (it was argparse's
English usage block); everything after parsing is said by `ownervoice run` itself.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from babel.messages.pofile import read_po

import bot.cli.run
import bot.logging
import bot.webhook
from bot.config import Settings
from bot.emulator import running_emulator
from bot.i18n import LOCALES_DIR
from tests.fixtures.chat import TOKEN
from tests.fixtures.terminal import cli_env, closed_port

HELP_ZH = "（用法见 `python -m bot.webhook --help`）"
HELP_EN = " (see `python -m bot.webhook --help`)"
HOOK = "https://bot.example.org/telegram/webhook"

MISTAKES = [
    pytest.param([], "python -m bot.webhook：缺少必需的 <网址>，请加上" + HELP_ZH,
                 "python -m bot.webhook: URL must be given" + HELP_EN, id="no URL"),
    pytest.param([HOOK, "https://other.example.org/"],
                 "python -m bot.webhook：无法识别 https://other.example.org/，请删掉或检查拼写"
                 + HELP_ZH,
                 "python -m bot.webhook: https://other.example.org/ is not understood here; "
                 "remove it or check its spelling" + HELP_EN, id="two URLs"),
    pytest.param(["--config"], "python -m bot.webhook：--config：后面要写一个值" + HELP_ZH,
                 "python -m bot.webhook: --config: a value must follow it" + HELP_EN,
                 id="an option without its value"),
]


def _run(module: str, *args: str, cwd: Path, lang: str = "en_US.UTF-8", **env: str
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd,
                          env=cli_env(lang, **env), capture_output=True, text=True,
                          timeout=120, check=False)


def _catalog(locale: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for po_file in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fh:
            entries.update({m.id: str(m.string or "") for m in read_po(fh, locale=locale)
                            if m.id and isinstance(m.id, str)})
    return entries


@pytest.mark.parametrize(("argv", "zh_line", "en_line"), MISTAKES)
def test_a_webhook_usage_mistake_is_one_catalog_line_in_either_language_and_exit_2(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str],
    argv: list[str], zh_line: str, en_line: str,
) -> None:
    for lang, line in (("zh_CN.UTF-8", zh_line), ("en_US.UTF-8", en_line)):
        terminal(lang)
        assert bot.webhook.main(argv) == 2
        said = capsys.readouterr()
        assert (said.out, said.err) == ("", line + "\n")


def test_webhook_help_speaks_the_terminals_language_and_exits_0(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    terminal("zh_CN.UTF-8")
    assert bot.webhook.main(["--help"]) == 0
    zh = capsys.readouterr().out
    assert zh.startswith("用法：python -m bot.webhook [-h] [--config CONFIG] <网址>")
    assert "Telegram 推送更新所用的公网 HTTPS 地址" in zh and "public HTTPS" not in zh
    terminal("en_US.UTF-8")
    assert bot.webhook.main(["--help"]) == 0
    assert "public HTTPS URL Telegram posts updates to" in capsys.readouterr().out


def test_every_webhook_help_text_and_argument_name_has_both_catalog_entries() -> None:
    parser = bot.webhook.build_parser()
    texts = {parser.description} | {a.help for a in parser._actions
                                     if a.help and a.help != argparse.SUPPRESS}
    texts |= {a.metavar for a in parser._actions if isinstance(a.metavar, str)}
    zh, en = _catalog("zh_CN"), _catalog("en")
    assert {t for t in texts if not zh.get(t or "")} == set()
    assert {t for t in texts if t not in en} == set()


def test_the_webhook_entry_without_a_token_says_what_ownervoice_run_says(tmp_path: Path) -> None:
    webhook = _run("bot.webhook", HOOK, cwd=tmp_path, lang="zh_CN.UTF-8")
    cli = _run("bot.cli", "run", "--webhook", HOOK, cwd=tmp_path, lang="zh_CN.UTF-8")
    assert (webhook.returncode, webhook.stdout) == (2, "")
    assert webhook.stderr == cli.stderr
    assert webhook.stderr.startswith("ownervoice run：未设置 telegram.token")
    assert len(webhook.stderr.splitlines()) == 1 and "Traceback" not in webhook.stderr


def test_a_config_file_that_does_not_exist_is_refused_in_one_line(tmp_path: Path) -> None:
    done = _run("bot.webhook", "--config", "nosuch.toml", HOOK, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("ownervoice run: there is no configuration file nosuch.toml; check "
                           "the path given to --config (deploy/ownervoice.example.toml is an "
                           "example)\n")


def test_the_url_and_the_config_files_settings_reach_the_webhook_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ownervoice.toml"
    config.write_text(f'[telegram]\ntoken = "{TOKEN}"\n', encoding="utf-8")
    served: list[tuple[Settings, str]] = []

    def serve(settings: Settings, url: str) -> int:
        served.append((settings, url))
        return 1  # what run returns when an essential task died

    monkeypatch.setattr(bot.webhook, "run", serve)
    monkeypatch.setattr(bot.logging, "setup_logging", lambda *a, **k: None)
    monkeypatch.setenv("OWNERVOICE_CONFIG", "unset-by-the-test")  # restored after the test
    assert bot.webhook.main(["--config", str(config), HOOK]) == bot.cli.run.EXIT_TASK_DIED
    [(settings, url)] = served
    assert url == HOOK
    assert settings.telegram.token.get_secret_value() == TOKEN


# In the slow suite (CI runs it): a real process start costs seconds the quick suite lacks.
# Its limit is that of the other process tests: at a load of 12 on 2 cores, the ~12 s of CPU
# the test needs (two Python starts, the classifier's warm-up) take well over 120 s.
@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_the_webhook_entry_serves_updates_and_stops_on_sigterm_with_exit_0(
    tmp_path: Path,
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'ov.db'}"
    upgraded = await asyncio.to_thread(_run, "bot.cli", "db", "upgrade", "--db-url", db_url,
                                       cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    async with running_emulator() as emulator:
        client = emulator.client
        proc = await _start_webhook(tmp_path, emulator.base_url, db_url)
        try:
            await client.send_text(TOKEN, 7001, "/help")
            reply = await client.wait_for_message(TOKEN, 7001)
            assert "/stop" in reply["text"]  # the help, delivered to the webhook and answered
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, out.decode()
    assert b"Traceback" not in out, out.decode()


async def _start_webhook(cwd: Path, api_base: str, db_url: str) -> asyncio.subprocess.Process:
    """Start `python -m bot.webhook` and return it once it is ready.

    The port is chosen free, then bound by the process seconds later (far more under load):
    another process on the machine may take it in between. That process then says "already
    in use" and exits 2; only then is another port tried.
    """
    for _attempt in range(3):
        port = closed_port()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.webhook", f"http://127.0.0.1:{port}/hook",
            cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env=cli_env("en_US.UTF-8", OWNERVOICE_TELEGRAM__TOKEN=TOKEN,
                        OWNERVOICE_TELEGRAM__API_BASE=api_base,
                        OWNERVOICE_DATABASE__URL=db_url, OWNERVOICE_API__PORT=str(port),
                        OWNERVOICE_LOG_LEVEL="WARNING"))
        if await _ready(f"http://127.0.0.1:{port}/readyz", proc):
            return proc
        out, _ = await proc.communicate()
        assert f"127.0.0.1:{port} is already in use".encode() in out, out.decode()
    raise AssertionError("three free ports were taken before the webhook process bound them")


async def _ready(url: str, proc: asyncio.subprocess.Process) -> bool:
    """Wait until `url` answers 200 (True) or the process exits before that (False)."""
    # A guard only: readiness itself is the answer, not a time; the test's limit is above it.
    deadline = time.monotonic() + 240
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                return False
            try:
                async with http.get(url, timeout=aiohttp.ClientTimeout(2)) as answer:
                    if answer.status == 200:
                        return True
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("the webhook process did not become ready")
