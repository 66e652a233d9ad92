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

from surveys.core.config import DispatchConfig
from tests.fixtures.chat import running_bot
from tests.fixtures.faults import (
    EVERY_CALL,
    survey_under_fault,
    surveys_received,
    the_outbox_row_and_survey,
)

# Attempts would run out within ~0.5 s; the outage lasts 1.5 s.
SHORT_FUSE = DispatchConfig(tick_seconds=0.05, per_chat_interval_seconds=0.0,
                            retry_base_seconds=0.05, retry_max_seconds=0.2, max_attempts=3,
                            outage_seconds=0.3)


async def test_a_survey_queued_while_telegram_is_unreachable_is_sent_once_it_is_back(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=SHORT_FUSE) as h:
        owner = await survey_under_fault(h, "WO-OUTAGE", "drop", count=EVERY_CALL)
        await asyncio.sleep(1.5)
        await h.client.clear_faults()
        await owner.wait_survey(timeout=10)
        surveys = await surveys_received(owner)
        row, survey = await the_outbox_row_and_survey(h)
    assert len(surveys) == 1
    assert row.status == "sent" and row.attempts <= SHORT_FUSE.max_attempts
    assert survey.status == "sent"
    assert errors_logged() == []


async def test_failures_within_the_outage_window_still_run_out_of_attempts(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=SHORT_FUSE.model_copy(
            update={"outage_seconds": 60.0})) as h:
        await survey_under_fault(h, "WO-ALONE", "status", status=500, count=EVERY_CALL)
        await h.outbox_idle(timeout=10)
        row, survey = await the_outbox_row_and_survey(h)
    assert (row.status, row.attempts) == ("failed", SHORT_FUSE.max_attempts)
    assert survey.status == "undeliverable"
