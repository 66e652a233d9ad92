"""Typed payloads of the escalation kinds (issue 14): escalated, resolve overdue, risk words.

Each is built from the complaint's payload (`surveys.complaints.alerts.complaint_payload`)
plus its own fields, validated when queued, and stored as JSON; the renderer reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field


class _Stored(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Self:
        """Read a stored payload."""
        return cls.model_validate(dict(stored))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON stored in `OutboxMessage.payload`."""
        return self.model_dump(mode="json")


class ComplaintFacts(_Stored):
    """What a staff card shows of a complaint (never the owner's phone)."""

    complaint_id: int
    source: str = ""
    status: str = ""
    text: str | None = None
    tags: list[str] = Field(default_factory=list)
    evidence: dict[str, Any] = Field(default_factory=dict)
    urgent: bool = False
    opened_at: str | None = None
    ack_deadline: str | None = None
    resolve_deadline: str | None = None
    escalations: int = 0
    work_order_external_id: str | None = None
    work_order_title: str | None = None
    owner_name: str | None = None
    owner_unit: str | None = None
    agent_id: int | None = None
    agent_name: str | None = None
    locale: str | None = None


class EscalationPayload(ComplaintFacts):
    """The owner answered "not satisfied": to managers (alert) and the agent (handle again).

    `closed` is true when the escalation limit was reached and the complaint closed
    unsatisfied instead of reopening (managers only).
    """

    audience: Literal["manager", "agent"] = "manager"
    closed: bool = False


class ResolveOverduePayload(ComplaintFacts):
    """A complaint still unresolved past its resolve deadline."""

    overdue_hours: float


class RiskWordsPayload(_Stored):
    """Risk words (12345, 媒体, 律师…) in an owner's text; the text has phones masked."""

    source: Literal["comment", "complaint", "message"]
    words: list[str]
    text: str
    owner_name: str | None = None
    owner_unit: str | None = None
    agent_name: str | None = None
    complaint_id: int | None = None
    work_order_external_id: str | None = None
    work_order_title: str | None = None
    locale: str | None = None
