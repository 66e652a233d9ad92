"""/how explains the weights in the reader's language, lists included."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.how import explain
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.periods import PeriodStatus


def test_the_review_criteria_are_listed_with_the_readers_separator() -> None:
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    closed = PeriodStatus(label="2026-11", state="closed")
    chinese = explain(translator("zh_CN"), period, PointsConfig(), 1, closed)
    english = explain(translator("en"), period, PointsConfig(), 1, closed)
    assert "业务知识、沟通技巧、团队协作" in chinese and ", " not in chinese
    assert "business knowledge, communication skills, teamwork" in english
