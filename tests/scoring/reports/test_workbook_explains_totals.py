"""The workbook explains every total from its own cells: the manager review and the late
adjustment a total holds are columns beside it, and "satisfaction" means what /report means."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.appeals.service import decide_appeal, file_appeal
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.exports import load_export
from surveys.assessment.reviews import record_review
from surveys.assessment.views import team_view
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Manager
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV, DEC = parse_period("2026-11", timezone=TZ), parse_period("2026-12", timezone=TZ)
IN_NOV, IN_DEC = datetime(2026, 11, 10, 2, 0), datetime(2026, 12, 10, 2, 0)
CONFIG = PointsConfig()


async def _month_with_review_and_adjustment(db: SessionFactory) -> dict[str, int]:
    """November closed, then A's complaint in it voided on appeal (an adjustment into
    December); in December both agents work and a manager reviews A."""
    d = PointsData(db)
    cid = await d.community("sunny", "阳光花园")
    a = await d.agent("A001", "王晓梅", cid, telegram_user_id=501)
    b = await d.agent("A002", "李建国", cid)
    owner = await d.owner(cid)
    for when in (IN_NOV, IN_DEC):
        for agent, ratings in ((a, (3, 3, 2, 3)), (a, (2, 2, 3, 2)), (b, (5, 5, 4, 5))):
            await d.order(agent_id=agent, owner_id=owner, community_id=cid, closed_at=when,
                          sent_at=when, ratings=ratings)
    complaint = await d.complaint(agent_id=a, owner_id=owner, opened_at=IN_NOV,
                                  ack_after=timedelta(hours=30), resolved=False)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                       closer=Closer(role="admin", id=None, name="admin"),
                       now=NOV.end + timedelta(days=3, hours=1))
    await d.manager("孙经理", 900)
    appeal = await file_appeal(db=db, agent_telegram_user_id=501, reason="业主误会",
                               complaint_id=complaint)
    await decide_appeal(db=db, appeal_id=appeal.id, manager_telegram_user_id=900,
                        decision="void", reason="核实")
    async with db() as s, s.begin():
        boss = Manager(name="赵经理", community_id=cid)
        s.add(boss)
        await s.flush()
        assert boss.id is not None
        manager = boss.id
    for criterion, stars in (("knowledge", 5), ("teamwork", 3)):
        await record_review(db=db, period=DEC, config=CONFIG, agent_id=a, source="manager",
                            reviewer_id=manager, criterion=criterion, stars=stars, now=IN_DEC)
    return {"a": a, "b": b, "community": cid}


def _table(sheet: Any, header_row: int) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _label_values(sheet: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


async def test_each_workbook_total_is_the_sum_of_the_parts_its_row_shows(
    db: SessionFactory,
) -> None:
    await _month_with_review_and_adjustment(db)
    clock = FrozenClock(IN_DEC + timedelta(days=1)).install()
    try:
        data = await load_export(db=db, period=DEC, config=CONFIG, trend=False)
        report = await team_view(db=db, period=DEC, current=CONFIG, now=clock.current)
    finally:
        FrozenClock.uninstall()
    book = load_workbook(io.BytesIO(build_workbook(data, translator("zh_CN")._)))
    rows = {r["客服"]: r for r in _table(book["汇总"], header_row=2)}
    live = {p.name: p for p in report.rows}
    wang = live["王晓梅"]
    # The world is as meant: a review and an adjustment, and a total not clipped.
    assert wang.reviews == {"manager": 75.0} and wang.adjustment > 0.5
    assert wang.total is not None and 0 < wang.total < 100
    w = CONFIG.total_satisfaction_weight
    review_weight = CONFIG.review.manager_weight
    for name, row in rows.items():
        base = w * row["满意度（调整后）"] + (1 - w) * row["投诉分"]
        review = row["主管评价"]
        mixed = base if review is None else (1 - review_weight) * base + review_weight * review
        explained = min(100.0, max(0.0, mixed * row["工作量系数"] + row["补记调整"]))
        assert row["总分"] == pytest.approx(explained, rel=1e-9), name
        # 满意度 is the raw figure, as in /report; the adjusted one says so.
        assert row["满意度（原始）"] == pytest.approx(live[name].satisfaction_raw)
        assert row["满意度（调整后）"] == pytest.approx(live[name].satisfaction)
        # Each question's column is its adjusted score, and says so (/agent shows both).
        for question, header in (("overall", "总体（调整后）"), ("attitude", "态度（调整后）"),
                                 ("clarity", "表达清晰（调整后）"),
                                 ("timeliness", "及时性（调整后）")):
            assert row[header] == pytest.approx(live[name].dimensions[question].adjusted)
    assert rows["王晓梅"]["主管评价"] == 75.0 and rows["李建国"]["主管评价"] is None
    assert rows["王晓梅"]["补记调整"] == pytest.approx(wang.adjustment)
    sheet = _label_values(book["王晓梅"])
    assert sheet["主管评价"] == 75.0
    assert sheet["补记调整"] == pytest.approx(wang.adjustment)
    assert sheet["2026-11 补记调整"] == pytest.approx(wang.adjustment)
    assert "满意度（调整后）" in sheet and "满意度" not in sheet


async def test_an_english_workbook_names_the_same_parts(db: SessionFactory) -> None:
    await _month_with_review_and_adjustment(db)
    clock = FrozenClock(IN_DEC + timedelta(days=1)).install()
    try:
        data = await load_export(db=db, period=DEC, config=CONFIG, trend=False)
    finally:
        del clock
        FrozenClock.uninstall()
    book = load_workbook(io.BytesIO(build_workbook(data, translator("en")._)))
    header = next(book["Summary"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert {"Satisfaction (raw)", "Satisfaction (adjusted)", "Manager review",
            "Late adjustment", "Total"} <= set(header)
    assert header.index("Late adjustment") < header.index("Total")
    sheet = _label_values(book["王晓梅"])
    assert sheet["Manager review"] == 75.0 and "Adjustment from 2026-11" in sheet
