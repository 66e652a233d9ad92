"""Token-bucket flood limits: about 30 messages/s per bot and 1 message/s per chat."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """Refills `rate` tokens a second up to `capacity`; each message takes one."""

    rate: float
    capacity: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def refill(self, at: float) -> None:
        """Add the tokens earned since the last look."""
        self.tokens = min(self.capacity, self.tokens + (at - self.stamp) * self.rate)
        self.stamp = at

    def wait_time(self) -> float:
        """Return the seconds until one token is available (0 when one is)."""
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class FloodLimiter:
    """Per-bot and per-chat buckets; disabled unless switched on."""

    enabled: bool = False
    per_bot: float = 30.0
    per_chat: float = 1.0
    burst_bot: float = 30.0
    burst_chat: float = 3.0
    _bots: dict[str, TokenBucket] = field(default_factory=dict)
    _chats: dict[tuple[str, int], TokenBucket] = field(default_factory=dict)

    def configure(
        self, *, enabled: bool, per_bot: float = 30.0, per_chat: float = 1.0,
        burst_bot: float | None = None, burst_chat: float | None = None,
    ) -> None:
        """Switch limits on or off and set the rates; buckets start full again."""
        self.enabled = enabled
        self.per_bot, self.per_chat = per_bot, per_chat
        self.burst_bot = burst_bot if burst_bot is not None else max(1.0, per_bot)
        self.burst_chat = burst_chat if burst_chat is not None else 3.0
        self._bots.clear()
        self._chats.clear()

    def check(self, token: str, chat_id: int | None) -> int | None:
        """Take a token for one message; return retry_after seconds when over the limit."""
        if not self.enabled:
            return None
        at = time.monotonic()
        bot = self._bots.setdefault(token, TokenBucket(self.per_bot, self.burst_bot, stamp=at))
        bot.refill(at)
        buckets = [bot]
        if chat_id is not None:
            key = (token, chat_id)
            chat = self._chats.setdefault(key, TokenBucket(self.per_chat, self.burst_chat,
                                                           stamp=at))
            chat.refill(at)
            buckets.append(chat)
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1
        return None
