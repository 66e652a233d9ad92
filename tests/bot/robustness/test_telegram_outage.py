"""A survey queued while Telegram cannot be reached at all is sent when it comes back.

5xx and network errors count toward `dispatch.max_attempts` (8, about 2-6 minutes of
backoff by default), after which the row is FAILED and its survey UNDELIVERABLE for good.
When nothing gets through (the network or Telegram is down, or the token was revoked and
the new one not yet deployed), every queued survey burnt its attempts within those minutes
and was lost. While no message has been delivered for `dispatch.outage_seconds`, failures
say nothing about the message: they stop counting, and the row waits the longest backoff.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import select

from surveys.core.config import DispatchConfig
from surveys.models import OutboxMessage, Survey
from tests.fixtures.chat import OWNERS, button_texts, running_bot

# Attempts would run out within ~0.5 s; the outage lasts 1.5 s.
SHORT_FUSE = DispatchConfig(tick_seconds=0.05, per_chat_interval_seconds=0.0,
                            retry_base_seconds=0.05, retry_max_seconds=0.2, max_attempts=3,
                            outage_seconds=0.3)


async def test_a_survey_queued_while_telegram_is_unreachable_is_sent_once_it_is_back(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=SHORT_FUSE) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.client.inject_fault("sendMessage", "drop", count=10**6)
        await h.close_order(OWNERS[0], "WO-OUTAGE")
        await asyncio.sleep(1.5)
        await h.client.clear_faults()
        await owner.wait_survey(timeout=10)
        surveys = [m for m in await owner.messages() if any("⭐" in t for t in button_texts(m))]
        async with h.db() as s:
            row = (await s.exec(select(OutboxMessage))).one()
            survey = (await s.exec(select(Survey))).one()
    assert len(surveys) == 1
    assert row.status == "sent" and row.attempts <= SHORT_FUSE.max_attempts
    assert survey.status == "sent"
    assert errors_logged() == []


async def test_failures_within_the_outage_window_still_run_out_of_attempts(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=SHORT_FUSE.model_copy(
            update={"outage_seconds": 60.0})) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.client.inject_fault("sendMessage", "status", status=500, count=10**6)
        await h.close_order(OWNERS[0], "WO-ALONE")
        await h.outbox_idle(timeout=10)
        async with h.db() as s:
            row = (await s.exec(select(OutboxMessage))).one()
            survey = (await s.exec(select(Survey))).one()
    assert (row.status, row.attempts) == ("failed", SHORT_FUSE.max_attempts)
    assert survey.status == "undeliverable"
