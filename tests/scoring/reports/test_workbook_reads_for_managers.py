"""The workbook reads well for a Chinese manager: labels not codes, formatted numbers, fitting
columns."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import update

from bot.i18n import translator
from bot.render.reports import width
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.assessment.exports import load_export
from surveys.core.db import SessionFactory
from surveys.models import Complaint
from tests.fixtures.points_data import PointsData

WEEK = parse_period("2026-W47")
MONDAY = datetime(2026, 11, 16, 2, 0)
LONG_WORDS = "师傅上门很晚，态度也不好，说好的上午来结果下午四点才到，还不打招呼就走了"


async def _workbook(db: SessionFactory) -> dict[str, Worksheet]:
    data = PointsData(db)
    community = await data.community("sunny", "阳光花园")
    agent = await data.agent("A001", "王晓梅", community)
    for i in range(3):
        owner = await data.owner(community)
        when = MONDAY + timedelta(hours=5 * i)
        order = await data.order(agent_id=agent, owner_id=owner, community_id=community,
                                 closed_at=when, sent_at=when, ratings=(5, 4, 3, 4))
    complaint = await data.complaint(agent_id=agent, owner_id=owner, opened_at=MONDAY,
                                     ack_after=timedelta(hours=2), resolved=True,
                                     satisfied=True, survey_id=order.survey_id,
                                     work_order_id=order.work_order_id)
    async with db() as s, s.begin():
        await s.exec(update(Complaint).where(Complaint.id == complaint)  # type: ignore[call-overload]
                     .values(tags=["attitude", "timeliness"], text=LONG_WORDS))
    export = await load_export(db=db, period=WEEK, config=PointsConfig(), trend=False)
    book = load_workbook(io.BytesIO(build_workbook(export, translator("zh_CN")._)))
    return {ws.title: ws for ws in book.worksheets}


def _column(ws: Worksheet, header: str) -> list[object]:
    titles = [c.value for c in ws[1]]
    column = titles.index(header) + 1
    return [ws.cell(row=r, column=column).value for r in range(2, ws.max_row + 1)]


async def test_complaint_codes_read_as_chinese_labels(db: SessionFactory) -> None:
    complaints = (await _workbook(db))["投诉"]
    assert _column(complaints, "来源") == ["低分评价"]
    assert _column(complaints, "状态") == ["已关闭，业主满意"]
    assert _column(complaints, "标签") == ["服务态度、及时性"]


async def test_an_agents_sheet_formats_its_numbers(db: SessionFactory) -> None:
    sheet = (await _workbook(db))["王晓梅"]
    formats = {row[0].value: row[1].number_format for row in sheet.iter_rows(min_row=2, max_col=2)
               if row[0].value and row[1].value is not None}
    assert formats["总分"] == "0.0" and formats["满意度（调整后）"] == "0.0"
    assert formats["回复率"] == "0%" and formats["满意率"] == "0%"
    assert formats["按时响应"] == "0%" and formats["已解决"] == "0%"
    assert formats["工作量系数"] == "0.00" and formats["发出回访"] == "0"


async def test_columns_are_as_wide_as_their_text(db: SessionFactory) -> None:
    for ws in (await _workbook(db)).values():
        for column in ws.iter_cols():
            texts = [str(c.value) for c in column if isinstance(c.value, str)]
            if not texts:
                continue
            letter = column[0].column_letter
            needed = min(60, max(width(t) for t in texts))
            assert ws.column_dimensions[letter].width >= needed, (ws.title, letter, texts)
