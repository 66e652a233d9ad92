"""Each points formula on hand-computed cases (DESIGN.md §6 defaults unless stated)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.points import formulas as f
from scoring.points.config import ComplaintHandlingWeights, PointsConfig
from scoring.points.model import AgentStats, RatingStats, compute_team

W = ComplaintHandlingWeights()


def test_ratings_map_to_zero_hundred() -> None:
    assert f.rating_to_score(1) == 0
    assert f.rating_to_score(5) == 100
    assert f.rating_to_score(3.8) == pytest.approx(70)
    assert f.dimension_score(11, 3) == pytest.approx(200 / 3)


def test_no_ratings_leave_the_raw_score_undefined_and_the_adjusted_one_at_the_team_mean() -> None:
    assert f.dimension_score(0, 0) is None
    assert f.shrink(None, 0, 70.0, 5) == 70.0


def test_one_response_is_shrunk_mostly_toward_the_team_mean() -> None:
    # one 5-star (100) against a team mean of 70, k = 5: (100 + 350) / 6 = 75
    assert f.shrink(100.0, 1, 70.0, 5) == pytest.approx(75.0)


def test_shrinkage_with_k_zero_keeps_the_raw_score() -> None:
    assert f.shrink(100.0, 1, 70.0, 0) == 100.0


def test_satisfaction_is_the_weighted_sum_of_dimension_scores() -> None:
    scores = {"overall": 80.0, "attitude": 60.0, "clarity": 100.0, "timeliness": 40.0}
    weights = PointsConfig().satisfaction.model_dump()
    assert f.satisfaction_points(scores, weights) == pytest.approx(32 + 12 + 20 + 8)


def test_a_dimension_nobody_rated_is_left_out_and_the_weights_rescaled() -> None:
    scores = {"overall": 80.0, "attitude": 60.0, "clarity": 100.0, "timeliness": None}
    weights = PointsConfig().satisfaction.model_dump()
    assert f.satisfaction_points(scores, weights) == pytest.approx((32 + 12 + 20) / 0.8)
    assert f.satisfaction_points(dict.fromkeys(scores), weights) is None


def test_no_complaints_score_one_hundred_handling_points() -> None:
    assert f.handling_points(complaints=0, closed_orders=40, ack_on_time_share=None,
                             resolved_share=None, follow_up_satisfied_share=None,
                             weights=W) == 100.0


def test_handling_points_weigh_the_shares_and_subtract_the_complaint_rate() -> None:
    # 2 complaints in 40 orders = 5 per 100 -> penalty 25;
    # 100 * (.4 * .5 + .3 * 1 + .3 * 0) = 50 -> 25
    points = f.handling_points(complaints=2, closed_orders=40, ack_on_time_share=0.5,
                               resolved_share=1.0, follow_up_satisfied_share=0.0, weights=W)
    assert points == pytest.approx(25.0)


def test_handling_points_floor_at_zero() -> None:
    assert f.handling_points(complaints=3, closed_orders=10, ack_on_time_share=1.0,
                             resolved_share=1.0, follow_up_satisfied_share=1.0,
                             weights=W) == 0.0


def test_an_unanswered_follow_up_leaves_its_weight_to_the_other_shares() -> None:
    # 100 * (.4 * 1 + .3 * 0) / .7 = 57.14; 1 complaint in 100 orders -> penalty 5
    points = f.handling_points(complaints=1, closed_orders=100, ack_on_time_share=1.0,
                               resolved_share=0.0, follow_up_satisfied_share=None, weights=W)
    assert points == pytest.approx(40 / 0.7 - 5)


def test_complaints_without_closed_orders_count_over_one_order() -> None:
    assert f.complaints_per_100(1, 0) == 100.0


def test_twice_the_mean_workload_is_capped_at_ten_percent() -> None:
    # 1 + .5 * (2 - 1) = 1.5 -> capped 1.10
    assert f.workload_coefficient(40, 20.0, slope=0.5, cap=1.10) == pytest.approx(1.10)
    assert f.workload_coefficient(22, 20.0, slope=0.5, cap=1.10) == pytest.approx(1.05)
    assert f.workload_coefficient(10, 20.0, slope=0.5, cap=1.10) == 1.0
    assert f.workload_coefficient(5, 0.0, slope=0.5, cap=1.10) == 1.0


def test_total_mixes_satisfaction_and_handling_then_clips() -> None:
    assert f.total_points(80.0, 60.0, 1.0, satisfaction_weight=0.7) == pytest.approx(74.0)
    assert f.total_points(98.0, 100.0, 1.10, satisfaction_weight=0.7) == 100.0
    assert f.total_points(None, 100.0, 1.0, satisfaction_weight=0.7) is None


@pytest.mark.parametrize(
    ("total", "grade"),
    [(90.0, "excellent"), (89.99, "pass"), (70.0, "pass"), (69.9, "needs_improvement"),
     (None, None)],
)
def test_grades_follow_the_thresholds(total: float | None, grade: str | None) -> None:
    assert f.grade(total, PointsConfig()) == grade


def test_equal_totals_share_a_rank_and_undefined_totals_are_unranked() -> None:
    assert f.competition_ranks({1: 80.0, 2: 90.0, 3: 80.0, 4: None, 5: 70.0}) == {
        1: 2, 2: 1, 3: 2, 4: None, 5: 4
    }


def _stats(agent_id: int, ratings: list[int], closed: int, **more: int) -> AgentStats:
    r = RatingStats(n=len(ratings), total=sum(ratings), csat=sum(1 for x in ratings if x >= 4))
    return AgentStats(agent_id=agent_id, surveys_sent=len(ratings), responses=len(ratings),
                      ratings=dict.fromkeys(("overall", "attitude", "clarity", "timeliness"), r),
                      closed_orders=closed, **more)


def test_an_agent_without_responses_gets_the_team_mean_satisfaction() -> None:
    _, rows = compute_team([_stats(1, [5, 3], 10), _stats(2, [], 10)], PointsConfig())
    silent = next(r for r in rows if r.agent_id == 2)
    assert silent.response_rate is None
    assert silent.satisfaction_raw is None
    assert silent.satisfaction == pytest.approx(75.0)  # team mean of (5, 3) = 4 -> 75
    assert silent.total == pytest.approx(0.7 * 75 + 0.3 * 100)


def test_all_complaints_voided_scores_like_no_complaints() -> None:
    _, rows = compute_team(
        [_stats(1, [5], 10, voided_complaints=3)], PointsConfig()
    )
    assert (rows[0].complaints, rows[0].handling) == (0, 100.0)


def test_weights_changed_in_config_change_the_satisfaction() -> None:
    stats = [AgentStats(agent_id=1, ratings={"overall": RatingStats(1, 5, 1),
                                             "attitude": RatingStats(1, 1, 0)})]
    only_overall = PointsConfig(
        satisfaction={"overall": 1.0, "attitude": 0.0, "clarity": 0.0, "timeliness": 0.0},
        total_satisfaction_weight=1.0,
    )
    _, default = compute_team(stats, PointsConfig())
    _, changed = compute_team(stats, only_overall)
    # default: overall 100 and attitude 0 weigh .4 and .2 of the rated .6 -> 66.67
    assert default[0].satisfaction == pytest.approx(40 / 0.6)
    assert changed[0].satisfaction == pytest.approx(100.0)
    assert changed[0].total == pytest.approx(100.0)


def test_weights_that_do_not_sum_to_one_are_refused_with_a_clear_error() -> None:
    with pytest.raises(ValidationError, match=r"must sum to 1\.0"):
        PointsConfig(satisfaction={"overall": 0.5, "attitude": 0.2, "clarity": 0.2,
                                   "timeliness": 0.2})


@given(
    ratings=st.lists(st.lists(st.integers(1, 5), max_size=8), min_size=1, max_size=6),
    loads=st.lists(st.integers(0, 60), min_size=6, max_size=6),
    complaints=st.lists(st.integers(0, 5), min_size=6, max_size=6),
    k=st.floats(0, 20),
)
def test_every_total_stays_within_zero_and_one_hundred(
    ratings: list[list[int]], loads: list[int], complaints: list[int], k: float
) -> None:
    stats = [
        _stats(i, r, loads[i], complaints=complaints[i], ack_due=complaints[i],
               ack_on_time=complaints[i] // 2, resolved=complaints[i])
        for i, r in enumerate(ratings)
    ]
    _, rows = compute_team(stats, PointsConfig(shrinkage_k=k))
    for row in rows:
        assert row.total is None or 0.0 <= row.total <= 100.0
        assert 0.0 <= row.handling <= 100.0
        assert 1.0 <= row.workload_coefficient <= 1.10
