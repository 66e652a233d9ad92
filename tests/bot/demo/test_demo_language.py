"""`ownervoice demo` narrates in the terminal's language: Chinese by default, English by LANG."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import repeats, runner
from bot.demo.script import STEPS, Step
from bot.demo.world import Demo
from tests.fixtures.terminal import speak

CHINESE = ("业主之声 ownervoice — 离线演示", "━━ 1. 创建小区阳光花园：客服和业主",
           "   · 客服 王晓梅（A001）", "   · 业主 张伟，1栋101，138****8001",
           "━━ 3. 业主在聊天中绑定房屋", "👤 张伟: 📱 分享联系方式（138****8001）",
           "   · 陈静则从物业办公室拿到邀请链接",
           "   · POST /api/v1/work-orders/close WO-2026-0001 → 201，调查 #1 待发送",
           '   · 再次 POST WO-2026-0003 → 200，"created": false：'
           "这张工单已经关闭过，不会再发第二份调查",
           "演示完成，用时 ")
ENGLISH = ("业主之声 ownervoice — offline demo",
           "━━ 1. Seed the community 阳光花园: agents and owners",
           "   · agent 王晓梅 (A001)", "   · owner 张伟, 1栋101, 138****8001",
           "━━ 3. Owners bind their homes in chat",
           "👤 张伟: 📱 shares their contact (138****8001)",
           "   · 陈静 gets an invite link from the property office instead",
           "   · POST /api/v1/work-orders/close WO-2026-0001 → 201 survey #1 pending",
           '   · POST again WO-2026-0003 → 200, "created": false: the order was already closed, '
           "so no second survey",
           "Demo finished in ")


def _demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          lang: str, steps: tuple[Step, ...] = STEPS[:4]) -> str:
    """Run `ownervoice demo` in a terminal with LANG=lang, its first four steps (seed, binding,
    orders closed: fast) unless told."""
    speak(monkeypatch, lang)
    monkeypatch.setattr(runner, "STEPS", steps)
    code = main(["demo", "--workdir", str(tmp_path / "work"), "--out", str(tmp_path / "out")])
    assert code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8"])
def test_demo_narration_is_chinese_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str) -> None:
    shown = _demo(tmp_path, monkeypatch, capsys, lang)
    for line in CHINESE:
        assert line in shown
    for line in ENGLISH:
        assert line not in shown
    assert "命令菜单" in shown and "command menu" not in shown


def test_demo_narration_is_english_when_the_terminal_asks_for_english(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shown = _demo(tmp_path, monkeypatch, capsys, "en_US.UTF-8")
    for line in ENGLISH:
        assert line in shown
    for line in CHINESE:
        assert line not in shown
    assert "房屋绑定成功" in shown  # the chat itself stays in each person's language


async def _close_the_pipe_orders(demo: Demo) -> None:
    for order in repeats.ORDERS:
        await repeats._close(demo, *order)


@pytest.mark.parametrize(("lang", "lines"), [
    ("zh_CN.UTF-8", ("WO-2026-0011（类别：水电）→ 201",
                     "WO-2026-0012（类别：由标题推断为水电）→ 201",
                     "WO-2026-0013（类别：以代码发送，即水电）→ 201")),
    ("en_US.UTF-8", ("WO-2026-0011 (category 水电, that is Water & power) → 201",
                     "WO-2026-0012 (category inferred from the title: Water & power) → 201",
                     "WO-2026-0013 (category sent as its code, that is Water & power) → 201")),
])
def test_a_category_sent_as_a_code_is_narrated_with_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str, lines: tuple[str, ...]) -> None:
    shown = _demo(tmp_path, monkeypatch, capsys, lang,
                  (STEPS[0], Step(STEPS[14].title, _close_the_pipe_orders)))
    for line in lines:
        assert line in shown
    assert "water_power" not in shown


# Names of the code (a job, a Bot API method, a category code) and an ASCII arrow among the →.
INTERNAL = ("revisit_lists", "water_power", "setMyCommands", "->")


@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
def test_the_narration_names_no_job_method_or_code_of_the_program(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str) -> None:
    shown = _demo(tmp_path, monkeypatch, capsys, lang,
                  (*STEPS[:2], Step(STEPS[14].title, _close_the_pipe_orders), STEPS[15]))
    narration = [line for line in shown.splitlines() if line.startswith("   · ")]
    assert any("08:30" in line for line in narration)  # the revisit step was narrated
    for line in narration:
        for name in INTERNAL:
            assert name not in line
