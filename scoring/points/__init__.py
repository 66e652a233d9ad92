"""The points model of DESIGN.md §6: pure formulas (`formulas`) and team computation (`model`)."""

from scoring.points.config import PointsConfig
from scoring.points.model import (
    AgentPoints,
    AgentStats,
    DimensionFigures,
    RatingStats,
    TeamFigures,
    compute_team,
)

__all__ = [
    "AgentPoints",
    "AgentStats",
    "DimensionFigures",
    "PointsConfig",
    "RatingStats",
    "TeamFigures",
    "compute_team",
]
