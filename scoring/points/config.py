"""Weights and thresholds of the points model, validated at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from scoring.questions import QUESTIONS

FORMULA_VERSION = "2"  # bump when a formula (not a weight) changes; stored in every snapshot
REVIEW_SOURCES = ("manager", "peer", "self")


class SatisfactionWeights(BaseModel):
    """One weight per survey question (`scoring.questions.QUESTIONS`), summing to 1."""

    overall: float = Field(0.4, ge=0)
    attitude: float = Field(0.2, ge=0)
    clarity: float = Field(0.2, ge=0)
    timeliness: float = Field(0.2, ge=0)

    @model_validator(mode="after")
    def _sum_to_one(self) -> SatisfactionWeights:
        total = sum(getattr(self, q) for q in QUESTIONS)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"satisfaction weights must sum to 1.0, got {total:g}")
        return self


class ComplaintHandlingWeights(BaseModel):
    """Weights of the three handling shares (handling quality)."""

    acknowledged_on_time: float = Field(0.4, ge=0)
    resolved: float = Field(0.3, ge=0)
    follow_up_satisfied: float = Field(0.3, ge=0)
    # Benefit of the doubt: each share starts as if this many complaints had been handled
    # perfectly, so one bad outcome out of one is not a handling quality of 0.
    prior_complaints: float = Field(2, ge=0)

    @model_validator(mode="after")
    def _sum_to_one(self) -> ComplaintHandlingWeights:
        total = self.acknowledged_on_time + self.resolved + self.follow_up_satisfied
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"complaint-handling weights must sum to 1.0, got {total:g}")
        return self


class ComplaintFrequency(BaseModel):
    """The frequency penalty: a shrunken complaint rate compared with the team's."""

    shrinkage_orders: float = Field(40, ge=0)  # k: orders of prior at the team rate
    penalty_per_point: float = Field(5, ge=0)  # points per percentage point above the team
    cap: float = Field(20, ge=0, le=100)


class ReviewConfig(BaseModel):
    """Multi-source review: the criteria managers (and peers, self) rate, and their weights."""

    criteria: list[str] = Field(default_factory=lambda: ["knowledge", "communication",
                                                          "teamwork"])
    manager_weight: float = Field(0.2, ge=0, lt=1)
    peer_weight: float = Field(0.0, ge=0, lt=1)
    self_weight: float = Field(0.0, ge=0, lt=1)
    peers_per_agent: int = Field(0, ge=0, le=10)  # peers each agent is asked to rate

    @field_validator("criteria")
    @classmethod
    def _criteria(cls, value: list[str]) -> list[str]:
        if not value or len(set(value)) != len(value):
            raise ValueError("review criteria must be a non-empty list without duplicates")
        if any(not c.isidentifier() or len(c) > 20 for c in value):
            raise ValueError("review criteria are short codes (letters, digits, _)")
        return value

    @model_validator(mode="after")
    def _below_one(self) -> ReviewConfig:
        total = self.manager_weight + self.peer_weight + self.self_weight
        if total >= 1.0:
            raise ValueError(f"review weights must sum to less than 1.0, got {total:g}")
        return self

    def weights(self) -> dict[str, float]:
        """Return the weight of each review source."""
        return {"manager": self.manager_weight, "peer": self.peer_weight,
                "self": self.self_weight}


class CycleConfig(BaseModel):
    """The 考核 cycle: month or quarter, and the appeal window after a period ends."""

    period: Literal["month", "quarter"] = "month"
    appeal_days: int = Field(3, ge=0, le=31)
    adjustment_lookback: int = Field(3, ge=1, le=24)  # closed periods checked for late changes


class PayrollConfig(BaseModel):
    """Grade → bonus coefficient of the payroll file (合格 is the grade code "pass")."""

    excellent: float = Field(1.2, ge=0, le=10)
    qualified: float = Field(1.0, ge=0, le=10)
    needs_improvement: float = Field(0.8, ge=0, le=10)

    def coefficient(self, grade: str | None) -> float | None:
        """Return the bonus coefficient of a grade code (None when ungraded)."""
        return {"excellent": self.excellent, "pass": self.qualified,
                "needs_improvement": self.needs_improvement}.get(grade or "")


class TargetsConfig(BaseModel):
    """Team targets (seed 002): each met when the team's share reaches it."""

    # 投诉响应率: acknowledged by the deadline (24 h; 2 h for urgent orders)
    ack_on_time: float = Field(0.95, ge=0, le=1)
    resolved: float = Field(0.90, ge=0, le=1)  # 问题解决率
    follow_up_satisfied: float = Field(0.90, ge=0, le=1)  # 回访满意率


class RepeatPenalty(BaseModel):
    """Repeat problems (返修/重复) as a points input: off unless `per_point` is above 0.

    An agent's repeat rate (their orders that came back within the window, per closed order)
    is shrunk toward the team's like the complaint rate; the penalty, min(cap, per_point ×
    max(0, shrunken − team rate) × 100), comes off the complaint points.
    """

    per_point: float = Field(0.0, ge=0, le=100)
    shrinkage_orders: float = Field(20, ge=0)
    cap: float = Field(10, ge=0, le=100)

    @property
    def enabled(self) -> bool:
        """Tell whether repeats count in the points at all."""
        return self.per_point > 0


class PointsConfig(BaseModel):
    satisfaction: SatisfactionWeights = SatisfactionWeights()
    complaint_handling: ComplaintHandlingWeights = ComplaintHandlingWeights()
    complaint_frequency: ComplaintFrequency = ComplaintFrequency()
    review: ReviewConfig = ReviewConfig()
    shrinkage_k: float = Field(5, ge=0)
    workload_slope: float = Field(0.5, ge=0)
    workload_cap: float = Field(1.10, ge=1)
    total_satisfaction_weight: float = Field(0.5, ge=0, le=1)
    grade_excellent: float = Field(90, ge=0, le=100)
    grade_pass: float = Field(65, ge=0, le=100)
    csat_min_rating: int = Field(4, ge=1, le=5)
    # Weight of a staff-entered 回访 (phone, visit) in the rating means against an owner's own
    # answer (chat, web): 1.0 counts them alike; 0.5 makes two 回访 count as one answer.
    staff_entered_weight: float = Field(1.0, ge=0, le=1)
    repeat_penalty: RepeatPenalty = RepeatPenalty()
    cycle: CycleConfig = CycleConfig()
    payroll: PayrollConfig = PayrollConfig()
    targets: TargetsConfig = TargetsConfig()

    @model_validator(mode="after")
    def _grades_ordered(self) -> PointsConfig:
        if self.grade_pass > self.grade_excellent:
            raise ValueError("grade_pass must not exceed grade_excellent")
        return self
