"""Pure formulas of the points model (DESIGN.md §6); no database, no I/O.

Every function takes plain numbers and returns plain numbers (or None when a figure is
undefined), so each can be checked by hand. Edge cases are decided in `docs/points.md`.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.points.config import ComplaintHandlingWeights, PointsConfig

EXCELLENT = "excellent"  # 优秀
PASS = "pass"  # 合格
NEEDS_IMPROVEMENT = "needs_improvement"  # 待改进


def rating_to_score(mean_rating: float) -> float:
    """Map a mean rating on the 1–5 scale to 0–100."""
    return (mean_rating - 1.0) / 4.0 * 100.0


def dimension_score(rating_sum: float, n: float) -> float | None:
    """Return the raw 0–100 score of n ratings summing to rating_sum (None when n is 0)."""
    if n <= 0:
        return None
    return rating_to_score(rating_sum / n)


def share(part: float, whole: float) -> float | None:
    """Return part / whole, or None when whole is 0."""
    if whole <= 0:
        return None
    return part / whole


def shrink(raw: float | None, n: float, team_mean: float | None, k: float) -> float | None:
    """Shrink a raw score of n ratings toward the team mean: (n·raw + k·team)/(n + k).

    With n = 0 the result is the team mean (no evidence about the agent); with no team mean
    the raw score stands; with neither, the figure is undefined (None).
    """
    if team_mean is None:
        return raw
    if raw is None or n <= 0:
        return team_mean
    if n + k <= 0:
        return raw
    return (n * raw + k * team_mean) / (n + k)


def satisfaction_points(
    scores: Mapping[str, float | None], weights: Mapping[str, float]
) -> float | None:
    """Return Σ weight × score over the dimensions that have a score.

    A dimension without any score (no rating in the whole team) is left out and the weights
    of the others are scaled up to sum to 1; with no scored dimension the result is None.
    """
    used = {q: w for q, w in weights.items() if scores.get(q) is not None}
    total_weight = sum(used.values())
    if not used or total_weight <= 0:
        return None
    return sum(w * float(scores[q] or 0.0) for q, w in used.items()) / total_weight


def complaints_per_100(complaints: int, closed_orders: int) -> float | None:
    """Return valid complaints per 100 closed orders (None without a closed order)."""
    if closed_orders <= 0:
        return None
    return complaints / closed_orders * 100.0


def prior_share(part: int, whole: int, prior: float) -> float | None:
    """Return (part + prior) / (whole + prior): a share that starts at 1 (None if undefined)."""
    if whole + prior <= 0:
        return None
    return (part + prior) / (whole + prior)


def handling_quality(
    *,
    complaints: int,
    ack_on_time_share: float | None,
    resolved_share: float | None,
    follow_up_satisfied_share: float | None,
    weights: ComplaintHandlingWeights,
) -> float:
    """Return 100 × the weighted handling shares; 100 with no valid complaint.

    A share that is not defined (no acknowledgement due, no follow-up answered, and no
    prior) is left out and the remaining weights are scaled up to sum to 1.
    """
    if complaints <= 0:
        return 100.0
    parts = [
        (weights.acknowledged_on_time, ack_on_time_share),
        (weights.resolved, resolved_share),
        (weights.follow_up_satisfied, follow_up_satisfied_share),
    ]
    defined = [(w, s) for w, s in parts if s is not None]
    total_weight = sum(w for w, _ in defined)
    if total_weight <= 0:
        return 100.0
    return 100.0 * sum(w * s for w, s in defined) / total_weight


def team_complaint_rate(complaints: int, closed_orders: int) -> float:
    """Return the team's valid complaints per closed order (0 with no closed order)."""
    return complaints / closed_orders if closed_orders > 0 else 0.0


def shrunken_complaint_rate(
    complaints: int, closed_orders: int, team_rate: float, k: float
) -> float:
    """Return (complaints + k × team rate) / (closed orders + k).

    k orders "at the team rate" are added to the agent's own, so a single complaint in a
    handful of orders does not read as a rate of 100 %. With k = 0 and no order, the agent's
    complaints are counted over one order.
    """
    if closed_orders + k <= 0:
        return float(complaints)
    return (complaints + k * team_rate) / (closed_orders + k)


def frequency_penalty(shrunken_rate: float, team_rate: float, *, per_point: float,
                      cap: float) -> float:
    """Return min(cap, per_point × max(0, shrunken − team) × 100)."""
    return min(cap, per_point * max(0.0, shrunken_rate - team_rate) * 100.0)


def complaint_points(quality: float, penalty: float) -> float:
    """Return handling quality minus the frequency penalty, floored at 0."""
    return max(0.0, quality - penalty)


def workload_coefficient(load: int, team_mean_load: float, *, slope: float, cap: float) -> float:
    """Return ×(1 + slope × (load/mean − 1)) for loads above the team mean, capped; else 1."""
    if team_mean_load <= 0 or load <= team_mean_load:
        return 1.0
    return min(cap, 1.0 + slope * (load / team_mean_load - 1.0))


def total_points(
    satisfaction: float | None,
    complaints: float,
    coefficient: float,
    *,
    satisfaction_weight: float,
    reviews: Mapping[str, float | None] | None = None,
    review_weights: Mapping[str, float] | None = None,
    adjustment: float = 0.0,
) -> float | None:
    """Return the total, clipped to 0–100.

    base = w × satisfaction + (1 − w) × complaint points; each review source that is present
    takes its weight and the base the rest (a missing review renormalises, never counts as
    0); the mix is multiplied by the workload coefficient, then late adjustments are added.
    """
    if satisfaction is None:
        return None
    base = satisfaction_weight * satisfaction + (1.0 - satisfaction_weight) * complaints
    weights = review_weights or {}
    present = {
        source: (weights[source], float(score))
        for source, score in (reviews or {}).items()
        if score is not None and weights.get(source, 0.0) > 0
    }
    review_weight = sum(w for w, _ in present.values())
    mixed = (1.0 - review_weight) * base + sum(w * v for w, v in present.values())
    return min(100.0, max(0.0, mixed * coefficient + adjustment))


def grade(total: float | None, config: PointsConfig) -> str | None:
    """Return the grade code: excellent (≥ 90), pass (70–90), needs_improvement (< 70)."""
    if total is None:
        return None
    if total >= config.grade_excellent:
        return EXCELLENT
    if total >= config.grade_pass:
        return PASS
    return NEEDS_IMPROVEMENT


def competition_ranks(totals: Mapping[int, float | None]) -> dict[int, int | None]:
    """Rank totals high to low, equal totals sharing a rank (1, 2, 2, 4); None is unranked."""
    ranked = sorted(
        ((key, round(value, 6)) for key, value in totals.items() if value is not None),
        key=lambda item: -item[1],
    )
    ranks: dict[int, int | None] = dict.fromkeys(totals)
    previous: float | None = None
    rank = 0
    for position, (key, value) in enumerate(ranked, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks
