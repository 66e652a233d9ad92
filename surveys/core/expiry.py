"""When a survey expires: a fixed time after its message was sent.

The time is taken from the survey settings when the work order is closed (intake) and travels
in the outbox payload, so a settings change never moves the deadline of a survey already
queued; the outbox applies it when the message is sent. Shared by intake, outbox and survey,
so it lives in the kernel below all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from surveys.core.config import SurveyConfig


def expire_after_seconds(config: SurveyConfig) -> float:
    """Return how long a survey stays open after it is sent, for its outbox payload."""
    return config.expire_after_days * 86400


def expiry_for(sent_at: datetime, payload: Mapping[str, Any]) -> datetime:
    """Return when a survey sent at `sent_at` expires, from its outbox payload."""
    seconds = float(payload.get("expire_after_seconds") or expire_after_seconds(SurveyConfig()))
    return sent_at + timedelta(seconds=seconds)
