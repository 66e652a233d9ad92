"""Work tables: WorkOrder, the Survey it triggers, and the owner's Response."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, text
from sqlmodel import Field, SQLModel

from scoring.questions import QUESTIONS
from surveys.core import clock
from surveys.models._columns import str_field, ts_field


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
    # Fatigue cap (surveys.intake.fatigue): named in another survey of the same owner, which
    # `folded_into_id` points at; its answer is copied here when that survey is submitted.
    FOLDED = "folded"
    SKIPPED_FATIGUE = "skipped_fatigue"  # the owner had a survey too recently (cap "skip")


class ResponseChannel(StrEnum):
    """Where a response was given: by the owner (chat, web) or entered by staff (phone, visit)."""

    CHAT = "chat"  # the owner answered in Telegram
    WEB = "web"  # the owner answered on the signed web page (surveys.survey.links)
    PHONE = "phone"  # 回访 by phone, entered by 回访 staff or a manager (surveys.survey.revisits)
    VISIT = "visit"  # 回访 in person, entered the same way


STAFF_CHANNELS = (ResponseChannel.PHONE, ResponseChannel.VISIT)


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = str_field(128, unique=True, index=True)  # idempotency key of intake
    community_id: int = Field(foreign_key="community.id", index=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    kind: str = str_field(16, default=WorkOrderKind.REPAIR)
    urgency: str = str_field(16, default=Urgency.NORMAL)
    title: str = str_field(500, default="")
    # The category's code (scoring.categories); None on orders closed before categories.
    category: str | None = str_field(32, default=None)
    # The owner's unit when the order was closed (a later move does not rewrite history).
    building: str | None = str_field(32, default=None)
    room: str | None = str_field(32, default=None)
    # A repeat problem (返修/重复): the earlier order of the same unit and category within the
    # window, and which occurrence this one is (1: not a repeat).
    repeat_of_id: int | None = Field(default=None, foreign_key="work_order.id")
    occurrence: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    opened_at: datetime | None = ts_field(default=None)
    # The first action on the order (response time = first_action_at - opened_at), when the
    # intake sends it; between opened_at and closed_at.
    first_action_at: datetime | None = ts_field(default=None)
    closed_at: datetime | None = ts_field(default=None, index=True)
    created_at: datetime = ts_field(default_factory=clock.now)

    # The repeat-problem lookup: the same unit and category closed recently.
    __table_args__ = (
        Index("ix_work_order_unit_category", "community_id", "building", "room", "category",
              "closed_at"),
        # Covers the 回访率 (surveys.assessment.revisit_rates): orders closed in a period, by
        # community and kind, without reading the row (×1.7 on 250,000 orders).
        Index("ix_work_order_closed_scope", "closed_at", "community_id", "kind"),
        # Cover the report's views by category and building (surveys.assessment.breakdowns):
        # the period's orders by group, and a surveyed order's group, without the row.
        Index("ix_work_order_period_groups", "closed_at", "category", "building", "agent_id",
              "occurrence"),
        Index("ix_work_order_groups", "id", "category", "building"),
        # Covers the one pass over a period's closed orders (surveys.assessment.order_pass):
        # in pages by id with their times, group, kind and agent, without the row.
        Index("ix_work_order_month_pass", "id", "closed_at", "opened_at", "first_action_at",
              "category", "urgency", "community_id", "kind", "building", "agent_id",
              "occurrence"),
    )

    @property
    def is_repeat(self) -> bool:
        """Tell whether the order repeats an earlier problem of the same unit."""
        return self.occurrence > 1


class Survey(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", unique=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    # The agent credited at closing time; a later reassignment of the work order never moves it.
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    status: str = str_field(24, default=SurveyStatus.PENDING, index=True)
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    message_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = str_field(16, default=None)
    created_at: datetime = ts_field(default_factory=clock.now)
    sent_at: datetime | None = ts_field(default=None, index=True)
    reminded_at: datetime | None = ts_field(default=None)
    expires_at: datetime | None = ts_field(default=None)
    submitted_at: datetime | None = ts_field(default=None)
    folded_into_id: int | None = Field(default=None, foreign_key="survey.id", index=True)

    # Covering indexes of the points report (surveys.assessment.stats): sent per agent, and the
    # credited agent of each closed work order without reading the survey row.
    __table_args__ = (
        Index("ix_survey_agent_sent", "agent_id", "sent_at"),
        Index("ix_survey_work_order_agent", "work_order_id", "agent_id"),
        # The surveys sent in a period with their order (surveys.assessment.breakdowns).
        Index("ix_survey_sent_work_order", "sent_at", "work_order_id"),
        # The surveys sent in a period with their credited agent (the points' survey sums).
        Index("ix_survey_sent_agent", "sent_at", "agent_id"),
    )


class Response(SQLModel, table=True):
    """The owner's ratings (1-5 each) and optional comment for one survey."""

    id: int | None = Field(default=None, primary_key=True)
    # One live response per survey (ux_response_live_survey); a response voided on appeal
    # stays beside the 回访 entered again after it (surveys.survey.revisits).
    survey_id: int = Field(foreign_key="survey.id", index=True)
    overall: int | None = None
    attitude: int | None = None
    clarity: int | None = None
    timeliness: int | None = None
    comment: str | None = Field(default=None, sa_type=Text())
    # Classifier output for the comment (polarity, score, complaint, aspects, evidence).
    classification: dict[str, Any] | None = Field(default=None, sa_type=JSON())
    # The channel the response was submitted through (ResponseChannel); a plain string so a
    # new channel needs no migration.
    channel: str = str_field(16, default=ResponseChannel.CHAT,
                             sa_column_kwargs={"server_default": ResponseChannel.CHAT.value})
    voided: bool = False  # voided on appeal: leaves every score
    # Who entered a staff 回访 (phone, visit): the role ("revisitor", "manager") and its row id;
    # None for the owner's own answers (chat, web).
    entered_by_role: str | None = str_field(16, default=None)
    entered_by_id: int | None = None
    created_at: datetime = ts_field(default_factory=clock.now)
    updated_at: datetime = ts_field(default_factory=clock.now)
    submitted_at: datetime | None = ts_field(default=None)

    # Covers what the points report reads (surveys.assessment.stats): the counted responses of a
    # survey with their channel, and the few voided ones, without reading the row.
    __table_args__ = (
        Index(
            "ix_response_counted", "voided", "survey_id", "submitted_at", *QUESTIONS, "channel",
        ),
        Index("ux_response_live_survey", "survey_id", unique=True,
              sqlite_where=text("voided = 0"), postgresql_where=text("NOT voided")),
    )


class SurveyLink(SQLModel, table=True):
    """The signed web link of a survey: only the token's hash and the nonce it was signed from.

    The token is `nonce + HMAC(key, survey id + nonce)`; with the key (config) the link can be
    given out again (`ownervoice surveys links`), from the database alone it cannot be rebuilt.
    """

    __tablename__ = "survey_link"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", unique=True)
    token_hash: str = str_field(64, unique=True, index=True)
    nonce: str = str_field(32)
    created_at: datetime = ts_field(default_factory=clock.now, index=True)
    expires_at: datetime = ts_field()
