"""Refusals of the assessment cycle and of reviews, each with its `ErrorCode`; `bot/` says
them through `bot.render.errors.error_text` (times in the reader's zone come from the caller)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from surveys.core.errors import DomainError, ErrorCode

NotClosableReason = Literal["not_cycle", "open", "review", "not_closed"]
ReviewReason = Literal["scope", "not_assigned", "rating", "criterion", "closed", "inactive",
                       "not_started"]
_PERIOD_CODES = {"not_cycle": ErrorCode.PERIOD_NOT_CYCLE, "open": ErrorCode.PERIOD_OPEN,
                 "review": ErrorCode.PERIOD_IN_REVIEW,
                 "not_closed": ErrorCode.PERIOD_NOT_CLOSED}
_REVIEW_CODES = {"scope": ErrorCode.REVIEW_SCOPE, "not_assigned": ErrorCode.REVIEW_NOT_ASSIGNED,
                 "rating": ErrorCode.REVIEW_RATING, "criterion": ErrorCode.REVIEW_CRITERION,
                 "closed": ErrorCode.REVIEW_CLOSED, "inactive": ErrorCode.REVIEWER_INACTIVE,
                 "not_started": ErrorCode.REVIEW_NOT_STARTED}


class PeriodAlreadyClosed(DomainError, code=ErrorCode.PERIOD_CLOSED):
    """The period was closed before (by someone, at some time); its snapshot is final."""

    def __init__(self, label: str, closed_by: str, closed_at: datetime) -> None:
        super().__init__(f"{label} was closed by {closed_by} at {closed_at:%Y-%m-%d %H:%M}",
                         label=label, name=closed_by)
        self.label = label
        self.closed_by = closed_by
        self.closed_at = closed_at


class PeriodNotClosable(DomainError):
    """The period cannot be closed yet: not a 考核 period, not ended, or in its appeal window."""

    def __init__(self, label: str, reason: NotClosableReason,
                 until: datetime | None = None) -> None:
        super().__init__(f"{label} cannot be closed: {reason}", code=_PERIOD_CODES[reason],
                         label=label)
        self.label = label
        self.reason = reason
        self.until = until


class CloseNotYours(DomainError):
    """A community manager may not close a period: closing makes every community's figures final.

    `closers` are the active company-wide managers who may (empty: only the admin's CLI).
    """

    def __init__(self, label: str, community: str, closers: tuple[str, ...]) -> None:
        code = ErrorCode.PERIOD_CLOSE_COMPANY if closers else ErrorCode.PERIOD_CLOSE_ADMIN
        super().__init__(f"{label}: closing is company-wide; a manager of {community} may not",
                         code=code, label=label, community=community)
        self.label = label
        self.closers = closers


class ReviewRefused(DomainError):
    """A review that may not be given: outside one's scope, not assigned, or a bad rating."""

    def __init__(self, reason: ReviewReason, label: str = "") -> None:
        super().__init__(f"review refused: {reason}", code=_REVIEW_CODES[reason], label=label)
        self.reason = reason
