"""The weight of staff-entered 回访 (phone, visit) in the rating means: 1.0 counts them as
owners' own answers; a smaller weight makes them count less, never the count shown."""

from __future__ import annotations

from scoring.points.config import PointsConfig
from scoring.points.model import AgentStats, RatingStats, compute_team
from scoring.questions import QUESTIONS


def _stats(staff: bool) -> AgentStats:
    # Two owners' own answers of 5, two staff-entered answers of 1 on every question.
    ratings = {q: RatingStats(n=4, total=12, csat=2) for q in QUESTIONS}
    staff_part = {q: RatingStats(n=2, total=2, csat=0) for q in QUESTIONS} if staff else {}
    return AgentStats(agent_id=1, surveys_sent=4, responses=4, ratings=ratings,
                      staff_ratings=staff_part, closed_orders=4)


def test_weight_one_counts_staff_entered_answers_like_the_owners_own() -> None:
    _, [split] = compute_team([_stats(staff=True)], PointsConfig())
    _, [plain] = compute_team([_stats(staff=False)], PointsConfig())
    assert split.dimensions["overall"].mean_rating == 3.0
    assert split.total == plain.total


def test_a_half_weight_pulls_the_means_toward_the_owners_own_answers() -> None:
    config = PointsConfig(staff_entered_weight=0.5)
    _, [row] = compute_team([_stats(staff=True)], config)
    overall = row.dimensions["overall"]
    assert overall.mean_rating == (10 + 0.5 * 2) / (2 + 0.5 * 2)  # (5+5+0.5·1+0.5·1) / 3
    assert overall.n == 4  # the answers shown stay the answers given
    assert overall.csat == 2 / 3


def test_weight_zero_leaves_only_the_owners_own_answers() -> None:
    _, [row] = compute_team([_stats(staff=True)], PointsConfig(staff_entered_weight=0))
    assert row.dimensions["overall"].mean_rating == 5.0
