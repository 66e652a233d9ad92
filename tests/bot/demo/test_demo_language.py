"""`ownervoice demo` narrates in the terminal's language: Chinese by default, English by LANG."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import runner
from bot.demo.script import STEPS

CHINESE = ("业主之声 ownervoice — 离线演示", "━━ 1. 创建小区阳光花园：客服和业主",
           "   · 客服 王晓梅（A001）", "   · 业主 张伟，1栋101，138****8001",
           "━━ 3. 业主在聊天中绑定房屋", "👤 张伟: 📱 分享联系方式（138****8001）",
           "   · 陈静则从物业办公室拿到邀请链接",
           "   · POST /api/v1/work-orders/close WO-2026-0001 → 201，调查 #1 待发送",
           "演示完成，用时 ")
ENGLISH = ("业主之声 ownervoice — offline demo",
           "━━ 1. Seed the community 阳光花园: agents and owners",
           "   · agent 客服 王晓梅 (A001)", "   · owner 业主 张伟, 1栋101, 138****8001",
           "━━ 3. Owners bind their homes in chat",
           "👤 张伟: 📱 shares their contact (138****8001)",
           "   · 陈静 gets an invite link from the property office instead",
           "   · POST /api/v1/work-orders/close WO-2026-0001 → 201 survey #1 pending",
           "Demo finished in ")


def _demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          lang: str) -> str:
    """Run `ownervoice demo` in a terminal with LANG=lang, its first four steps only."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    monkeypatch.setattr(runner, "STEPS", STEPS[:4])  # seed, binding, orders close: fast
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
