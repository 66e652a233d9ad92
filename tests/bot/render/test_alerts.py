"""A complaint card shows the same ratings line when first sent and in every later edit."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.alerts import complaint_lines

EVIDENCE = {"words": ["敷衍"], "ratings": {"overall": 2, "attitude": 1}}


def _ratings_line(data: dict[str, object]) -> str:
    return next(line for line in complaint_lines(translator("zh_CN"), data)
                if line.startswith("评分"))


def test_card_and_its_edits_show_the_low_ratings_that_opened_the_complaint() -> None:
    first = {"complaint_id": 1, "evidence": EVIDENCE,
             "ratings": {"overall": 2, "attitude": 1, "clarity": 3, "timeliness": 2}}
    edited = {"complaint_id": 1, "evidence": EVIDENCE}  # the view behind later edits
    assert _ratings_line(first) == _ratings_line(edited) == "评分：总体 2⭐  态度 1⭐"


def test_payload_ratings_are_shown_when_there_is_no_evidence() -> None:
    assert _ratings_line({"complaint_id": 2, "ratings": {"clarity": 1}}) == "评分：表达清晰 1⭐"
