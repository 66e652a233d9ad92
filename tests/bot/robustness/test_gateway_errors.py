"""A gateway error in front of the Bot API (502/504, an nginx page, a reset) is retried.

Real Telegram, and the proxies and load balancers put in front of a local Bot API server,
answer a request now and then with 502 Bad Gateway or 504 Gateway Timeout — in Telegram's
JSON shape or as an HTML page — or reset the connection. Nothing was sent: the call is
worth making again. The outbox retries it as a transient failure (not as a bug with a
traceback), and a direct reply is made again or queued, never replaced by the failure
message while the owner's answer was stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from bot.emulator.client import Message
from surveys.core.config import DispatchConfig
from surveys.models import OutboxMessage, Response
from tests.fixtures.chat import (
    OWNERS,
    Harness,
    OwnerSession,
    button_texts,
    callback_of,
    running_bot,
)
from tests.fixtures.faults import survey_under_fault, surveys_received

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.5)
SORRY = "系统暂时出了点问题"
GATEWAY_FAULTS = [
    pytest.param({"kind": "status", "status": 502}, id="telegram-502"),
    # The other kinds of the same fault run in the slow suite (quick suite's time budget).
    pytest.param({"kind": "status", "status": 504, "description": "Gateway Timeout"},
                 id="telegram-504", marks=pytest.mark.slow),
    pytest.param({"kind": "proxy_page", "status": 502}, id="nginx-502-page",
                 marks=pytest.mark.slow),
    pytest.param({"kind": "proxy_page", "status": 504}, id="nginx-504-page"),
    pytest.param({"kind": "drop"}, id="connection-reset", marks=pytest.mark.slow),
]


async def _help_again_under(h: Harness, fault: dict[str, Any]
                            ) -> tuple[OwnerSession, Message, int]:
    """The owner asks /help, then again while sendMessage meets `fault`; wait for a reply to
    the second. Return the owner, the first reply and how many messages came before it."""
    owner = h.owner(OWNERS[0])
    first = await owner.send("/help")
    before = len(await owner.messages())
    await h.client.inject_fault("sendMessage", **fault)
    await h.client.send_text(h.token, owner.chat_id, "/help")
    await h.client.wait_for(h.token, owner.chat_id, count=before + 1, timeout=15)
    return owner, first, before


async def test_a_survey_refused_with_a_proxy_error_page_is_retried_and_sent_once(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner = await survey_under_fault(h, "WO-PROXY", "proxy_page", status=502)
        await owner.wait_survey()
        await h.outbox_idle()
        surveys = await surveys_received(owner)
        async with h.db() as s:
            row = (await s.exec(select(OutboxMessage))).one()
    assert len(surveys) == 1
    assert (row.status, row.attempts) == ("sent", 2)
    assert (row.last_error or "").startswith("transient:"), row.last_error
    assert errors_logged() == []


@pytest.mark.parametrize("fault", GATEWAY_FAULTS)
async def test_a_reply_hit_by_one_gateway_error_still_arrives_once(
    db_url: str, fault: dict[str, Any], errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner, first, before = await _help_again_under(h, fault)
        await asyncio.sleep(1.0)  # a second copy or a late failure message would be here
        await h.outbox_idle()
        replies = (await owner.messages())[before:]
    assert [m["text"] for m in replies] == [first["text"]]
    assert errors_logged() == []


async def test_a_reply_the_gateway_keeps_refusing_is_sent_from_the_outbox(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner, first, before = await _help_again_under(
            h, {"kind": "proxy_page", "status": 502, "count": 3})
        await h.outbox_idle()
        replies = (await owner.messages())[before:]
        async with h.db() as s:
            queued = (await s.exec(select(OutboxMessage))).all()
    assert [m["text"] for m in replies] == [first["text"]]
    assert [(row.kind, row.status) for row in queued] == [("text", "sent")]
    assert errors_logged() == []


async def test_a_star_tap_whose_edit_meets_a_bad_gateway_still_updates_the_card(
    db_url: str, errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0], "WO-EDIT-502")
        mid = survey["message_id"]
        before = len(await owner.messages())
        await h.client.inject_fault("editMessageText", "proxy_page", status=502)
        answer = await owner.tap_data(mid, callback_of(survey, "4⭐"))
        await h.outbox_idle()
        card = await owner.message(mid)
        async with h.db() as s:
            response = (await s.exec(select(Response).where(
                Response.survey_id == result.survey_id))).one()
        messages = await owner.messages()
    assert response.overall == 4
    assert card["edits"] and button_texts(card) != button_texts(survey)  # the next question
    assert SORRY not in str(answer.get("text") or "")
    assert len(messages) == before and all(SORRY not in (m["text"] or "") for m in messages)
    assert errors_logged() == []
