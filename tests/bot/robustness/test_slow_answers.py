"""A Bot API server that answers slowly is waited for: nothing is sent twice.

Telegram under load, or a local Bot API server uploading a file, may take several seconds
to answer a call it carries out. A client that gives up early and tries again makes the
server send the message a second time: the owner gets the survey twice. Both runtimes
wait as long as aiogram's 30 s request timeout before calling a call lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlmodel import select

from surveys.core.config import DispatchConfig
from surveys.models import OutboxMessage, Response
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import OWNERS, callback_of, running_bot
from tests.fixtures.faults import survey_under_fault, surveys_received

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.5)
SLOW_SECONDS = 7.0  # longer than PTB's 5 s default read timeout
# Each case waits out SLOW_SECONDS on purpose (~9 s): the slow suite, which CI always runs.
pytestmark = pytest.mark.slow


async def test_a_survey_whose_send_is_answered_after_seconds_arrives_once(db_url: str) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner = await survey_under_fault(h, "WO-SLOW", "delay", delay=SLOW_SECONDS)
        await owner.wait_survey(timeout=SLOW_SECONDS + 5)
        await asyncio.sleep(2.0)  # the slow call, or a copy sent by a retry, lands by now
        await h.outbox_idle()
        surveys = await surveys_received(owner)
        async with h.db() as s:
            row = (await s.exec(select(OutboxMessage))).one()
    assert len(surveys) == 1, f"the survey was sent {len(surveys)} times"
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)


async def test_a_reply_answered_after_seconds_is_sent_once(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        first = await owner.send("/help")
        before = len(await owner.messages())
        await h.client.inject_fault("sendMessage", "delay", delay=SLOW_SECONDS)
        await h.client.send_text(h.token, owner.chat_id, "/help")
        await h.client.wait_for(h.token, owner.chat_id, count=before + 1,
                                timeout=SLOW_SECONDS + 5)
        await asyncio.sleep(2.0)
        replies = (await owner.messages())[before:]
    assert [m["text"] for m in replies] == [first["text"]]


async def test_a_star_tap_whose_answer_comes_after_telegrams_window_still_counts(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    # Telegram takes a tap's answer for some 10-15 s ("query is too old" after): the emulator
    # closes the window at 1 s here, and the answer reaches it after 1.5 s.
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner()
        h.emulator.state.callback_timeout = 1.0
        await h.client.inject_fault("answerCallbackQuery", "delay", delay=1.5)
        await h.client.tap(h.token, owner.chat_id, card["message_id"],
                           callback_of(card, "4⭐"))
        shown = await h.client.wait_for(h.token, owner.chat_id, count=1, timeout=15,
                                        predicate=lambda m: bool(m["edits"]))
        for _ in range(100):  # the late answer's call ends after the edit
            answers = await h.client.requests(h.token, "answerCallbackQuery")
            if answers and "status" in answers[-1]:
                break
            await asyncio.sleep(0.1)
        async with h.db() as s:
            response = (await s.exec(select(Response))).one()
        replies = await owner.messages()
    assert 4 in (response.overall, response.attitude, response.clarity, response.timeliness)
    assert shown[0]["message_id"] == card["message_id"]
    assert shown[0]["text"] != card["text"]  # the card moved on to the next question
    assert [a["status"] for a in answers] == [400]  # too old: let go, not retried
    assert "query is too old" in str(answers[0]["description"])
    assert all(polite(m) for m in replies)
    assert errors_logged() == []
