"""When the demo itself fails, `ownervoice demo` says why in one line of the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import runner, steps
from bot.demo.roles import AGENT_USERS
from bot.demo.script import STEPS, Step
from bot.demo.world import Demo
from tests.fixtures.terminal import speak

SEED, BIND_OWNERS = STEPS[0], STEPS[2]


async def _bot_refuses_every_reply(demo: Demo) -> None:
    """Owners bind while the Bot API server refuses every message the bot sends."""
    demo.stage.timeout = 1.0
    await demo.stage.client.inject_fault("sendMessage", count=1000, status=400,
                                         description="Bad Request: chat is closed")
    await steps.bind_owners(demo)


async def _taps_a_missing_button(demo: Demo) -> None:
    agent = demo.player(AGENT_USERS["A001"][0], AGENT_USERS["A001"][1], AGENT_USERS["A001"][2])
    menu = await agent.say("/language")
    await agent.tap(menu[-1], "Klingon")


async def _breaks_in_english(demo: Demo) -> None:
    raise RuntimeError("database is on fire")


def _fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          lang: str, *played: Step) -> tuple[str, str]:
    """Run `ownervoice demo` with these steps under LANG=lang; it must exit 2. Return the output
    and the error line."""
    speak(monkeypatch, lang)
    monkeypatch.setattr(runner, "STEPS", played)
    code = main(["demo", "--workdir", str(tmp_path / "work"), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return captured.out, lines[0]


def test_a_bot_that_never_answers_stops_the_demo_with_a_chinese_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _out, line = _fail(tmp_path, monkeypatch, capsys, "zh_CN.UTF-8",
                       SEED, Step(BIND_OWNERS.title, _bot_refuses_every_reply))
    assert line == ("ownervoice demo：演示在第 2 步（业主在聊天中绑定房屋）中断："
                    "机器人在 1 秒内没有回复张伟；"
                    "加上 -v 重新运行（`ownervoice -v demo`）可查看机器人的日志和详情")


def test_a_bot_that_never_answers_is_told_in_english_when_the_terminal_asks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _out, line = _fail(tmp_path, monkeypatch, capsys, "en_US.UTF-8",
                       SEED, Step(BIND_OWNERS.title, _bot_refuses_every_reply))
    assert line == ("ownervoice demo: the demo stopped in step 2 (Owners bind their homes in "
                    "chat): the bot did not answer 张伟 within 1 s; run `ownervoice -v demo` "
                    "to see the bot's log and the details")


def test_a_missing_button_is_named_in_chinese(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _out, line = _fail(tmp_path, monkeypatch, capsys, "C.UTF-8",
                       SEED, Step(STEPS[1].title, _taps_a_missing_button))
    assert ("演示在第 2 步（客服和经理用一次性邀请链接绑定）中断："
            "王晓梅在机器人的消息上找不到按钮“Klingon”") in line


def test_an_unforeseen_failure_names_the_step_and_no_english_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _out, line = _fail(tmp_path, monkeypatch, capsys, "zh_CN.UTF-8",
                       Step(SEED.title, _breaks_in_english))
    assert line.startswith("ownervoice demo：演示在第 1 步（创建小区阳光花园：客服和业主）中断："
                           "这一步意外失败；")
    assert "on fire" not in line and "RuntimeError" not in line
