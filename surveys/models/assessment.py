"""Assessment cycle tables: weight versions, closed periods with their immutable snapshots,
late-correction adjustments, and multi-source reviews (DESIGN.md §6, §8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.models._columns import str_field, ts_field


class PointsConfigVersion(SQLModel, table=True):
    """One version of the points weights; it applies to periods starting at effective_from."""

    __tablename__ = "points_config_version"
    __table_args__ = (UniqueConstraint("digest", "effective_from", name="uq_config_version"),)

    id: int | None = Field(default=None, primary_key=True)
    digest: str = str_field(64)  # sha256 of the canonical JSON
    config: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    effective_from: datetime = ts_field()  # naive UTC start of the first period it applies to
    effective_label: str = str_field(32)  # that period's label ("" for the first version)
    created_at: datetime = ts_field(default_factory=clock.now)


class ClosedPeriod(SQLModel, table=True):
    """A closed 考核 period: the label is unique, so of two concurrent closes one wins."""

    __tablename__ = "closed_period"

    id: int | None = Field(default=None, primary_key=True)
    label: str = str_field(32, unique=True)
    kind: str = str_field(16)  # month | quarter
    start: datetime = ts_field()
    end: datetime = ts_field()
    closed_at: datetime = ts_field(default_factory=clock.now)
    closed_by_role: str = str_field(16)  # manager | admin
    closed_by_id: int | None = None
    closed_by_name: str = str_field(200, default="")
    config_version_id: int = Field(foreign_key="points_config_version.id")
    formula_version: str = str_field(16)


class SnapshotTeam(SQLModel, table=True):
    """The team figures of one scope (0 = the whole company, else a community id)."""

    __tablename__ = "period_snapshot_team"
    __table_args__ = (UniqueConstraint("period_id", "scope", name="uq_snapshot_team"),)

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="closed_period.id", index=True)
    scope: int
    community_code: str = str_field(64, default="")
    community_name: str = str_field(200, default="")
    team: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())


class SnapshotRow(SQLModel, table=True):
    """One agent's final figures in one scope; `points` holds every figure, `inputs` the ids."""

    __tablename__ = "period_snapshot"
    __table_args__ = (UniqueConstraint("period_id", "scope", "agent_id", name="uq_snapshot_row"),)

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="closed_period.id", index=True)
    scope: int
    agent_id: int = Field(foreign_key="agent.id", index=True)
    rank: int | None = None
    total: float | None = Field(default=None, sa_type=Float())
    grade: str | None = str_field(32, default=None)
    points: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())  # the breakdown


class PeriodAdjustment(SQLModel, table=True):
    """A late correction of a closed period, carried into a later period's total."""

    __tablename__ = "period_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="closed_period.id", index=True)  # carried into
    source_period_id: int = Field(foreign_key="closed_period.id", index=True)  # corrected
    agent_id: int = Field(foreign_key="agent.id", index=True)
    delta: float = Field(sa_type=Float())
    reasons: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())  # record ids


class Review(SQLModel, table=True):
    """A manager's, peer's or the agent's own stars for one agent in one period."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("period_label", "agent_id", "source", "reviewer_id",
                                       name="uq_review"),)

    id: int | None = Field(default=None, primary_key=True)
    period_label: str = str_field(32, index=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    source: str = str_field(16)  # manager | peer | self
    reviewer_id: int  # manager id (manager) or agent id (peer, self)
    ratings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())  # criterion -> 1..5
    note: str | None = Field(default=None, sa_type=Text())
    created_at: datetime = ts_field(default_factory=clock.now)
    updated_at: datetime = ts_field(default_factory=clock.now)
