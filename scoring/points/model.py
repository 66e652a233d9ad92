"""The points of a team: per-agent counts in (AgentStats), figures out (AgentPoints).

`compute_team` is pure: the SQL aggregation (`surveys.assessment.stats`) and the naive
benchmark path both feed it the same AgentStats, so they give the same points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from scoring.points import formulas as f
from scoring.points.config import PointsConfig
from scoring.questions import QUESTIONS


@dataclass(frozen=True)
class RatingStats:
    """Ratings of one question: how many, their sum, how many at or above the CSAT bar."""

    n: int = 0
    total: int = 0
    csat: int = 0


@dataclass(frozen=True)
class AgentStats:
    """Everything the model needs about one agent in one period (counts and sums only)."""

    agent_id: int
    surveys_sent: int = 0
    responses: int = 0  # submitted, not voided, of surveys sent in the period
    voided_responses: int = 0
    ratings: dict[str, RatingStats] = field(default_factory=dict)
    # The part of `ratings` entered by staff (phone / visit 回访); filled only when their
    # weight is not 1 (points.staff_entered_weight).
    staff_ratings: dict[str, RatingStats] = field(default_factory=dict)
    closed_orders: int = 0
    complaints: int = 0  # opened in the period, not voided
    voided_complaints: int = 0
    ack_due: int = 0  # acknowledged, or past the deadline without acknowledgement
    ack_on_time: int = 0
    resolved: int = 0
    follow_ups_answered: int = 0
    follow_ups_satisfied: int = 0
    reviews: dict[str, RatingStats] = field(default_factory=dict)  # source -> review stars
    adjustment: float = 0.0  # late corrections of closed periods, added to the total
    # Their orders that came back as a repeat problem in the period; counted only when
    # repeats are a points input (points.repeat_penalty).
    repeats: int = 0


@dataclass(frozen=True)
class DimensionFigures:
    """One question's figures for one agent: raw and shrunk scores side by side."""

    n: int
    mean_rating: float | None
    raw: float | None  # 0–100
    adjusted: float | None  # shrunk toward the team mean
    csat: float | None  # share of ratings >= csat_min_rating, 0–1
    team_mean: float | None


@dataclass(frozen=True)
class AgentPoints:
    """All figures of one agent in one period."""

    agent_id: int
    surveys_sent: int
    responses: int
    voided_responses: int
    response_rate: float | None  # 0–1
    dimensions: dict[str, DimensionFigures]
    csat: float | None  # CSAT of the overall question, 0–1
    satisfaction_raw: float | None
    satisfaction: float | None  # from the adjusted dimension scores
    closed_orders: int
    complaints: int
    voided_complaints: int
    complaints_per_100: float | None  # raw rate, None without a closed order
    ack_on_time_rate: float | None
    resolution_rate: float | None
    follow_up_satisfaction_rate: float | None
    handling_quality: float  # 0–100, 100 without a valid complaint
    shrunken_complaint_rate: float  # complaints per order, shrunk toward the team rate
    team_complaint_rate: float
    frequency_penalty: float  # 0..cap
    handling: float  # complaint points: handling quality − frequency penalty, ≥ 0
    reviews: dict[str, float | None]  # source -> 0–100 (None: no review from that source)
    review_counts: dict[str, int]  # source -> star ratings given
    workload_coefficient: float
    adjustment: float
    total: float | None
    grade: str | None
    rank: int | None = None
    name: str = ""
    external_id: str = ""
    repeats: int = 0
    repeat_penalty: float = 0.0  # 0..cap, off the complaint points (0 unless configured)


@dataclass(frozen=True)
class TeamFigures:
    """Team-wide inputs of the model: mean score per question and mean workload."""

    agents: int
    dimension_means: dict[str, float | None]
    mean_closed_orders: float
    surveys_sent: int
    responses: int
    complaints: int
    closed_orders: int = 0
    complaint_rate: float = 0.0  # valid complaints per closed order
    ack_due: int = 0
    ack_on_time: int = 0
    resolved: int = 0
    follow_ups_answered: int = 0
    follow_ups_satisfied: int = 0
    repeats: int = 0
    repeat_rate: float = 0.0  # repeats per closed order


def weighed(s: AgentStats, question: str, staff_weight: float) -> tuple[float, float, float]:
    """Return a question's (n, total, csat) with staff-entered ratings at their weight."""
    r = s.ratings.get(question, RatingStats())
    staff = s.staff_ratings.get(question, RatingStats())
    less = 1.0 - staff_weight
    return r.n - less * staff.n, r.total - less * staff.total, r.csat - less * staff.csat


def team_figures(stats: Sequence[AgentStats], staff_weight: float = 1.0) -> TeamFigures:
    """Pool the team's ratings per question and average the closed orders per agent."""
    means: dict[str, float | None] = {}
    for q in QUESTIONS:
        pooled = [weighed(s, q, staff_weight) for s in stats]
        n = sum(p[0] for p in pooled)
        total = sum(p[1] for p in pooled)
        means[q] = f.dimension_score(total, n)
    loads = [s.closed_orders for s in stats]
    complaints = sum(s.complaints for s in stats)
    return TeamFigures(
        agents=len(stats),
        dimension_means=means,
        mean_closed_orders=sum(loads) / len(loads) if loads else 0.0,
        surveys_sent=sum(s.surveys_sent for s in stats),
        responses=sum(s.responses for s in stats),
        complaints=complaints,
        closed_orders=sum(loads),
        complaint_rate=f.team_complaint_rate(complaints, sum(loads)),
        ack_due=sum(s.ack_due for s in stats),
        ack_on_time=sum(s.ack_on_time for s in stats),
        resolved=sum(s.resolved for s in stats),
        follow_ups_answered=sum(s.follow_ups_answered for s in stats),
        follow_ups_satisfied=sum(s.follow_ups_satisfied for s in stats),
        repeats=sum(s.repeats for s in stats),
        repeat_rate=f.team_complaint_rate(sum(s.repeats for s in stats), sum(loads)),
    )


def agent_points(s: AgentStats, team: TeamFigures, config: PointsConfig) -> AgentPoints:
    """Compute one agent's figures given the team's (rank is set by `compute_team`)."""
    dims = _dimensions(s, team, config)
    weights = config.satisfaction.model_dump()
    satisfaction_raw = f.satisfaction_points({q: d.raw for q, d in dims.items()}, weights)
    satisfaction = f.satisfaction_points({q: d.adjusted for q, d in dims.items()}, weights)
    ack = f.share(s.ack_on_time, s.ack_due)
    resolved = f.share(s.resolved, s.complaints)
    satisfied = f.share(s.follow_ups_satisfied, s.follow_ups_answered)
    quality = _handling_quality(s, config)
    shrunken, penalty = _frequency_penalty(s, team, config)
    repeat_penalty = _repeat_penalty(s, team, config)
    handling = f.complaint_points(quality, penalty + repeat_penalty)
    reviews = {src: f.dimension_score(r.total, r.n) for src, r in s.reviews.items()}
    coefficient = f.workload_coefficient(
        s.closed_orders, team.mean_closed_orders,
        slope=config.workload_slope, cap=config.workload_cap,
    )
    total = f.total_points(
        satisfaction, handling, coefficient,
        satisfaction_weight=config.total_satisfaction_weight,
        reviews=reviews, review_weights=config.review.weights(), adjustment=s.adjustment,
    )
    return AgentPoints(
        agent_id=s.agent_id,
        surveys_sent=s.surveys_sent,
        responses=s.responses,
        voided_responses=s.voided_responses,
        response_rate=f.share(s.responses, s.surveys_sent),
        dimensions=dims,
        csat=dims["overall"].csat,
        satisfaction_raw=satisfaction_raw,
        satisfaction=satisfaction,
        closed_orders=s.closed_orders,
        complaints=s.complaints,
        voided_complaints=s.voided_complaints,
        complaints_per_100=f.complaints_per_100(s.complaints, s.closed_orders),
        ack_on_time_rate=ack,
        resolution_rate=resolved,
        follow_up_satisfaction_rate=satisfied,
        handling_quality=quality,
        shrunken_complaint_rate=shrunken,
        team_complaint_rate=team.complaint_rate,
        frequency_penalty=penalty,
        handling=handling,
        reviews=reviews,
        review_counts={src: r.n for src, r in s.reviews.items()},
        workload_coefficient=coefficient,
        adjustment=s.adjustment,
        total=total,
        grade=f.grade(total, config),
        repeats=s.repeats,
        repeat_penalty=repeat_penalty,
    )


def _dimensions(s: AgentStats, team: TeamFigures, config: PointsConfig
                ) -> dict[str, DimensionFigures]:
    """Score each question: raw, shrunk towards the team's mean, and its CSAT share."""
    dims: dict[str, DimensionFigures] = {}
    for q in QUESTIONS:
        n, rating_sum, csat = weighed(s, q, config.staff_entered_weight)
        raw = f.dimension_score(rating_sum, n)
        dims[q] = DimensionFigures(
            n=s.ratings.get(q, RatingStats()).n,
            mean_rating=rating_sum / n if n else None,
            raw=raw,
            adjusted=f.shrink(raw, n, team.dimension_means[q], config.shrinkage_k),
            csat=f.share(csat, n),
            team_mean=team.dimension_means[q],
        )
    return dims


def _handling_quality(s: AgentStats, config: PointsConfig) -> float:
    """Score how the agent handled complaints, each share drawn towards the prior."""
    prior = config.complaint_handling.prior_complaints
    return f.handling_quality(
        complaints=s.complaints,
        ack_on_time_share=f.prior_share(s.ack_on_time, s.ack_due, prior),
        resolved_share=f.prior_share(s.resolved, s.complaints, prior),
        follow_up_satisfied_share=f.prior_share(
            s.follow_ups_satisfied, s.follow_ups_answered, prior),
        weights=config.complaint_handling,
    )


def _frequency_penalty(s: AgentStats, team: TeamFigures, config: PointsConfig
                       ) -> tuple[float, float]:
    """Return the agent's shrunken complaint rate and the penalty it earns over the team's."""
    freq = config.complaint_frequency
    shrunken = f.shrunken_complaint_rate(
        s.complaints, s.closed_orders, team.complaint_rate, freq.shrinkage_orders
    )
    penalty = f.frequency_penalty(
        shrunken, team.complaint_rate, per_point=freq.penalty_per_point, cap=freq.cap
    )
    return shrunken, penalty


def _repeat_penalty(s: AgentStats, team: TeamFigures, config: PointsConfig) -> float:
    rule = config.repeat_penalty
    if not rule.enabled:
        return 0.0
    shrunken = f.shrunken_complaint_rate(s.repeats, s.closed_orders, team.repeat_rate,
                                         rule.shrinkage_orders)
    return f.frequency_penalty(shrunken, team.repeat_rate, per_point=rule.per_point,
                               cap=rule.cap)


def compute_team(
    stats: Sequence[AgentStats], config: PointsConfig
) -> tuple[TeamFigures, list[AgentPoints]]:
    """Compute every agent's points and rank; rows come best first, unranked last."""
    team = team_figures(stats, config.staff_entered_weight)
    rows = [agent_points(s, team, config) for s in stats]
    ranks = f.competition_ranks({p.agent_id: p.total for p in rows})
    ranked = [_with_rank(p, ranks[p.agent_id]) for p in rows]
    ranked.sort(key=lambda p: (p.rank is None, p.rank or 0, p.agent_id))
    return team, ranked


def _with_rank(p: AgentPoints, rank: int | None) -> AgentPoints:
    return replace(p, rank=rank)
