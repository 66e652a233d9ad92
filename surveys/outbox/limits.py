"""Dispatch pacing: the bot-wide token bucket, per-chat spacing, 429 pauses and backoff."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from surveys.core.config import DispatchConfig


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    rescheduled: int = 0  # put back without an attempt counted (429, per-chat spacing, stop)
    retried: int = 0  # transient failure, retried later with backoff
    failed: int = 0  # gave up: undeliverable or out of attempts
    skipped: int = 0  # not sent on purpose (opted out, survey no longer open)
    rate_limited: int = 0  # 429 answers received

    def add(self, other: DispatchStats) -> None:
        """Add another batch's counts to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Limiter:
    """A token bucket for the bot plus spacing and pauses per chat (monotonic seconds)."""

    per_second: float
    per_chat_interval: float
    burst: float = 0.0
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)
    paused_until: float = 0.0
    chat_ready: dict[int, float] = field(default_factory=dict)
    answered_at: float = field(default_factory=time.monotonic)  # the Bot API's last answer

    def __post_init__(self) -> None:
        # A small burst absorbs sleep overshoot without ever exceeding the rate for long.
        self.burst = self.burst or max(1.0, self.per_second / 10)
        self.tokens = min(self.tokens or 1.0, self.burst)
        self._lock = asyncio.Lock()
        self._last_429: tuple[int, float] = (0, -1e9)

    @classmethod
    def from_config(cls, config: DispatchConfig) -> Limiter:
        """Build a limiter from the dispatch settings."""
        return cls(config.per_bot_per_second, config.per_chat_interval_seconds)

    def chat_wait(self, chat_id: int) -> float:
        """Return the seconds until this chat may get its next message."""
        return max(0.0, self.chat_ready.get(chat_id, 0.0) - time.monotonic())

    async def acquire(self) -> None:
        """Wait for a bot-wide pause to end and for a token."""
        async with self._lock:
            while True:
                now = time.monotonic()
                if now < self.paused_until:
                    await asyncio.sleep(self.paused_until - now)
                    continue
                self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.per_second)
                self.stamp = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.per_second)

    def answered(self) -> None:
        """Note that the Bot API answered a send (accepted it, or refused it for a reason)."""
        self.answered_at = time.monotonic()

    def unanswered_for(self, seconds: float) -> bool:
        """Tell whether no send has been answered for this long (Telegram out of reach)."""
        return time.monotonic() - self.answered_at > seconds

    def took(self, chat_id: int) -> None:
        """Reserve the chat's slot for a message being sent now."""
        self.chat_ready[chat_id] = time.monotonic() + self.per_chat_interval
        if len(self.chat_ready) > 50_000:  # forget chats whose spacing is long over
            now = time.monotonic()
            self.chat_ready = {c: t for c, t in self.chat_ready.items() if t > now}

    def pause(self, chat_id: int, seconds: float, *, whole_bot: bool) -> None:
        """Hold back a chat (and maybe the whole bot) after a 429."""
        now = time.monotonic()
        until = now + seconds
        self.chat_ready[chat_id] = max(self.chat_ready.get(chat_id, 0.0), until)
        # Telegram does not say which limit was hit; 429s for two different chats within a
        # second mean the bot-wide one, so the whole bot waits.
        last_chat, last_at = self._last_429
        if last_chat != chat_id and now - last_at < 1.0:
            whole_bot = True
        self._last_429 = (chat_id, now)
        if whole_bot:
            self.paused_until = max(self.paused_until, until)
            self.tokens = 0.0


OUTAGE_ATTEMPTS = 64  # what `backoff` is asked during an outage: the longest wait, capped


def backoff(attempts: int, config: DispatchConfig) -> float:
    """Return the delay before retry number `attempts` (exponential, with jitter)."""
    base = min(config.retry_max_seconds, config.retry_base_seconds * 2 ** max(0, attempts - 1))
    return float(base * random.uniform(0.5, 1.5))
