"""Repeat problems in the points: no effect unless configured, then a capped penalty."""

from __future__ import annotations

from scoring.points.config import PointsConfig, RepeatPenalty
from scoring.points.model import AgentStats, compute_team


def _team(config: PointsConfig) -> dict[int, tuple[float, float]]:
    stats = [AgentStats(agent_id=1, closed_orders=100, repeats=20),
             AgentStats(agent_id=2, closed_orders=100, repeats=0)]
    _, rows = compute_team(stats, config)
    return {r.agent_id: (r.repeat_penalty, r.handling) for r in rows}


def test_repeats_cost_nothing_unless_a_company_turns_them_on() -> None:
    assert _team(PointsConfig()) == {1: (0.0, 100.0), 2: (0.0, 100.0)}


def test_an_agent_whose_fixes_keep_coming_back_loses_complaint_points_up_to_the_cap() -> None:
    on = _team(PointsConfig(repeat_penalty=RepeatPenalty(per_point=1.0, cap=5)))
    assert on[2] == (0.0, 100.0)  # below the team's repeat rate: no penalty
    assert on[1] == (5.0, 95.0)  # (20 + 20 × 0.1) / 120 − 0.1 = 8.3 points, capped at 5
