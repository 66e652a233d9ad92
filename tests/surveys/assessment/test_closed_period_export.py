"""The workbook of a closed period counts what its snapshot counted: a response submitted
after the close neither changes its channel split nor passes as counted in it."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlmodel import select

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.exports import load_export
from surveys.assessment.views import team_view
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Response, Survey, SurveyStatus
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV = parse_period("2026-11", timezone=TZ)
CONFIG = PointsConfig()
CLOSED_AT = NOV.end + timedelta(days=3, hours=1)
LATE = CLOSED_AT + timedelta(days=1)  # within the survey's 7 days, after the close


async def _answered_after_the_close(db: SessionFactory) -> int:
    """Two November answers; a third survey, sent on the 30th, answered after the close."""
    d = PointsData(db)
    cid = await d.community("sunny", "阳光花园")
    a = await d.agent("A001", "王晓梅", cid)
    owner = await d.owner(cid)
    for ratings in ((5, 5, 4, 5), (4, 4, 4, 4)):
        await d.order(agent_id=a, owner_id=owner, community_id=cid,
                      closed_at=datetime(2026, 11, 10, 2), sent_at=datetime(2026, 11, 10, 2),
                      ratings=ratings)
    late = await d.order(agent_id=a, owner_id=owner, community_id=cid,
                         closed_at=datetime(2026, 11, 30, 8), sent_at=datetime(2026, 11, 30, 8),
                         ratings=(2, 2, 2, 2), submitted=False)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                       closer=Closer(role="admin", id=None, name="admin"), now=CLOSED_AT)
    async with db() as s, s.begin():
        response = (await s.exec(select(Response).where(
            Response.survey_id == late.survey_id))).one()
        response.submitted_at = LATE
        survey = await s.get(Survey, late.survey_id)
        assert survey is not None and response.id is not None
        survey.status = SurveyStatus.SUBMITTED
        return response.id


async def test_a_closed_periods_workbook_keeps_the_snapshots_counts(db: SessionFactory) -> None:
    late = await _answered_after_the_close(db)
    FrozenClock(LATE + timedelta(hours=1)).install()
    try:
        report = await team_view(db=db, period=NOV, current=CONFIG)
        data = await load_export(db=db, period=NOV, config=CONFIG, trend=False)
    finally:
        FrozenClock.uninstall()
    assert report.status is not None and report.status.final
    assert report.channels == {"chat": 2} and report.team.responses == 2
    book = load_workbook(io.BytesIO(build_workbook(data, translator("zh_CN")._)))
    assert list(book["答卷渠道"].values) == [("渠道", "回复"), ("Telegram", 2)]
    raw = list(book["回访明细"].values)
    counted = {row[0]: row[raw[0].index("计入")] for row in raw[1:]}
    assert counted.pop(late) == "结账后提交，计入以后的补记调整"
    assert set(counted.values()) == {"是"}


async def test_an_open_periods_workbook_counts_every_submitted_answer(
        db: SessionFactory) -> None:
    d = PointsData(db)
    cid = await d.community("sunny", "阳光花园")
    a = await d.agent("A001", "王晓梅", cid)
    owner = await d.owner(cid)
    when = datetime(2026, 11, 10, 2)
    await d.order(agent_id=a, owner_id=owner, community_id=cid, closed_at=when, sent_at=when,
                  ratings=(5, 5, 5, 5))
    await d.order(agent_id=a, owner_id=owner, community_id=cid, closed_at=when, sent_at=when,
                  ratings=(1, 1, 1, 1), voided=True)
    FrozenClock(when + timedelta(days=1)).install()
    try:
        data = await load_export(db=db, period=NOV, config=CONFIG, trend=False)
    finally:
        FrozenClock.uninstall()
    book = load_workbook(io.BytesIO(build_workbook(data, translator("en")._)))
    raw = list(book["Raw responses"].values)
    assert sorted(row[raw[0].index("Counted")] for row in raw[1:]) == ["no (voided on appeal)",
                                                                       "yes"]
    assert list(book["Responses by channel"].values) == [("Channel", "Responses"),
                                                         ("Telegram", 1)]
