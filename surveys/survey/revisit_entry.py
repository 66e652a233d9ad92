"""What a staff 回访 entry may hold: four ratings 1–5, a staff channel, the owner's words."""

from __future__ import annotations

from collections.abc import Mapping

from scoring.questions import QUESTIONS
from surveys.core.errors import ErrorCode, InvalidAnswer
from surveys.core.text import storable
from surveys.models import STAFF_CHANNELS, ResponseChannel


def check_ratings(ratings: Mapping[str, object]) -> dict[str, int]:
    """Return the four ratings as ints 1–5, or refuse the first one missing or out of range."""
    out: dict[str, int] = {}
    for q in QUESTIONS:
        value = ratings.get(q)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidAnswer(f"{q} must be 1-5", code=ErrorCode.REVISIT_RATING, question=q,
                                value=None if value is None else str(value))
        out[q] = value
    return out


def check_channel(channel: str) -> ResponseChannel:
    """Return a staff channel (phone, visit), or refuse any other."""
    if channel not in {c.value for c in STAFF_CHANNELS}:
        raise InvalidAnswer(f"channel {channel!r}", code=ErrorCode.REVISIT_CHANNEL,
                            channels=", ".join(c.value for c in STAFF_CHANNELS))
    return ResponseChannel(channel)


def check_words(text: str | None, limit: int) -> str | None:
    """Return the owner's words cleaned for storage (None when empty), or refuse too long."""
    cleaned = storable(text or "").strip()
    if len(cleaned) > limit:
        raise InvalidAnswer(f"comment longer than {limit}", code=ErrorCode.COMMENT_TOO_LONG,
                            limit=limit)
    return cleaned or None
