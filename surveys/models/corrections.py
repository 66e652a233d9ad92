"""Tag corrections: a person's verdict on a complaint's aspect tags (docs/corrections.md)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.models._columns import str_field, ts_field


class CorrectionStatus(StrEnum):
    PENDING = "pending"  # an agent's correction of their own complaint, awaiting a manager
    APPLIED = "applied"  # the complaint carries these tags now
    REJECTED = "rejected"  # a manager said no: nothing changed
    SUPERSEDED = "superseded"  # the complaint was corrected otherwise before a decision


# One live (pending or applied) correction per complaint and parent: two corrections built on
# the same state cannot both stand, so double taps and races resolve in the database.
LIVE = "status IN ('pending', 'applied')"


class TagCorrection(SQLModel, table=True):
    """What the aspects of a complaint's words really are, who said so and who confirmed it."""

    __tablename__ = "tag_correction"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    # The applied correction this one was made on (0: the classifier's verdict).
    parent_id: int = 0
    proposed_by_role: str = str_field(16)  # Role: agent or manager
    proposed_by_agent_id: int | None = Field(default=None, foreign_key="agent.id")
    proposed_by_manager_id: int | None = Field(default=None, foreign_key="manager.id")
    proposed_at: datetime = ts_field(default_factory=clock.now, index=True)
    # {"attitude": "pos" | "neg" | None, "clarity": ..., "timeliness": ..., "resolution": ...}
    aspects: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    not_complaint: bool = False
    # The complaint's aspects, tags and status before, for the record and the manager's card.
    before: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    status: str = str_field(16, default=CorrectionStatus.PENDING, index=True)
    decided_by_manager_id: int | None = Field(default=None, foreign_key="manager.id")
    decided_at: datetime | None = ts_field(default=None)

    __table_args__ = (
        Index(
            "ux_tag_correction_live", "complaint_id", "parent_id", unique=True,
            sqlite_where=text(LIVE), postgresql_where=text(LIVE),
        ),
    )
