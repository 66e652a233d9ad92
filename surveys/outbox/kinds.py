"""What an outbox row says: its kind, and the typed payload of the survey messages.

`OutboxMessage.kind` holds an `OutboxKind` value and `OutboxMessage.payload` the JSON its
renderer (`bot.render.outbox`) reads. The survey family (the survey, its reminder and the
edit that closes it) has a typed payload, `SurveyPayload`, serialised to the same JSON keys
rows have always had; reading also accepts the older key names (`title`, `language`, ...),
so rows queued by an earlier version render unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

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
    APPEAL_FILED = "appeal_filed"
    APPEAL_DECIDED = "appeal_decided"
    TAG_CORRECTION_PROPOSED = "tag_correction_proposed"
    TAG_CORRECTION_DECIDED = "tag_correction_decided"
    TAG_CORRECTION_APPLIED = "tag_correction_applied"
    PERIOD_CLOSED = "period_closed"
    PERIOD_CLOSED_TEAM = "period_closed_team"
    REPEAT_PROBLEM = "repeat_problem"


def _keys(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class SurveyPayload(BaseModel):
    """A survey message, its reminder (`message_id`) or the edit closing it (`status`)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    survey_id: int = Field(validation_alias=_keys("survey_id", "id"))
    work_order_external_id: str = Field(
        "", validation_alias=_keys("work_order_external_id", "external_id"))
    work_order_title: str = Field("", validation_alias=_keys("work_order_title", "title"))
    work_order_kind: str = Field("repair", validation_alias=_keys("work_order_kind", "kind"))
    urgency: str = "normal"
    agent_name: str | None = Field(None, validation_alias=_keys("agent_name", "agent"))
    community_name: str | None = None
    locale: str | None = Field(None, validation_alias=_keys("locale", "language"))
    expire_after_seconds: float | None = None
    message_id: int | None = None  # the survey message a reminder answers
    edit_message_id: int | None = None  # the message an expiry edit replaces
    status: str | None = None  # "expired" on the closing edit
    ratings: dict[str, int | None] = Field(default_factory=dict)
    comment: str | None = None

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> SurveyPayload:
        """Read a stored payload (current or older key names)."""
        return cls.model_validate(dict(stored))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON stored in `OutboxMessage.payload` (unset optional keys left out)."""
        return self.model_dump(mode="json", exclude_unset=True)


class RepeatProblemPayload(BaseModel):
    """A unit's problem of one category came back again: the alert to a manager."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    work_order_id: int
    work_order_external_id: str
    work_order_title: str = ""
    community_name: str = ""
    building: str
    room: str
    category: str  # its code
    category_name: str = ""  # the English name, a msgid for the built-in categories
    category_labels: dict[str, str] = Field(default_factory=dict)  # labels the config gives
    occurrence: int  # the orders of this unit and category in the window, this one included
    days: float  # the window
    locale: str | None = None

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> RepeatProblemPayload:
        """Read a stored payload."""
        return cls.model_validate(dict(stored))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON stored in `OutboxMessage.payload`."""
        return self.model_dump(mode="json")


def payload_locale(stored: Mapping[str, Any]) -> str | None:
    """Return the reader's language a payload names (`locale`; older rows: `language`)."""
    value = stored.get("locale") or stored.get("language")
    return str(value) if value else None
