"""What an outbox row says: its kind, and the typed payload of the survey messages.

`OutboxMessage.kind` holds an `OutboxKind` value and `OutboxMessage.payload` the JSON of a
typed payload (`OutboxPayload`) its renderer (`bot.render.outbox.RENDERERS`) reads back. The
survey family (the survey, its reminder and the edit that closes it) has `SurveyPayload`; the
other families are in `surveys.outbox.payloads`. Each is serialised to the same JSON keys rows
have always had, and reading also accepts older key names (`title`, `language`, ...), so rows
queued by an earlier version render unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class OutboxKind(StrEnum):
    """Every kind of message the outbox sends (one renderer each)."""

    SURVEY = "survey"
    REMINDER = "reminder"
    SURVEY_EXPIRED = "survey_expired"
    SURVEY_ANSWERED_ON_WEB = "survey_answered_on_web"
    TEXT = "text"
    WEEKLY_SUMMARY = "weekly_summary"
    TEAM_DIGEST = "team_digest"
    COMPLAINT_OPENED = "complaint_opened"
    MANAGER_ALERT = "manager_alert"
    COMPLAINT_ACKNOWLEDGED = "complaint_acknowledged"
    COMPLAINT_REPLY = "complaint_reply"
    COMPLAINT_OWNER_MESSAGE = "complaint_owner_message"
    COMPLAINT_FOLLOW_UP = "complaint_follow_up"
    COMPLAINT_CLOSED = "complaint_closed"
    COMPLAINT_OVERDUE = "complaint_overdue"
    COMPLAINT_ESCALATED = "complaint_escalated"
    COMPLAINT_RESOLVE_OVERDUE = "complaint_resolve_overdue"
    RISK_WORDS = "risk_words"
    OWNER_TEXT_KEPT = "owner_text_kept"  # over the owner's daily complaint limit
    APPEAL_FILED = "appeal_filed"
    APPEAL_DECIDED = "appeal_decided"
    TAG_CORRECTION_PROPOSED = "tag_correction_proposed"
    TAG_CORRECTION_DECIDED = "tag_correction_decided"
    TAG_CORRECTION_APPLIED = "tag_correction_applied"
    PERIOD_CLOSED = "period_closed"
    PERIOD_CLOSED_TEAM = "period_closed_team"
    REPEAT_PROBLEM = "repeat_problem"
    REVISIT_LIST = "revisit_list"  # the 回访 staff's morning list (surveys.survey.revisit_lists)


def keys(*names: str) -> AliasChoices:
    """Accept a field under its name and the older names rows were stored with."""
    return AliasChoices(*names)


class FoldedOrder(BaseModel):
    """A later work order the fatigue cap folded into a survey (its message names it)."""

    model_config = ConfigDict(frozen=True)

    external_id: str
    title: str = ""
    agent_name: str | None = None


class OutboxPayload(BaseModel):
    """What every outbox payload has: the reader's language; stored as JSON, read leniently."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    locale: str | None = Field(None, validation_alias=keys("locale", "language"))

    @classmethod
    def of(cls, stored: Mapping[str, object]) -> Self:
        """Read a stored payload (current or older key names)."""
        return cls.model_validate(dict(stored))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON stored in `OutboxMessage.payload` (unset optional keys left out)."""
        return self.model_dump(mode="json", exclude_unset=True)


class SurveyPayload(OutboxPayload):
    """A survey message, its reminder (`message_id`) or the edit closing it (`status`)."""

    survey_id: int = Field(validation_alias=keys("survey_id", "id"))
    work_order_external_id: str = Field(
        "", validation_alias=keys("work_order_external_id", "external_id"))
    work_order_title: str = Field("", validation_alias=keys("work_order_title", "title"))
    work_order_kind: str = Field("repair", validation_alias=keys("work_order_kind", "kind"))
    urgency: str = "normal"
    agent_name: str | None = Field(None, validation_alias=keys("agent_name", "agent"))
    community_name: str | None = None
    # The home the order was for, when the owner's account holds several (set at send time).
    home: str | None = None
    expire_after_seconds: float | None = None
    message_id: int | None = None  # the survey message a reminder answers
    edit_message_id: int | None = None  # the message an expiry edit replaces
    status: str | None = None  # "expired" on the closing edit
    ratings: dict[str, int | None] = Field(default_factory=dict)
    comment: str | None = None
    # Courtesy (surveys.core.courtesy): the quiet hours in force when it was queued, which
    # the sender keeps to (a survey or reminder due inside waits for the window's end), and
    # the later orders folded into this survey.
    quiet_hours: str | None = None
    timezone: str | None = None
    folded: list[FoldedOrder] = Field(default_factory=list)
