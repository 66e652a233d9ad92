"""`ownervoice report` on a real SQLite file: text and JSON, team and agent, errors."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.render.reports import width
from surveys.core.db import SessionFactory
from tests.fixtures.points_data import build

ROOT = Path(__file__).resolve().parents[3]


async def _cli(tmp_path: Path, db_url: str, *args: str,
               lang: str = "zh_CN.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OWNERVOICE_")}
    env["OWNERVOICE_DATABASE__URL"] = db_url
    env["PYTHONPATH"] = str(ROOT)
    env["LANG"] = lang  # the terminal's language picks the messages' language
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.cli", "report", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


async def test_the_team_report_prints_an_aligned_chinese_table(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    await build(db)
    done = await _cli(tmp_path, db_url, "--period", "2026-W47", "--community", "C1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "客服考核 2026-W47（2026-11-16 至 2026-11-22），Garden"
    header, first, second = lines[2:5]
    assert header.split()[:4] == ["排名", "客服", "总分", "等级"]
    assert first.split()[:4] == ["1", "王芳", "91.4", "优秀"]
    assert second.split()[:4] == ["2", "李强", "83.3", "合格"]
    # 66.25 rounds half up, as readers expect.
    assert first.split()[5] == "66.3"
    # Right-aligned columns end at the same display column (a Chinese character is 2 wide).
    ends = {width(line[: line.index(cell) + len(cell)])
            for line, cell in ((header, "总分"), (first, "91.4"), (second, "83.3"))}
    assert len(ends) == 1


async def test_the_agent_report_in_json_carries_every_figure_and_input(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    ids = await build(db)
    done = await _cli(tmp_path, db_url, "--period", "2026-W47", "--agent", "A-1",
                      "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["kind"] == "agent"
    assert data["period"]["label"] == "2026-W47"
    assert data["points"]["total"] == pytest.approx(91.4375)  # see tests/surveys/test_assessment
    assert data["points"]["handling_quality"] == 100.0
    assert data["points"]["rank"] == 1
    assert data["breakdown"]["sources"]["complaints"]["complaints"] == [ids["c1"]]
    assert len(data["breakdown"]["closed_work_order_ids"]) == 20


async def test_the_agent_report_in_english_lists_the_records(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    await build(db)
    out = tmp_path / "a1.txt"
    done = await _cli(tmp_path, db_url, "--period", "2026-11-16..2026-11-22", "--agent", "A-1",
                      "--lang", "en", "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "Assessment of 王芳 (A-1), 2026-11-16..2026-11-22" in text
    assert re.search(r"^Workload coefficient +×1\.10$", text, re.MULTILINE)
    assert re.search(r"^Complaint points \(quality − penalty\) +100\.0 = 100\.0 − 0\.0$", text,
                     re.MULTILINE)
    assert "Closed work orders: WO-" in text


@pytest.mark.slow
async def test_bad_periods_and_unknown_agents_exit_2_with_a_message(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    await build(db)
    bad = await _cli(tmp_path, db_url, "--period", "2026-13")
    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [
        "ownervoice report：“2026-13”不是有效的周期；可用 本周、上周、本月、上月、2026年11月、"
        "2026年第47周，或 week、month、last-week、last-month、2026-11、2026-W47、"
        "2026-11-01..2026-11-15"]
    unknown = await _cli(tmp_path, db_url, "--period", "2026-11", "--agent", "NOBODY")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("ownervoice report：找不到客服“NOBODY”")


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
async def test_the_agent_detail_takes_a_staff_id_an_id_or_a_name_like_the_bots_agent(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    await build(db)
    by = {}
    for ref in ("A-1", "1", "王芳", "芳"):
        done = await _cli(tmp_path, db_url, "--period", "2026-W47", "--agent", ref,
                          "--format", "json")
        assert done.returncode == 0, (ref, done.stderr)
        by[ref] = json.loads(done.stdout)["points"]["external_id"]
    assert set(by.values()) == {"A-1"}


# The Chinese forms the CLI reads since `scoring.periods` learnt them, and the English ones.
CHINESE_PERIODS = ("本周", "上周", "本月", "上月", "2026年11月", "2026年第47周")
ENGLISH_PERIODS = ("week", "month", "last-week", "last-month", "2026-11", "2026-W47",
                   "2026-11-01..2026-11-15")


# Sixteen CLI starts (~30 s): in the slow suite, with the other bad-period test.
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
async def test_a_bad_period_lists_the_chinese_and_the_english_forms_the_cli_reads(
    db: SessionFactory, db_url: str, tmp_path: Path, lang: str
) -> None:
    for period in CHINESE_PERIODS:  # what the message offers is read
        done = await _cli(tmp_path, db_url, "--period", period, "--format", "json", lang=lang)
        assert done.returncode == 0, done.stderr
    bad = await _cli(tmp_path, db_url, "--period", "2026-13", lang=lang)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    for form in CHINESE_PERIODS + ENGLISH_PERIODS:
        assert form in bad.stderr
