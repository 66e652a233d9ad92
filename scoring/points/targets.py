"""Team targets (seed 002): each share met when it reaches its target, undefined without data."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.points.config import TargetsConfig
from scoring.points.model import AgentPoints, TeamFigures

TARGETS = ("ack_on_time", "resolved", "follow_up_satisfied")


@dataclass(frozen=True)
class TargetResult:
    """One target: the share reached (None without data), the target, met or not (None)."""

    code: str
    value: float | None
    target: float

    @property
    def met(self) -> bool | None:
        """Tell whether the share reaches the target (None when there is nothing to judge)."""
        return None if self.value is None else self.value >= self.target - 1e-9


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


def team_targets(team: TeamFigures, config: TargetsConfig) -> list[TargetResult]:
    """Return the team's complaint shares against the targets."""
    return [
        TargetResult("ack_on_time", _share(team.ack_on_time, team.ack_due), config.ack_on_time),
        TargetResult("resolved", _share(team.resolved, team.complaints), config.resolved),
        TargetResult("follow_up_satisfied",
                     _share(team.follow_ups_satisfied, team.follow_ups_answered),
                     config.follow_up_satisfied),
    ]


def agent_targets(p: AgentPoints, config: TargetsConfig) -> list[TargetResult]:
    """One agent's complaint shares against the team targets."""
    return [
        TargetResult("ack_on_time", p.ack_on_time_rate, config.ack_on_time),
        TargetResult("resolved", p.resolution_rate, config.resolved),
        TargetResult("follow_up_satisfied", p.follow_up_satisfaction_rate,
                     config.follow_up_satisfied),
    ]
