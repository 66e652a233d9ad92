"""`ownervoice demo` plays the whole flow offline: a readable transcript and report files."""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from bot.demo.runner import run_demo
from bot.demo.transcript import Transcript

# The whole demo with its exports (~20 s): in the slow suite, which CI and scripts/test.sh run;
# test_demo_language.py plays its first steps in the quick suite.
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class DemoRun:
    code: int
    shown: str
    workdir: Path
    out_dir: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """Run the demo once for the module (it takes several seconds), narrated in English."""
    workdir = tmp_path_factory.mktemp("demo")
    out_dir = workdir / "files"
    out = io.StringIO()
    code = asyncio.run(run_demo(workdir=workdir, transcript=Transcript(out, locale="en"),
                                out_dir=out_dir))
    return DemoRun(code, out.getvalue(), workdir, out_dir)


def _section(shown: str, title: str) -> str:
    start = shown.index(title)
    end = shown.find("━━ ", start + len(title))
    return shown[start:end if end != -1 else None]


def test_demo_binds_surveys_and_thanks_with_a_readable_transcript(demo: DemoRun) -> None:
    shown = demo.shown
    assert demo.code == 0
    assert "👤 张伟: /start" in shown
    assert "房屋绑定成功" in shown
    assert "taps [5⭐]" in shown and "edited in place" in shown
    assert "👤 刘芳: 等了三天才有人来修" in shown
    assert "感谢您的反馈" in shown
    assert "13800138001" not in shown  # phone numbers are masked in the transcript
    engine = create_engine(f"sqlite:///{demo.workdir / 'ownervoice-demo.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT overall, attitude, clarity, timeliness FROM response ORDER BY survey_id"
        )).all()
        statuses = [r[0] for r in conn.execute(text("SELECT status FROM survey ORDER BY id"))]
    engine.dispose()
    assert [tuple(r) for r in rows] == [(5, 5, 4, 5), (2, 1, 3, 2), (4, 4, 4, 5), (5, 5, 4, 5),
                                        (2, 2, 3, 2), (4, 5, 4, 4)]
    # The fourth survey is 赵敏's, answered on the web; the fifth is the one 张伟 gets in
    # English, and he leaves it for later; the next three are 陈静's repeated leaks (she
    # answers the second); then 黄强's, answered by phone; the last 刘芳's, held back by
    # quiet hours.
    assert statuses[:5] == ["submitted", "submitted", "submitted", "submitted", "sent"]
    assert len(statuses) == 10 and statuses[6] == statuses[8] == "submitted"
    assert statuses[9] == "sent"


def test_demo_revisit_staff_record_a_phone_revisit_for_an_owner_without_telegram(
        demo: DemoRun) -> None:
    step = _section(demo.shown, "黄强 has no Telegram")
    assert "有 1 份调查等待电话或上门回访" in step and "WO-2026-0009" in step
    assert "👤 孙丽: /revisit WO-2026-0009" in step
    assert "已保存工单 WO-2026-0009 的回访（📞 电话）" in step
    assert "13800138009" not in step
    engine = create_engine(f"sqlite:///{demo.workdir / 'ownervoice-demo.db'}")
    with engine.connect() as conn:
        channel = conn.execute(text(
            "SELECT channel, entered_by_role FROM response ORDER BY id DESC LIMIT 1")).one()
    engine.dispose()
    assert tuple(channel) == ("phone", "revisitor")


def test_demo_shows_a_survey_waiting_out_the_quiet_hours(demo: DemoRun) -> None:
    step = _section(demo.shown, "Quiet hours")
    assert "22:30" in step and "pending, queued for" in step and "08:00" in step
    assert step.index("the clock reaches") < step.index("🤖 → 刘芳: 📋 满意度回访")
    assert "楼道声控灯不亮" in step


def test_demo_owner_without_telegram_answers_by_the_web_link(demo: DemoRun) -> None:
    step = _section(demo.shown, "赵敏 has no Telegram")
    assert re.search(r"WO-2026-0005 → 201 survey #4 sent, web link http://127\.0\.0\.1:\d+"
                     r"/s/[A-Za-z0-9_-]{4}…", step)  # the token is never shown in full
    assert "👤 赵敏: 🌐 opens the link" in step and "赵先生/女士（5-505），您好" in step
    assert "工单：楼道灯不亮（报修，编号 WO-2026-0005）" in step
    assert "感谢您的反馈！这将帮助我们把服务做得更好。" in step
    shots = [demo.out_dir / f"web-{n}.png" for n in ("1-survey", "2-answered", "3-thanks")]
    if "screenshots skipped" in step:  # no Chromium here: the form went over HTTP
        assert not any(p.exists() for p in shots)
    else:
        assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in shots)
    assert "survey #4 submitted (web): agent 李建国" in demo.shown
    assert "答卷渠道：Telegram 3 · 网页 1。" in demo.shown


def test_demo_owner_switches_to_english_and_the_next_survey_is_in_english(
        demo: DemoRun) -> None:
    switch = _section(demo.shown, "张伟 switches to English")
    assert "👤 张伟: /language" in switch and "[✅ 中文] [English]" in switch
    assert "Language set: English." in switch and "[中文] [✅ English]" in switch
    survey = switch[switch.index("WO-2026-0004 → 201"):]
    assert "Satisfaction survey" in survey and "Overall satisfaction: —" in survey
    assert "总体满意度" not in survey


def test_demo_transcript_shows_the_agents_weekly_summary_and_the_team_digest(
        demo: DemoRun) -> None:
    monday = _section(demo.shown, "Monday 09:00: weekly summaries")
    assert "2 weekly summaries, 1 team digest" in monday  # ngettext: one digest
    for agent in ("王晓梅", "李建国"):  # each summary shown where the step says it is sent
        assert re.search(rf"🤖 → {agent}: 📊 您的周报，\d{{4}}-W\d{{2}}", monday), agent
    assert "发出回访：2，已答复：2，回复率：100%" in monday  # 李建国: one chat, one web
    assert "💡 建议" in monday
    assert re.search(r"🤖 → 赵经理: 📋 团队周报，\d{4}-W\d{2}.*阳光花园", monday)
    assert re.search(r"1\. 王晓梅：\d+\.\d", monday) and re.search(r"2\. 李建国：\d+\.\d", monday)


def test_demo_transcript_shows_the_managers_report_table(demo: DemoRun) -> None:
    report = _section(demo.shown, "The manager asks for the report")
    assert "👤 赵经理: /report week" in report
    assert re.search(r"^ +排名  客服 +总分  等级", report, re.MULTILINE)
    # Each agent's row, rank first, aligned under the header with a one-decimal total.
    assert re.search(r"^ +1  王晓梅  +\d+\.\d  ", report, re.MULTILINE)
    assert re.search(r"^ +2  李建国  +\d+\.\d  ", report, re.MULTILINE)
    assert "团队：2 名客服，发出回访 4 份，收到回复 4 份，投诉 1 件" in report
    assert "客观时效" in report and re.search(r"王晓梅：响应 .* 小时.*业主及时性评分", report)


def test_every_bot_message_in_the_transcript_names_its_receiver(demo: DemoRun) -> None:
    sent = [line for line in demo.shown.splitlines() if "🤖" in line]
    assert sent and all(re.match(r" +🤖 → \S+: ", line) for line in sent), sent[:3]
    assert re.search(r"✏️  message #\d+ to 张伟 edited in place:", demo.shown)


def test_demo_writes_the_workbook_and_chart_the_bot_sent_to_the_manager(
        demo: DemoRun) -> None:
    xlsx = demo.out_dir / "ownervoice-demo-report.xlsx"
    png = demo.out_dir / "ownervoice-demo-chart.png"
    report = _section(demo.shown, "The manager asks for the report")
    assert re.search(r"🤖 → 赵经理: 📎 ownervoice-\d{4}-W\d{2}\.xlsx", report)
    assert f"wrote {xlsx} ({xlsx.stat().st_size} bytes): the file the bot sent to 赵经理" in report
    book = load_workbook(xlsx)
    # The manager oversees 阳光花园: the file is of that scope, as the bot sent it.
    assert book["汇总"]["C1"].value == "阳光花园"
    assert book.sheetnames[0] == "汇总" and {"王晓梅", "李建国", "回访明细", "投诉"} <= set(
        book.sheetnames)
    names = {row[1] for row in book["汇总"].iter_rows(min_row=3, values_only=True)}
    assert names == {"王晓梅", "李建国"}
    responses = list(book["回访明细"].iter_rows(min_row=2, values_only=True))
    assert len(responses) == 4 and all("****" in str(r[4]) for r in responses)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_demo_shows_a_review_a_month_close_and_the_payroll_file(demo: DemoRun) -> None:
    review = _section(demo.shown, "The month ends")
    assert "taps [4⭐]" in review and "• 业务知识：⭐⭐⭐⭐" in review
    assert "的分数如何计算（暂定" in review  # /how during the appeal window
    close = _section(demo.shown, "The manager closes the month")
    assert "taps [✅ 结账" in close
    assert "最终结果：赵经理" in close
    assert "已评价：李建国 主管 75.0" in close
    for agent in ("王晓梅", "李建国"):
        assert f"🤖 → {agent}: 📌" in close and "考核已结账。您的最终得分" in close, agent
    assert "📎 payroll-" in close
    book = load_workbook(demo.out_dir / "ownervoice-demo-payroll.xlsx")
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [
        "工号", "姓名", "小区", "得分", "等级", "排名", "奖金系数"]
    assert {sheet.cell(row=r, column=2).value for r in (3, 4)} == {"王晓梅", "李建国"}
    csv_text = (demo.out_dir / "ownervoice-demo-payroll.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "工号,姓名,小区,得分,等级,排名,奖金系数"


def test_demo_escalates_an_unsatisfied_complaint_and_asks_the_owner_again(
    demo: DemoRun
) -> None:
    step = _section(demo.shown, "陈静 complains (a risk word alerts the manager)")
    assert re.search(r"🤖 → 赵经理: 🚨 风险预警：.*业委会", step)
    assert "👤 陈静: taps [😞 不满意]" in step
    assert re.search(r"🤖 → 赵经理: 🔺 投诉升级：.*第 1 次升级", step)
    assert re.search(r"🤖 → 王晓梅: 🔺 投诉 #\d+ 已重新打开", step)
    assert re.search(r"🤖 → 陈静: .*现在满意吗", step)
    assert "👤 陈静: taps [😊 满意]" in step
    assert "13800138003" not in step


def test_demo_flags_a_repeat_problem_and_alerts_the_manager_the_third_time(
        demo: DemoRun) -> None:
    step = _section(demo.shown, "陈静's bathroom pipe leaks again")
    assert "WO-2026-0011 (category 水电, that is Water & power) → 201" in step
    assert "WO-2026-0012 (category inferred from the title: Water & power) → 201" in step
    assert "WO-2026-0013 (category sent as its code, that is Water & power) → 201" in step
    assert "返修/重复：该房屋同类问题第 2 次" in step and "类别：水电" in step
    assert "重复问题：阳光花园 3-303 在 30 天内已有 3 张“水电”工单。" in step
    assert "water_power" not in step  # no code shown to a reader


def test_the_whole_narration_names_no_job_method_field_or_code_of_the_program(
        demo: DemoRun) -> None:
    narration = [line for line in demo.shown.splitlines() if line.startswith("   · ")]
    for name in ("revisit_lists", "water_power", "setMyCommands", "web_link", "->"):
        assert not [line for line in narration if name in line], name
