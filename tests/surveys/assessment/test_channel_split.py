"""Reports show where responses came from: the team report's text and the XLSX workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.i18n import translator
from bot.render.reports import render_team_report
from bot.web import settings_link_key
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.assessment.exports import load_export
from surveys.assessment.reports import team_report
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.survey.answers import record_rating, submit_survey
from surveys.survey.by_link import answer_by_link
from tests.fixtures.service_world import setup_people
from tests.fixtures.web import (
    BOUND_USER,
    bound_survey_link,
    token_of,
    unbound_survey_link,
    web_settings,
)

WEEK = parse_period("2026-W47")
RATINGS = {"overall": 4, "attitude": 5, "clarity": 4, "timeliness": 4}


async def _one_chat_two_web(db: SessionFactory) -> None:
    settings = web_settings(links_for_bound=True)
    await setup_people(db)
    chat = await bound_survey_link(db, settings)
    for question, rating in RATINGS.items():
        await record_rating(db=db, survey_id=chat.survey_id, telegram_user_id=BOUND_USER,
                            question=question, rating=rating)
    await submit_survey(db=db, survey_id=chat.survey_id, telegram_user_id=BOUND_USER,
                        survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    for external_id, phone in (("WO-2", "13900001111"), ("WO-3", "13700002222")):
        link = await unbound_survey_link(db, settings, external_id, phone)
        await answer_by_link(db=db, key=settings_link_key(settings), token=token_of(link),
                             ratings=RATINGS, comment=None, survey_config=SurveyConfig(),
                             complaint_config=ComplaintConfig())


async def test_the_team_report_splits_the_responses_by_channel(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _one_chat_two_web(db)
    report = await team_report(db=db, period=WEEK, config=PointsConfig())
    assert report.channels == {"web": 2, "chat": 1}
    assert report.team.responses == 3
    assert "答卷渠道：网页 2 · Telegram 1。" in render_team_report(report, translator("zh_CN"))
    assert "Responses by channel: web page 2 · Telegram 1." in render_team_report(
        report, translator("en"))


async def test_the_workbook_shows_each_responses_channel_and_the_split(
        db: SessionFactory, clock: FrozenClock) -> None:
    await _one_chat_two_web(db)
    data = await load_export(db=db, period=WEEK, config=PointsConfig(), trend=False)
    book = load_workbook(io.BytesIO(build_workbook(data, translator("zh_CN")._)))
    assert list(book["答卷渠道"].values) == [("渠道", "回复"), ("网页", 2), ("Telegram", 1)]
    raw = list(book["回访明细"].values)
    column = raw[0].index("渠道")
    assert sorted(row[column] for row in raw[1:]) == ["Telegram", "网页", "网页"]
