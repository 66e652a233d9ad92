"""/how explains the weights in the reader's language, lists included."""

from __future__ import annotations

from dataclasses import replace

from bot.i18n import translator
from bot.render.cycle_lines import review_text, waiting_appeals
from bot.render.how import explain
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.points.model import AgentStats, TeamFigures, agent_points
from scoring.questions import QUESTIONS
from surveys.assessment.periods import PeriodStatus


def test_the_review_criteria_are_listed_with_the_readers_separator() -> None:
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    closed = PeriodStatus(label="2026-11", state="closed")
    chinese = explain(translator("zh_CN"), period, PointsConfig(), 1, closed)
    english = explain(translator("en"), period, PointsConfig(), 1, closed)
    assert "业务知识、沟通技巧、团队协作" in chinese and ", " not in chinese
    assert "business knowledge, communication skills, teamwork" in english


POINTS = agent_points(AgentStats(agent_id=1), TeamFigures(
    agents=1, dimension_means={q: None for q in QUESTIONS}, mean_closed_orders=0.0,
    surveys_sent=0, responses=0, complaints=0), PointsConfig())


def test_english_counts_of_one_read_in_the_singular() -> None:
    en, zh = translator("en"), translator("zh_CN")
    assert waiting_appeals(en, 1, "2026-11").startswith("1 appeal about 2026-11 still waits")
    assert waiting_appeals(en, 2, "2026-11").startswith("2 appeals about 2026-11 still wait")
    assert waiting_appeals(zh, 1, "2026-11").startswith("注意：1 条关于 2026-11 的申诉仍待裁决")
    points = replace(POINTS, reviews={"manager": 75.0}, review_counts={"manager": 1})
    assert review_text(en, points) == "manager 75.0 (1 star)"
    assert review_text(zh, points) == "主管 75.0（1 个星级）"


def test_a_manager_is_pointed_at_agent_and_report_not_at_the_agents_own_me() -> None:
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    closed = PeriodStatus(label="2026-11", state="closed")
    for locale in ("zh_CN", "en"):
        manager = explain(translator(locale), period, PointsConfig(), 1, closed, agent=False)
        agent = explain(translator(locale), period, PointsConfig(), 1, closed)
        assert "/me" not in manager and "/agent" in manager and "/report 2026-11" in manager
        assert agent.splitlines()[-1].endswith(("/me 2026-11。", "/me 2026-11."))
