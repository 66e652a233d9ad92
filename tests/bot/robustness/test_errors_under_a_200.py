"""An error body under HTTP 200 (`"ok": false`) is the error it names, never a message sent.

Telegram answers an error with its status code; some Bot API servers and gateways answer
HTTP 200 with the same body. aiogram reads the body's `ok`; python-telegram-bot read the
200 as success, missed the result and counted the survey as sent — the owner never got it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from surveys.core.config import DispatchConfig
from tests.fixtures.chat import running_bot
from tests.fixtures.faults import survey_under_fault, surveys_received, the_outbox_row_and_survey

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.5)


@pytest.mark.parametrize("fault", [
    pytest.param({"status": 429, "retry_after": 1}, id="429-retry-after",
                 marks=pytest.mark.slow),  # waits out the retry_after; the 502 case is quick
    pytest.param({"status": 502}, id="502-bad-gateway"),
])
async def test_a_survey_refused_with_an_error_body_under_a_200_is_sent_later_once(
    db_url: str, fault: dict[str, Any], errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner = await survey_under_fault(h, "WO-OK-FALSE", "ok_false", **fault)
        await owner.wait_survey(timeout=15)
        surveys = await surveys_received(owner)
        row, survey = await the_outbox_row_and_survey(h)
    assert len(surveys) == 1
    assert row.status == "sent"
    assert row.message_id == surveys[0]["message_id"]  # the real message, not "id unknown"
    assert survey.status == "sent"
    assert errors_logged() == []
