"""Refusals of the assessment cycle and of reviews; `bot/` turns each into a polite message."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from surveys.core.errors import DomainError

NotClosableReason = Literal["not_cycle", "open", "review", "not_closed"]


class PeriodAlreadyClosed(DomainError):
    """The period was closed before (by someone, at some time); its snapshot is final."""

    def __init__(self, label: str, closed_by: str, closed_at: datetime) -> None:
        super().__init__(f"{label} was closed by {closed_by} at {closed_at:%Y-%m-%d %H:%M}")
        self.label = label
        self.closed_by = closed_by
        self.closed_at = closed_at


class PeriodNotClosable(DomainError):
    """The period cannot be closed yet: not a 考核 period, not ended, or in its appeal window."""

    def __init__(self, label: str, reason: NotClosableReason,
                 until: datetime | None = None) -> None:
        super().__init__(f"{label} cannot be closed: {reason}")
        self.label = label
        self.reason = reason
        self.until = until


class ReviewRefused(DomainError):
    """A review that may not be given: outside one's scope, not assigned, or a bad rating."""

    def __init__(self, reason: Literal["scope", "not_assigned", "rating", "criterion",
                                       "closed", "inactive"]) -> None:
        super().__init__(f"review refused: {reason}")
        self.reason = reason
