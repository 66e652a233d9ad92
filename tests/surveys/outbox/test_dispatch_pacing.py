"""The limiter's pacing: bot-wide rate, per-chat spacing, 429 pauses, backoff growth."""

from __future__ import annotations

import time

from surveys.core.config import DispatchConfig
from surveys.outbox.limits import Limiter, backoff


async def test_limiter_keeps_to_the_bot_rate() -> None:
    limiter = Limiter(per_second=200, per_chat_interval=0)
    started = time.monotonic()
    for _ in range(101):
        await limiter.acquire()
    elapsed = time.monotonic() - started
    assert elapsed >= 100 / 200 * 0.9  # never faster than the rate (small burst aside)


def test_chat_spacing_and_a_429_pause_hold_back_only_that_chat() -> None:
    limiter = Limiter(per_second=30, per_chat_interval=1.0)
    limiter.took(1)
    assert 0.9 < limiter.chat_wait(1) <= 1.0 and limiter.chat_wait(2) == 0
    limiter.pause(3, 5, whole_bot=False)
    assert limiter.chat_wait(3) > 4 and limiter.paused_until < time.monotonic() + 1


def test_429s_for_two_chats_within_a_second_pause_the_whole_bot() -> None:
    limiter = Limiter(per_second=30, per_chat_interval=1.0)
    limiter.pause(1, 3, whole_bot=False)
    limiter.pause(2, 3, whole_bot=False)
    assert limiter.paused_until > time.monotonic() + 2


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    config = DispatchConfig(retry_base_seconds=1, retry_max_seconds=10)
    assert 0.5 <= backoff(1, config) <= 1.5
    assert 4 <= backoff(4, config) <= 12
    assert all(backoff(30, config) <= 15 for _ in range(20))
