"""A 429 asking for an absurd wait holds back one chat for a bounded time, not the outbox.

Telegram's `retry_after` is seconds to a few minutes; another Bot API server (or a proxy
rewriting its answers) may say anything. 10^12 seconds overflowed the date of the row's next
attempt: the row failed "unexpectedly", and every later batch failed too, so no survey went
out to anyone until a restart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from surveys.core import clock
from surveys.core.config import DispatchConfig
from surveys.models import OutboxMessage, WorkOrder
from surveys.outbox.ports import MAX_RETRY_AFTER, RetryLater
from tests.fixtures.chat import OWNERS, button_texts, running_bot

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.3)


async def test_a_429_asking_for_ages_delays_that_chat_and_others_still_get_their_survey(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        await h.seed()
        first, second = h.owner(OWNERS[0]), h.owner(OWNERS[1])
        await first.bind()
        await second.bind()
        await h.client.inject_fault("sendMessage", "retry_after", retry_after=10**12)
        await h.close_order(OWNERS[0], "WO-AGES")
        await h.close_order(OWNERS[1], "WO-NEXT")
        # (not `wait_survey`: it also waits for the outbox to be idle, and the held row is not)
        await h.client.wait_for(h.token, second.chat_id, count=1, timeout=10, predicate=lambda m:
                                any("⭐" in t for t in button_texts(m)))
        async with h.db() as s:
            order = (await s.exec(select(WorkOrder).where(
                WorkOrder.external_id == "WO-AGES"))).one()
            held = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.chat_id == first.chat_id,
                OutboxMessage.kind == "survey"))).one()
        assert order.id is not None
    assert held.status == "pending"
    assert held.next_attempt_at <= clock.now() + timedelta(seconds=MAX_RETRY_AFTER + 60)
    assert (held.last_error or "").startswith("429"), held.last_error
    assert errors_logged() == []


@pytest.mark.parametrize("asked", [10**12, math.inf, math.nan, -5.0])
def test_a_retry_after_out_of_range_is_brought_within_bounds(asked: float) -> None:
    assert 0.0 <= RetryLater(asked).retry_after <= MAX_RETRY_AFTER


def test_a_retry_after_in_range_is_kept() -> None:
    assert RetryLater(37).retry_after == 37
