"""回访率: surveys answered by any channel ÷ orders closed, and the complaint orders' share.

Pure shapes and arithmetic; `surveys.assessment.revisit_rates` counts in SQL and fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every complaint order gets a 回访: the complaint 回访 rate is measured against 100 %.
COMPLAINT_TARGET = 1.0


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class RevisitRate:
    """Orders closed and surveys answered (any channel), all orders and complaint orders."""

    closed: int = 0
    answered: int = 0
    complaint_closed: int = 0
    complaint_answered: int = 0

    @property
    def rate(self) -> float | None:
        """Return answered ÷ closed (None without a closed order)."""
        return _share(self.answered, self.closed)

    @property
    def complaint_rate(self) -> float | None:
        """Return the complaint orders' answered share (None without a complaint order)."""
        return _share(self.complaint_answered, self.complaint_closed)

    @property
    def complaint_target_met(self) -> bool | None:
        """Tell whether every complaint order got its 回访 (None without one)."""
        rate = self.complaint_rate
        return None if rate is None else rate >= COMPLAINT_TARGET

    def __add__(self, other: RevisitRate) -> RevisitRate:
        return RevisitRate(self.closed + other.closed, self.answered + other.answered,
                           self.complaint_closed + other.complaint_closed,
                           self.complaint_answered + other.complaint_answered)


@dataclass(frozen=True)
class RevisitRates:
    """The period's 回访率 per community (by name) and per agent (by id), and in total."""

    communities: dict[str, RevisitRate] = field(default_factory=dict)
    agents: dict[int, RevisitRate] = field(default_factory=dict)

    @property
    def total(self) -> RevisitRate:
        """Return the rate over every community."""
        return sum(self.communities.values(), RevisitRate())
