"""The 回访率 in an agent's report, weekly summary and the digest, in both languages; messages
queued before it existed render without it."""

from __future__ import annotations

from datetime import date

from bot.i18n import translator
from bot.render.revisit_rates import own_revisit_lines, own_revisit_pairs
from bot.render.summary import render_team_digest, render_weekly_summary
from scoring.revisits import RevisitRate
from surveys.outbox.payloads import TeamDigestPayload, WeeklySummaryPayload

WEEK = {"week": "2026-W47", "first_day": date(2026, 11, 16), "last_day": date(2026, 11, 22)}
FIGURE = {"closed": 4, "answered": 3, "complaint_closed": 2, "complaint_answered": 1}


def test_an_agents_own_revisit_rate_reads_in_chinese_and_english() -> None:
    rate = RevisitRate(**FIGURE)
    assert own_revisit_pairs(translator("zh_CN"), rate) == [
        ("回访率", "3/4（75.0%）"), ("投诉回访率", "1/2（50.0%；目标 100.0%）❌")]
    assert own_revisit_lines(translator("en"), rate) == [
        "Revisit rate (answered by any channel ÷ orders closed): 3/4 (75.0%).",
        "Complaint revisit rate: 1/2 (50.0%; target 100.0%) ❌"]


def test_no_closed_order_shows_no_revisit_rate() -> None:
    for rate in (None, RevisitRate()):
        assert own_revisit_pairs(translator("zh_CN"), rate) == []
        assert own_revisit_lines(translator("en"), rate) == []


def test_the_weekly_summary_shows_the_agents_revisit_rate() -> None:
    payload = WeeklySummaryPayload.of({**WEEK, "revisit": FIGURE})
    text = render_weekly_summary(payload, translator("en"))
    assert "Revisit rate (answered by any channel ÷ orders closed): 3/4 (75.0%)." in text


def test_the_digest_shows_the_scope_and_each_ranked_agent() -> None:
    payload = TeamDigestPayload.of({**WEEK, "community": "阳光花园",
                                    "revisit_communities": {"阳光花园": FIGURE},
                                    "rows": [{"agent_id": 1, "name": "王晓梅", "rank": 1,
                                              "revisit": FIGURE},
                                             {"agent_id": 2, "name": "李建国", "rank": 2}]})
    text = render_team_digest(payload, translator("zh_CN"))
    assert "回访率（任一渠道已回答 ÷ 完成工单）：阳光花园 3/4（75.0%）。" in text
    assert "各客服回访率：王晓梅 3/4（75.0%）。" in text  # 李建国 closed nothing
    assert "投诉回访率：1/2（50.0%；目标 100.0%）❌" in text


def test_summaries_queued_before_the_revisit_rate_render_without_it() -> None:
    summary = render_weekly_summary(WeeklySummaryPayload.of(WEEK), translator("zh_CN"))
    digest = render_team_digest(TeamDigestPayload.of({**WEEK, "revisit_communities": None}),
                                translator("zh_CN"))
    assert "回访率" not in summary and "回访率" not in digest
