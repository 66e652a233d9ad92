"""Domain settings: survey timing, dispatch limits and complaint deadlines."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SurveyConfig(BaseModel):
    reminder_after_hours: float = Field(24, gt=0)
    expire_after_days: float = Field(7, gt=0)
    low_rating_threshold: int = Field(2, ge=1, le=5)  # a rating <= this opens a complaint
    comment_max_chars: int = Field(1000, ge=10)


class DispatchConfig(BaseModel):
    per_bot_per_second: float = Field(30, gt=0)  # Telegram: about 30 messages/s per bot
    per_chat_interval_seconds: float = Field(1.0, ge=0)  # about 1 message/s per chat
    batch_size: int = Field(100, ge=1)
    max_attempts: int = Field(8, ge=1)
    lease_seconds: float = Field(60, gt=0)
    tick_seconds: float = Field(1.0, gt=0)
    retry_base_seconds: float = Field(2.0, gt=0)  # backoff after a 5xx/network error
    retry_max_seconds: float = Field(600, gt=0)
    concurrency: int = Field(8, ge=1)  # sends in flight at once (latency hiding)


class ComplaintConfig(BaseModel):
    ack_hours: float = Field(24, gt=0)
    urgent_ack_hours: float = Field(2, gt=0)
    # How long the bot waits for a typed reply or reason after asking for it.
    prompt_minutes: float = Field(30, gt=0)
    # The agent handling a complaint sees a phone number the owner typed in full (to call
    # back); every other reader (managers, exports, logs) gets it masked.
    agent_sees_typed_phones: bool = True
