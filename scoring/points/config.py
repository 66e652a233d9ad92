"""Weights and thresholds of the points model, validated at start-up."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from scoring.questions import QUESTIONS


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
    acknowledged_on_time: float = Field(0.4, ge=0)
    resolved: float = Field(0.3, ge=0)
    follow_up_satisfied: float = Field(0.3, ge=0)
    penalty_per_complaint_per_100_orders: float = Field(5, ge=0)

    @model_validator(mode="after")
    def _sum_to_one(self) -> ComplaintHandlingWeights:
        total = self.acknowledged_on_time + self.resolved + self.follow_up_satisfied
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"complaint-handling weights must sum to 1.0, got {total:g}")
        return self


class PointsConfig(BaseModel):
    satisfaction: SatisfactionWeights = SatisfactionWeights()
    complaint_handling: ComplaintHandlingWeights = ComplaintHandlingWeights()
    shrinkage_k: float = Field(5, ge=0)
    workload_slope: float = Field(0.5, ge=0)
    workload_cap: float = Field(1.10, ge=1)
    total_satisfaction_weight: float = Field(0.7, ge=0, le=1)
    grade_excellent: float = Field(90, ge=0, le=100)
    grade_pass: float = Field(70, ge=0, le=100)
    csat_min_rating: int = Field(4, ge=1, le=5)

    @model_validator(mode="after")
    def _grades_ordered(self) -> PointsConfig:
        if self.grade_pass > self.grade_excellent:
            raise ValueError("grade_pass must not exceed grade_excellent")
        return self
