"""Typed payloads of the escalation kinds (issue 14): escalated, resolve overdue, risk words.

The first two are complaint payloads (`surveys.outbox.payloads.ComplaintPayload`, built by
`surveys.complaints.alerts.complaint_payload`) whose own fields are required here; risk words
have a shape of their own. Stored as JSON; the renderer reads them back with `of()`.
"""

from __future__ import annotations

from typing import Literal

from surveys.outbox.kinds import OutboxPayload
from surveys.outbox.payloads import ComplaintPayload


class EscalationPayload(ComplaintPayload):
    """The owner answered "not satisfied": to managers (alert) and the agent (handle again).

    `closed` is true when the escalation limit was reached and the complaint closed
    unsatisfied instead of reopening (managers only).
    """

    audience: Literal["manager", "agent"] | None = "manager"
    closed: bool | None = False


class ResolveOverduePayload(ComplaintPayload):
    """A complaint still unresolved past its resolve deadline."""

    overdue_hours: float


class RiskWordsPayload(OutboxPayload):
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


class OwnerTextKeptPayload(OutboxPayload):
    """An owner's text over their daily limit of new complaints: kept, no complaint opened.

    To the managers concerned, so a real problem among an angry flood is still seen; the text
    has phones masked. `owner_id` lets `/forget` find it. With `more`, the summary of a
    24-hour window (surveys.complaints.owner_alerts): `more` texts were kept after the one
    alerted at once, `text` the latest of them.
    """

    owner_text_id: int
    owner_id: int
    text: str
    limit: int
    owner_name: str | None = None
    owner_unit: str | None = None
    agent_name: str | None = None
    work_order_external_id: str | None = None
    work_order_title: str | None = None
    more: int = 0
