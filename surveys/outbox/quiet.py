"""The sender keeps to the quiet hours a survey or reminder was queued with.

The intake and the reminder job already queue such a message for after the window; this is
the second line, for a row that only reaches the sender inside it (a backlog, a retry, a
restart after an outage). It is put back, due at the window's end, without an attempt.
"""

from __future__ import annotations

from datetime import datetime

from surveys.core import clock
from surveys.core.courtesy import DEFAULT_TIMEZONE, BadQuietHours, QuietHours
from surveys.models import OutboxMessage
from surveys.outbox.kinds import OutboxKind, SurveyPayload


def quiet_until(row: OutboxMessage) -> datetime | None:
    """Return the end of the quiet hours a survey or reminder is due in now, else None."""
    if row.kind not in (OutboxKind.SURVEY, OutboxKind.REMINDER):
        return None
    payload = SurveyPayload.of(row.payload)
    if not payload.quiet_hours:
        return None
    try:
        quiet = QuietHours.parse(payload.quiet_hours, payload.timezone or DEFAULT_TIMEZONE)
    except BadQuietHours:  # cannot happen for rows the intake wrote; never block a send
        return None
    now = clock.now()
    end = quiet.release(now) if quiet else now
    return end if end > now else None
