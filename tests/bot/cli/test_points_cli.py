"""`ownervoice points close|config|payroll` on a real SQLite file: one line each, exit 2 on a
refusal, the payroll file written."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from surveys.appeals.service import file_appeal
from surveys.core.db import SessionFactory
from tests.fixtures.points_data import DAY, PointsData

ROOT = Path(__file__).resolve().parents[3]


async def _cli(tmp_path: Path, db_url: str, *args: str, lang: str = "zh_CN.UTF-8"
               ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OWNERVOICE_")}
    env["OWNERVOICE_DATABASE__URL"] = db_url
    env["PYTHONPATH"] = str(ROOT)
    env["LANG"] = lang
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot.cli", "points", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
async def test_points_cli_closes_once_lists_versions_and_writes_the_payroll(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid)
    owner = await d.owner(cid)
    await d.order(agent_id=a, owner_id=owner, community_id=cid, closed_at=DAY, sent_at=DAY,
                  ratings=(5, 4, 4, 5))
    unpaid = await _cli(tmp_path, db_url, "payroll", "2026-11", "--output", "p.xlsx")
    assert unpaid.returncode == 2
    assert unpaid.stderr.strip() == ("ownervoice points payroll：2026-11 尚未结账：工资表只能从"
                                     "已结账的周期生成。")
    done = await _cli(tmp_path, db_url, "close", "2026-11", "--by", "人事部")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2026-11 已结账：1 名客服的分数已定")
    again = await _cli(tmp_path, db_url, "close", "2026-11")
    assert again.returncode == 2
    assert again.stderr.startswith("ownervoice points close：2026-11 已由 人事部 于 ")
    assert len(again.stderr.strip().splitlines()) == 1
    bad = await _cli(tmp_path, db_url, "close", "2026-13")
    assert bad.returncode == 2 and "不是考核周期" in bad.stderr
    assert "2026年11月" in bad.stderr and "2026年第4季度" in bad.stderr  # read as well
    paid = await _cli(tmp_path, db_url, "payroll", "2026-11", "--output", "p.xlsx")
    assert paid.returncode == 0, paid.stderr
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert sheet is not None and sheet.cell(row=3, column=2).value == "王芳"
    versions = await _cli(tmp_path, db_url, "config")
    assert versions.returncode == 0
    assert versions.stdout.startswith("版本 1：适用于所有周期（登记于 ")


@pytest.mark.slow
async def test_closing_and_paying_a_team_of_one_speaks_of_one_agent_in_english(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid)
    await d.order(agent_id=a, owner_id=await d.owner(cid), community_id=cid, closed_at=DAY,
                  sent_at=DAY, ratings=(5, 4, 4, 5))
    done = await _cli(tmp_path, db_url, "close", "2026-11", lang="en_US.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2026-11 is closed: 1 agent's figures are final (weights "
                                  "version 1); messages queued: 0.")
    paid = await _cli(tmp_path, db_url, "payroll", "2026-11", "--output", "p.csv",
                      lang="en_US.UTF-8")
    assert paid.returncode == 0, paid.stderr
    assert paid.stdout.startswith("Payroll 2026-11: 1 agent written to ")


@pytest.mark.slow
async def test_payroll_to_an_unknown_kind_of_file_or_an_unwritable_place_is_one_line(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid)
    await d.order(agent_id=a, owner_id=await d.owner(cid), community_id=cid, closed_at=DAY,
                  sent_at=DAY, ratings=(5, 4, 4, 5))
    assert (await _cli(tmp_path, db_url, "close", "2026-11")).returncode == 0
    pdf = await _cli(tmp_path, db_url, "payroll", "2026-11", "--output", "p.pdf")
    assert pdf.returncode == 2 and not (tmp_path / "p.pdf").exists()
    assert pdf.stderr == ("ownervoice points payroll：--output 须以 .xlsx 或 .csv 结尾，"
                          "不能是 p.pdf\n")
    missing = tmp_path / "no" / "p.csv"
    nowhere = await _cli(tmp_path, db_url, "payroll", "2026-11", "--output", str(missing))
    assert nowhere.returncode == 2
    assert nowhere.stderr == (f"ownervoice points payroll：无法写入 {missing}，请检查文件夹和"
                              "权限\n")


async def test_closing_on_the_command_line_names_the_appeals_still_undecided(
    db: SessionFactory, db_url: str, tmp_path: Path
) -> None:
    d = PointsData(db)
    cid = await d.community()
    a = await d.agent("A-1", "王芳", cid, telegram_user_id=501)
    owner = await d.owner(cid)
    await d.order(agent_id=a, owner_id=owner, community_id=cid, closed_at=DAY, sent_at=DAY,
                  ratings=(5, 4, 4, 5))
    complaint = await d.complaint(agent_id=a, owner_id=owner, opened_at=DAY)
    await file_appeal(db=db, agent_telegram_user_id=501, reason="业主误会",
                      complaint_id=complaint)
    done = await _cli(tmp_path, db_url, "close", "2026-11")
    assert done.returncode == 0, done.stderr
    assert "1 条关于 2026-11 的申诉仍待裁决" in done.stdout
