"""Each points formula on hand-computed cases (DESIGN.md §6 defaults unless stated)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring.points import formulas as f
from scoring.points.config import ComplaintHandlingWeights, PointsConfig, TargetsConfig
from scoring.points.model import AgentStats, RatingStats, TeamFigures, compute_team
from scoring.points.targets import team_targets

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


def test_no_complaints_score_one_hundred_handling_quality() -> None:
    assert f.handling_quality(complaints=0, ack_on_time_share=None, resolved_share=None,
                              follow_up_satisfied_share=None, weights=W) == 100.0


def test_handling_quality_weighs_the_shares() -> None:
    # 100 * (.4 * .5 + .3 * 1 + .3 * 0) = 50
    quality = f.handling_quality(complaints=2, ack_on_time_share=0.5, resolved_share=1.0,
                                 follow_up_satisfied_share=0.0, weights=W)
    assert quality == pytest.approx(50.0)


def test_an_unanswered_follow_up_leaves_its_weight_to_the_other_shares() -> None:
    # 100 * (.4 * 1 + .3 * 0) / .7 = 57.14
    quality = f.handling_quality(complaints=1, ack_on_time_share=1.0, resolved_share=0.0,
                                 follow_up_satisfied_share=None, weights=W)
    assert quality == pytest.approx(40 / 0.7)


def test_a_share_starts_as_if_two_complaints_had_been_handled_perfectly() -> None:
    # one complaint not resolved: (0 + 2) / (1 + 2); no follow-up answered: 2 / 2
    assert f.prior_share(0, 1, 2) == pytest.approx(2 / 3)
    assert f.prior_share(0, 0, 2) == 1.0
    assert f.prior_share(0, 0, 0) is None


def test_the_complaint_rate_shrinks_toward_the_team_rate() -> None:
    # 1 complaint in 4 orders, team 5 %, k = 20: (1 + 1) / 24 = 8.33 %
    assert f.shrunken_complaint_rate(1, 4, 0.05, 20) == pytest.approx(2 / 24)
    assert f.shrunken_complaint_rate(0, 0, 0.05, 20) == pytest.approx(0.05)
    assert f.shrunken_complaint_rate(2, 0, 0.05, 0) == 2.0


def test_the_frequency_penalty_is_five_per_point_above_the_team_and_capped() -> None:
    # 8.33 % vs 5 %: 3.33 points above -> 16.7; never below the team: 0; far above: the cap
    assert f.frequency_penalty(2 / 24, 0.05, per_point=5, cap=20) == pytest.approx(50 / 3)
    assert f.frequency_penalty(0.03, 0.05, per_point=5, cap=20) == 0.0
    assert f.frequency_penalty(0.5, 0.05, per_point=5, cap=20) == 20.0


def test_complaint_points_are_quality_minus_penalty_floored_at_zero() -> None:
    assert f.complaint_points(90.0, 15.0) == 75.0
    assert f.complaint_points(10.0, 20.0) == 0.0


def test_the_complaint_rate_is_undefined_without_closed_orders() -> None:
    assert f.complaints_per_100(1, 0) is None
    assert f.complaints_per_100(1, 40) == pytest.approx(2.5)


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


def test_a_present_review_takes_its_weight_and_a_missing_one_renormalises() -> None:
    weights = {"manager": 0.2, "peer": 0.0, "self": 0.0}
    # .8 * (.7 * 80 + .3 * 60) + .2 * 50 = 69.2; the self review weighs 0
    assert f.total_points(80.0, 60.0, 1.0, satisfaction_weight=0.7,
                          reviews={"manager": 50.0, "self": 100.0},
                          review_weights=weights) == pytest.approx(69.2)
    assert f.total_points(80.0, 60.0, 1.0, satisfaction_weight=0.7,
                          reviews={"manager": None}, review_weights=weights) == pytest.approx(74.0)


def test_a_late_adjustment_is_added_after_the_coefficient_and_clipped() -> None:
    assert f.total_points(80.0, 60.0, 1.0, satisfaction_weight=0.7,
                          adjustment=-2.5) == pytest.approx(71.5)
    assert f.total_points(99.0, 100.0, 1.0, satisfaction_weight=0.7, adjustment=5) == 100.0


@pytest.mark.parametrize(
    ("total", "grade"),
    [(90.0, "excellent"), (89.99, "pass"), (65.0, "pass"), (64.9, "needs_improvement"),
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
    assert silent.total == pytest.approx(0.5 * 75 + 0.5 * 100)


def test_all_complaints_voided_scores_like_no_complaints() -> None:
    _, rows = compute_team(
        [_stats(1, [5], 10, voided_complaints=3)], PointsConfig()
    )
    assert (rows[0].complaints, rows[0].handling_quality, rows[0].handling) == (0, 100.0, 100.0)


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


def test_targets_are_met_missed_or_undecided_without_data() -> None:
    team = TeamFigures(agents=2, dimension_means={}, mean_closed_orders=10.0, surveys_sent=0,
                       responses=0, complaints=10, ack_due=20, ack_on_time=19, resolved=8,
                       follow_ups_answered=0, follow_ups_satisfied=0)
    results = {r.code: (r.value, r.met) for r in team_targets(team, TargetsConfig())}
    assert results == {"ack_on_time": (0.95, True), "resolved": (0.8, False),
                       "follow_up_satisfied": (None, None)}
