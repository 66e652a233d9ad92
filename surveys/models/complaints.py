"""Complaint tables: Complaint, its relayed messages, Appeal, and the AuditLog."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.models._columns import str_field, ts_field


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"  # the owner was asked whether they are satisfied
    # The owner answered "not satisfied": reopened, the manager alerted, handled again.
    ESCALATED = "escalated"
    CLOSED_SATISFIED = "closed_satisfied"
    CLOSED_UNSATISFIED = "closed_unsatisfied"
    # Resolved, but the owner could not be asked or did not answer: closed by staff with a
    # note of the attempts (surveys.complaints.unreachable_close). Counts as resolved; not a
    # follow-up answer (satisfied stays None).
    CLOSED_UNREACHABLE = "closed_unreachable"
    DISMISSED = "dismissed"  # a tag correction found it is not a complaint (also voided)


class ComplaintSource(StrEnum):
    LOW_RATING = "low_rating"
    COMMENT = "comment"
    DIRECT = "direct"


class AppealStatus(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"  # the record stands
    VOIDED = "voided"  # the record leaves every score


class Complaint(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source: str = str_field(16)  # ComplaintSource
    survey_id: int | None = Field(default=None, foreign_key="survey.id", index=True)
    work_order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    # The account that filed it (held the home then): its messages go there, not to an
    # account the home moved to later (surveys.complaints.reach). None: no account held it.
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger(), index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    text: str | None = Field(default=None, sa_type=Text())  # the owner's words
    tags: list[str] = Field(default_factory=list, sa_type=JSON())  # e.g. ["attitude"]
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    urgent: bool = False
    status: str = str_field(24, default=ComplaintStatus.OPEN, index=True)
    opened_at: datetime = ts_field(default_factory=clock.now, index=True)
    ack_deadline: datetime = ts_field()
    acknowledged_at: datetime | None = ts_field(default=None)
    resolved_at: datetime | None = ts_field(default=None)
    follow_up_at: datetime | None = ts_field(default=None)
    closed_at: datetime | None = ts_field(default=None)
    satisfied: bool | None = None  # the owner's answer to the follow-up
    overdue_alerted_at: datetime | None = ts_field(default=None)
    # Resolve by (issue 14): opened_at + 24 h urgent / 72 h otherwise, restarted on escalation;
    # None on complaints opened before the deadline existed (never alerted).
    resolve_deadline: datetime | None = ts_field(default=None)
    resolve_overdue_alerted_at: datetime | None = ts_field(default=None)
    escalations: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    escalated_at: datetime | None = ts_field(default=None)  # the latest escalation
    voided: bool = False  # voided on appeal or dismissed by a correction: leaves every score


class ComplaintMessage(SQLModel, table=True):
    """A message relayed between owner and agent about a complaint (kept for the record)."""

    __tablename__ = "complaint_message"
    __table_args__ = (Index("ux_complaint_message_tap", "complaint_id", "tap_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    sender_role: str = str_field(16)  # Role
    text: str = Field(sa_type=Text())
    created_at: datetime = ts_field(default_factory=clock.now)
    # The button tap that sent it (a reply template picked on one prompt): the same tap again
    # finds this row and sends nothing. None for typed messages, which are each meant.
    tap_key: str | None = str_field(80, default=None, nullable=True)


class Appeal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    response_id: int | None = Field(default=None, foreign_key="response.id")
    reason: str = Field(sa_type=Text())
    status: str = str_field(16, default=AppealStatus.PENDING, index=True)
    decided_by_manager_id: int | None = Field(default=None, foreign_key="manager.id")
    decision_reason: str | None = Field(default=None, sa_type=Text())
    created_at: datetime = ts_field(default_factory=clock.now)
    decided_at: datetime | None = ts_field(default=None)


class AuditLog(SQLModel, table=True):
    """Who did what, when and why: appeals decisions, role changes, data erasure."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = ts_field(default_factory=clock.now, index=True)
    actor_role: str = str_field(16)  # Role or "admin"/"system"
    actor_id: int | None = None
    action: str = str_field(64)
    subject_kind: str = str_field(32)
    subject_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())


class ReplyTemplate(SQLModel, table=True):
    """A company's own wording of a reply template (话术模板) agents pick for a complaint.

    The defaults live in the gettext catalogs (`bot.staff.templates`); a row with a default's
    key replaces its words in that language, `active=False` hides it, a new key adds one.
    """

    __tablename__ = "reply_template"
    __table_args__ = (UniqueConstraint("key", "language", name="uq_reply_template_key_language"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = str_field(32)
    language: str = str_field(16)  # "zh_CN" | "en"
    text: str = Field(default="", sa_type=Text())
    active: bool = True
    updated_at: datetime = ts_field(default_factory=clock.now)
