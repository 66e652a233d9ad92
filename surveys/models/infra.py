"""Delivery and coordination tables: outbox, processed updates, API idempotency, replicas, jobs,
and the prompts that say what a person's next text is for."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.models._columns import str_field, ts_field


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher; lease in claimed_until
    SENT = "sent"
    FAILED = "failed"  # gave up after retries or permanent error


class OutboxMessage(SQLModel, table=True):
    """A durable message to send; the dispatcher claims, sends and marks it exactly once."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = str_field(32)  # "survey", "reminder", "complaint_alert", "weekly_summary", ...
    dedupe_key: str = str_field(200, unique=True)  # e.g. "survey:42"; enqueueing twice is a no-op
    chat_id: int = Field(sa_type=BigInteger(), index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    survey_id: int | None = Field(default=None, foreign_key="survey.id")
    status: str = str_field(16, default=OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = ts_field(default_factory=clock.now)
    claimed_by: str | None = str_field(64, default=None)
    claimed_until: datetime | None = ts_field(default=None)
    sent_at: datetime | None = ts_field(default=None)
    message_id: int | None = Field(default=None, sa_type=BigInteger())
    last_error: str | None = Field(default=None, sa_type=Text())
    created_at: datetime = ts_field(default_factory=clock.now)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids claimed or handled: updates arrive at least once, at any replica."""

    __tablename__ = "processed_update"

    bot_id: int = Field(sa_type=BigInteger(), primary_key=True)
    update_id: int = Field(sa_type=BigInteger(), primary_key=True)
    at: datetime = ts_field(default_factory=clock.now)  # claimed at; old rows are pruned by it
    claim: str | None = str_field(32, default=None)  # the claim being handled, None once handled
    lease_until: datetime | None = ts_field(default=None)  # None: handled; else a crash frees it


class PageText(SQLModel, table=True):
    """A report text just sent, kept a few minutes for its message's page turns (any replica)."""

    __tablename__ = "page_text"

    key: str = str_field(64, primary_key=True)  # sha256 of viewer, language, view, argument
    text: str = Field(sa_type=Text())
    created_at: datetime = ts_field(default_factory=clock.now, index=True)


class ApiRequest(SQLModel, table=True):
    """Idempotency record of intake API calls (Idempotency-Key header)."""

    __tablename__ = "api_request"
    __table_args__ = (UniqueConstraint("key", name="uq_api_request_key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = str_field(200)
    status: int
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    at: datetime = ts_field(default_factory=clock.now)


class ReplicaHeartbeat(SQLModel, table=True):
    """A running bot process; live replicas share the bot-wide message budget."""

    __tablename__ = "replica_heartbeat"

    worker: str = Field(sa_type=String(64), primary_key=True)
    started_at: datetime = ts_field(default_factory=clock.now)
    last_seen: datetime = ts_field(default_factory=clock.now, index=True)


class JobRun(SQLModel, table=True):
    """One scheduled slot of a periodic job, claimed by exactly one replica."""

    __tablename__ = "job_run"

    job: str = Field(sa_type=String(64), primary_key=True)
    slot: datetime = Field(sa_type=DateTime(), primary_key=True)
    worker: str = str_field(64)
    started_at: datetime = ts_field(default_factory=clock.now)
    finished_at: datetime | None = ts_field(default=None)


class StaffPrompt(SQLModel, table=True):
    """What a person's next text is for (a reply to relay, a reason), shared by all replicas."""

    __tablename__ = "staff_prompt"

    # One prompt per person: a new one replaces the last.
    telegram_user_id: int = Field(
        sa_type=BigInteger(), primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    kind: str = str_field(32)  # "reply", "appeal", "uphold", "void", "owner_reply", "complain"
    target_id: int = Field(sa_type=BigInteger())  # the complaint or appeal id (0 for none)
    created_at: datetime = ts_field(default_factory=clock.now)
    expires_at: datetime = ts_field()
