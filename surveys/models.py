"""SQLModel tables: the single source of the schema (migrations are generated from these)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from surveys import clock

# Enums are stored as plain strings (not native DB enums) so adding a value needs no
# PostgreSQL type migration.


class WorkOrderKind(StrEnum):
    REPAIR = "repair"  # 报修
    COMPLAINT = "complaint"  # 投诉
    ENQUIRY = "enquiry"  # 咨询


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class SurveyStatus(StrEnum):
    PENDING = "pending"  # queued in the outbox, not yet sent
    SENT = "sent"  # delivered to the owner, awaiting answers
    SUBMITTED = "submitted"  # the owner finished it
    EXPIRED = "expired"
    SKIPPED_UNBOUND = "skipped_unbound"  # owner has no Telegram binding
    SKIPPED_OPTED_OUT = "skipped_opted_out"
    UNDELIVERABLE = "undeliverable"  # Telegram refused for good (blocked, chat not found)


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"  # the owner was asked whether they are satisfied
    CLOSED_SATISFIED = "closed_satisfied"
    CLOSED_UNSATISFIED = "closed_unsatisfied"


class ComplaintSource(StrEnum):
    LOW_RATING = "low_rating"
    COMMENT = "comment"
    DIRECT = "direct"


class AppealStatus(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"  # the record stands
    VOIDED = "voided"  # the record leaves every score


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher; lease in claimed_until
    SENT = "sent"
    FAILED = "failed"  # gave up after retries or permanent error


class Role(StrEnum):
    OWNER = "owner"
    AGENT = "agent"
    MANAGER = "manager"


def _str(length: int, **kw: Any) -> Any:
    return Field(sa_type=String(length), **kw)


def _ts(**kw: Any) -> Any:
    return Field(sa_type=DateTime(), **kw)


class Community(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = _str(64, unique=True, index=True)
    name: str = _str(200)
    duty_agent_id: int | None = Field(default=None, foreign_key="agent.id")
    created_at: datetime = _ts(default_factory=clock.now)


class Owner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = _str(200)
    phone: str | None = _str(32, default=None, index=True)
    building: str | None = _str(32, default=None)
    room: str | None = _str(32, default=None)
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger(), unique=True, index=True
    )
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = _str(16, default=None)  # "zh_CN" | "en"; None = from Telegram
    opted_out: bool = False
    bound_at: datetime | None = _ts(default=None)
    forgotten_at: datetime | None = _ts(default=None)  # personal data erased on request
    created_at: datetime = _ts(default_factory=clock.now)


class Agent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = _str(64, unique=True, index=True)  # the property system's staff id
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    name: str = _str(200)
    phone: str | None = _str(32, default=None)
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger(), unique=True, index=True
    )
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = _str(16, default=None)
    active: bool = True
    bound_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=clock.now)


class Manager(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = _str(200)
    phone: str | None = _str(32, default=None)
    community_id: int | None = Field(default=None, foreign_key="community.id")  # None = all
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger(), unique=True, index=True
    )
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = _str(16, default=None)
    active: bool = True
    bound_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=clock.now)


class Invite(SQLModel, table=True):
    """A one-time, expiring deep-link invite binding a Telegram account to a role."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = _str(128, unique=True, index=True)  # never store the token itself
    role: str = _str(16)  # Role
    subject_id: int  # owner/agent/manager id
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(default=None)
    used_by_telegram_user_id: int | None = Field(default=None, sa_type=BigInteger())
    created_at: datetime = _ts(default_factory=clock.now)


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = _str(128, unique=True, index=True)  # idempotency key of intake
    community_id: int = Field(foreign_key="community.id", index=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    kind: str = _str(16, default=WorkOrderKind.REPAIR)
    urgency: str = _str(16, default=Urgency.NORMAL)
    title: str = _str(500, default="")
    opened_at: datetime | None = _ts(default=None)
    closed_at: datetime | None = _ts(default=None, index=True)
    created_at: datetime = _ts(default_factory=clock.now)


class Survey(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", unique=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    # The agent credited at closing time; a later reassignment of the work order never moves it.
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    status: str = _str(24, default=SurveyStatus.PENDING, index=True)
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    message_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = _str(16, default=None)
    created_at: datetime = _ts(default_factory=clock.now)
    sent_at: datetime | None = _ts(default=None, index=True)
    reminded_at: datetime | None = _ts(default=None)
    expires_at: datetime | None = _ts(default=None)
    submitted_at: datetime | None = _ts(default=None)

    # Covering indexes of the points report (surveys.stats): sent per agent, and the
    # credited agent of each closed work order without reading the survey row.
    __table_args__ = (
        Index("ix_survey_agent_sent", "agent_id", "sent_at"),
        Index("ix_survey_work_order_agent", "work_order_id", "agent_id"),
    )


class Response(SQLModel, table=True):
    """The owner's ratings (1-5 each) and optional comment for one survey."""

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", unique=True)
    overall: int | None = None
    attitude: int | None = None
    clarity: int | None = None
    timeliness: int | None = None
    comment: str | None = Field(default=None, sa_type=Text())
    # Classifier output for the comment (polarity, score, complaint, aspects, evidence).
    classification: dict[str, Any] | None = Field(default=None, sa_type=JSON())
    voided: bool = False  # voided on appeal: leaves every score
    created_at: datetime = _ts(default_factory=clock.now)
    updated_at: datetime = _ts(default_factory=clock.now)
    submitted_at: datetime | None = _ts(default=None)

    # Covers what the points report reads (surveys.stats): the counted responses of a
    # survey, and the few voided ones, without reading the row.
    __table_args__ = (
        Index(
            "ix_response_scoring", "voided", "survey_id", "submitted_at",
            "overall", "attitude", "clarity", "timeliness",
        ),
    )


class Complaint(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source: str = _str(16)  # ComplaintSource
    survey_id: int | None = Field(default=None, foreign_key="survey.id", index=True)
    work_order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    text: str | None = Field(default=None, sa_type=Text())  # the owner's words
    tags: list[str] = Field(default_factory=list, sa_type=JSON())  # e.g. ["attitude"]
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    urgent: bool = False
    status: str = _str(24, default=ComplaintStatus.OPEN, index=True)
    opened_at: datetime = _ts(default_factory=clock.now, index=True)
    ack_deadline: datetime = _ts()
    acknowledged_at: datetime | None = _ts(default=None)
    resolved_at: datetime | None = _ts(default=None)
    follow_up_at: datetime | None = _ts(default=None)
    closed_at: datetime | None = _ts(default=None)
    satisfied: bool | None = None  # the owner's answer to the follow-up
    overdue_alerted_at: datetime | None = _ts(default=None)
    voided: bool = False  # voided on appeal: leaves every score


class ComplaintMessage(SQLModel, table=True):
    """A message relayed between owner and agent about a complaint (kept for the record)."""

    __tablename__ = "complaint_message"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    sender_role: str = _str(16)  # Role
    text: str = Field(sa_type=Text())
    created_at: datetime = _ts(default_factory=clock.now)


class Appeal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    response_id: int | None = Field(default=None, foreign_key="response.id")
    reason: str = Field(sa_type=Text())
    status: str = _str(16, default=AppealStatus.PENDING, index=True)
    decided_by_manager_id: int | None = Field(default=None, foreign_key="manager.id")
    decision_reason: str | None = Field(default=None, sa_type=Text())
    created_at: datetime = _ts(default_factory=clock.now)
    decided_at: datetime | None = _ts(default=None)


class AuditLog(SQLModel, table=True):
    """Who did what, when and why: appeals decisions, role changes, data erasure."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(default_factory=clock.now, index=True)
    actor_role: str = _str(16)  # Role or "admin"/"system"
    actor_id: int | None = None
    action: str = _str(64)
    subject_kind: str = _str(32)
    subject_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())


class OutboxMessage(SQLModel, table=True):
    """A durable message to send; the dispatcher claims, sends and marks it exactly once."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = _str(32)  # "survey", "reminder", "complaint_alert", "weekly_summary", ...
    dedupe_key: str = _str(200, unique=True)  # e.g. "survey:42"; enqueueing twice is a no-op
    chat_id: int = Field(sa_type=BigInteger(), index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    survey_id: int | None = Field(default=None, foreign_key="survey.id")
    status: str = _str(16, default=OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = _ts(default_factory=clock.now)
    claimed_by: str | None = _str(64, default=None)
    claimed_until: datetime | None = _ts(default=None)
    sent_at: datetime | None = _ts(default=None)
    message_id: int | None = Field(default=None, sa_type=BigInteger())
    last_error: str | None = Field(default=None, sa_type=Text())
    created_at: datetime = _ts(default_factory=clock.now)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled: updates arrive at least once."""

    __tablename__ = "processed_update"

    bot_id: int = Field(sa_type=BigInteger(), primary_key=True)
    update_id: int = Field(sa_type=BigInteger(), primary_key=True)
    at: datetime = _ts(default_factory=clock.now)


class ApiRequest(SQLModel, table=True):
    """Idempotency record of intake API calls (Idempotency-Key header)."""

    __tablename__ = "api_request"
    __table_args__ = (UniqueConstraint("key", name="uq_api_request_key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = _str(200)
    status: int
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    at: datetime = _ts(default_factory=clock.now)


class ReplicaHeartbeat(SQLModel, table=True):
    """A running bot process; live replicas share the bot-wide message budget."""

    __tablename__ = "replica_heartbeat"

    worker: str = Field(sa_type=String(64), primary_key=True)
    started_at: datetime = _ts(default_factory=clock.now)
    last_seen: datetime = _ts(default_factory=clock.now, index=True)


class JobRun(SQLModel, table=True):
    """One scheduled slot of a periodic job, claimed by exactly one replica."""

    __tablename__ = "job_run"

    job: str = Field(sa_type=String(64), primary_key=True)
    slot: datetime = Field(sa_type=DateTime(), primary_key=True)
    worker: str = _str(64)
    started_at: datetime = _ts(default_factory=clock.now)
    finished_at: datetime | None = _ts(default=None)
