"""The state of a 考核 period: open → in review (appeal window) → closed by a manager.

A month (or a quarter, `points.cycle.period`) is *open* until it ends, then *in review* for
`appeal_days` (agents see provisional figures and may appeal), then *awaiting close* until a
manager closes it; closing stores the snapshot (`surveys.assessment.cycle`). Weeks and date
ranges are never closed: they are always computed live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from scoring.periods import Period
from scoring.points.config import PointsConfig
from surveys.core.db import SessionFactory
from surveys.models import Appeal, AppealStatus, ClosedPeriod, Complaint, Response, Survey

State = Literal["open", "review", "awaiting_close", "closed", "live"]


@dataclass(frozen=True)
class AdjustmentLine:
    """A late correction of a closed period, added to a later period's total."""

    agent_id: int
    source_label: str  # the closed period it corrects
    delta: float
    appeals: tuple[int, ...] = ()  # appeals decided after the close
    responses: tuple[int, ...] = ()  # responses submitted after the close
    complaints: tuple[int, ...] = ()  # complaints handled after the close
    work_orders: tuple[str, ...] = ()  # orders of the period reported after the close


@dataclass(frozen=True)
class PeriodStatus:
    """Where a period stands in the cycle, and who closed it."""

    label: str
    state: State
    review_until: datetime | None = None  # naive UTC end of the appeal window
    closed_at: datetime | None = None
    closed_by: str = ""
    config_version_id: int | None = None
    formula_version: str = ""
    period_id: int | None = None
    carried: list[AdjustmentLine] = field(default_factory=list)

    @property
    def final(self) -> bool:
        """Tell whether the figures are the closed snapshot's."""
        return self.state == "closed"


def is_cycle_period(period: Period, config: PointsConfig) -> bool:
    """Tell whether a period is a 考核 period (month, or quarter when so configured)."""
    return period.kind == config.cycle.period


def review_until(period: Period, config: PointsConfig) -> datetime:
    """Return the end of the appeal window after a period."""
    return period.end + timedelta(days=config.cycle.appeal_days)


async def closed_row(*, db: SessionFactory, label: str) -> ClosedPeriod | None:
    """Return the closed-period row of a label, if it was closed."""
    async with db() as session:
        stmt = select(ClosedPeriod).where(ClosedPeriod.label == label)
        return (await session.exec(stmt)).first()


async def status(*, db: SessionFactory, period: Period, config: PointsConfig,
                 now: datetime) -> PeriodStatus:
    """Return the state of a period at `now`."""
    if not is_cycle_period(period, config):
        return PeriodStatus(label=period.label, state="live")
    row = await closed_row(db=db, label=period.label)
    until = review_until(period, config)
    if row is not None:
        return PeriodStatus(
            label=period.label, state="closed", review_until=until, closed_at=row.closed_at,
            closed_by=row.closed_by_name, config_version_id=row.config_version_id,
            formula_version=row.formula_version, period_id=row.id,
        )
    if now < period.end:
        state: State = "open"
    elif now < until:
        state = "review"
    else:
        state = "awaiting_close"
    return PeriodStatus(label=period.label, state=state, review_until=until)


async def pending_appeals(*, db: SessionFactory, period: Period) -> int:
    """Count the appeals still waiting for a decision about the period's records."""
    async with db() as session:
        stmt = (
            select(func.count(col(Appeal.id)))
            .select_from(Appeal)
            .outerjoin(Complaint, col(Complaint.id) == col(Appeal.complaint_id))
            .outerjoin(Response, col(Response.id) == col(Appeal.response_id))
            .outerjoin(Survey, col(Survey.id) == col(Response.survey_id))
            .where(col(Appeal.status) == AppealStatus.PENDING, or_(
                and_(col(Complaint.opened_at) >= period.start,
                     col(Complaint.opened_at) < period.end),
                and_(col(Survey.sent_at) >= period.start, col(Survey.sent_at) < period.end)))
        )
        return int((await session.exec(stmt)).one())
