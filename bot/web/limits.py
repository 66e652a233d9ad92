"""A bounded in-memory rate limiter (fixed one-minute windows per key).

In memory and per process: enough against one client hammering one server; several replicas
each count on their own (a shared limit would need the database or a proxy's limiter). The
number of keys is capped; the least recently seen key is forgotten first, so a flood of
forged addresses or links cannot grow memory.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Allow `limit` hits per key per minute; remember at most `capacity` keys."""

    def __init__(self, limit: int, capacity: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.capacity, self._clock = limit, capacity, clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def hit(self, key: str) -> float | None:
        """Count one hit; return None if allowed, else the seconds until the window ends."""
        now = self._clock()
        start, count = self._windows.pop(key, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        self._windows[key] = (start, count + 1)
        while len(self._windows) > self.capacity:
            self._windows.popitem(last=False)
        if count >= self.limit:
            return max(1.0, WINDOW_SECONDS - (now - start))
        return None

    def __len__(self) -> int:
        return len(self._windows)
