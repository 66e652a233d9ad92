"""Work orders grouped by category, by building and by agent: the shapes reports read.

The assessment service (`surveys.assessment.breakdowns`) fills them from SQL; the chat text,
the XLSX sheets and the PNG table read them here, so scoring never imports the domain.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GroupRow:
    """One category, building or agent in a period."""

    key: str  # a category code, a building, or an agent's name
    orders: int = 0  # work orders closed in the period
    repeats: int = 0  # of which repeat an earlier problem (返修/重复)
    complaints: int = 0  # complaints opened in the period (voided ones left out)
    responses: int = 0  # counted responses to surveys sent in the period
    overall_sum: int = 0  # the sum of their overall ratings

    @property
    def repeat_rate(self) -> float | None:
        """Repeats per closed order (None without orders)."""
        return self.repeats / self.orders if self.orders else None

    @property
    def complaint_rate(self) -> float | None:
        """Complaints per closed order (None without orders)."""
        return self.complaints / self.orders if self.orders else None

    @property
    def mean_overall(self) -> float | None:
        """Mean overall rating, 1-5 (None without responses)."""
        return self.overall_sum / self.responses if self.responses else None


@dataclass(frozen=True)
class Breakdowns:
    """A period's work orders by category, building and agent, and complaints by both."""

    by_category: list[GroupRow] = field(default_factory=list)
    by_building: list[GroupRow] = field(default_factory=list)
    # Per agent: `orders` they closed, `repeats` of their orders that came back (the earlier
    # order of a repeat is the fix that did not last).
    by_agent: list[GroupRow] = field(default_factory=list)
    complaints: dict[tuple[str, str], int] = field(default_factory=dict)  # (building, category)

    def matrix(self) -> tuple[list[str], list[str], list[list[int]]]:
        """Return buildings, categories and the complaint counts of each pair (rows: buildings)."""
        buildings = sorted({b for b, _ in self.complaints}, key=natural)
        order = [r.key for r in self.by_category]
        categories = sorted({c for _, c in self.complaints},
                            key=lambda c: (order.index(c) if c in order else len(order), c))
        counts = [[self.complaints.get((b, c), 0) for c in categories] for b in buildings]
        return buildings, categories, counts


def natural(text: str) -> tuple[int, int, str]:
    """Sort building names as people do: 2 before 10, names after numbers."""
    # unicodedata.digit, not str.isdigit + int: "②号楼" and "B²座" are digits int() refuses.
    digits = "".join(str(d) for ch in text if (d := unicodedata.digit(ch, None)) is not None)
    return (0, int(digits), text) if digits and len(digits) < 10 else (1, 0, text)
