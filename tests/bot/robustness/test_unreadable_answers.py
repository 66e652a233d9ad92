"""Telegram accepted a call but its answer cannot be read: it counts as done, never repeated.

The emulator's `garbled` fault answers HTTP 200 with a result of the wrong shape, `not_json`
with a proxy's HTML page, after the message was really sent. Resending would give the owner
the survey (or the reply) twice.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from surveys.core.config import DispatchConfig
from surveys.models import OutboxMessage, Survey
from tests.fixtures.chat import OWNERS, running_bot
from tests.fixtures.faults import survey_under_fault, surveys_received

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.5)
SORRY = "系统暂时出了点问题"


@pytest.mark.parametrize("fault", ["garbled", "not_json"])
async def test_a_survey_accepted_with_an_unreadable_answer_is_sent_once_and_answerable(
    db_url: str, fault: str
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner = await survey_under_fault(h, "WO-UNREADABLE", fault)
        survey = await owner.wait_survey()
        await asyncio.sleep(1.0)  # a retry (0.1-0.5 s backoff) would have come by now
        await h.outbox_idle()
        surveys = await surveys_received(owner)
        assert len(surveys) == 1, f"the survey was sent {len(surveys)} times"
        async with h.db() as s:
            row = (await s.exec(select(Survey))).one()
            sent = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.kind == "survey"))).one()
        assert (row.status, row.message_id, sent.status, sent.attempts) == ("sent", None,
                                                                            "sent", 1)
        after = await owner.rate(survey["message_id"], 4)  # the message id came with the tap
        assert "4" in after["text"] or after["edits"]


@pytest.mark.parametrize("fault", ["garbled", "not_json"])
async def test_a_direct_reply_accepted_with_an_unreadable_answer_is_not_an_error(
    db_url: str, fault: str
) -> None:
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        await owner.send("/help")
        before = len(await owner.messages())
        await h.client.inject_fault("sendMessage", fault)
        await h.client.send_text(h.token, owner.chat_id, "/help")
        await h.client.wait_for(h.token, owner.chat_id, count=before + 1)
        await asyncio.sleep(0.5)
        replies = (await owner.messages())[before:]
        assert len(replies) == 1 and SORRY not in (replies[0]["text"] or "")
