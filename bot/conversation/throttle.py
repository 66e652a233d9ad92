"""Per-user token buckets, so one chatty user cannot flood the bot or the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class Throttle:
    """Allow `capacity` inputs at once, refilled at `rate` per second, per user."""

    def __init__(self, capacity: float = 12, rate: float = 2.0,
                 clock: Callable[[], float] = time.monotonic, max_users: int = 100_000) -> None:
        self.capacity = capacity
        self.rate = rate
        self.clock = clock
        self.max_users = max_users
        self._buckets: dict[int, _Bucket] = {}

    def check(self, user_id: int) -> tuple[bool, bool]:
        """Spend one token: return (allowed, warn) where warn is true once per overflow."""
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.max_users:
                self._buckets.clear()  # crude bound on memory; buckets refill quickly anyway
            bucket = self._buckets[user_id] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn
