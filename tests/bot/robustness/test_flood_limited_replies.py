"""Direct replies under Telegram's flood limits: a 429 is waited out or queued, never dropped.

With the emulator's per-chat limit at one message a second, an owner who taps the stars
quickly and then comments gets 429s on the star edits and on the thank-you. Every answer
must still be stored, the card must end up showing it, and nobody gets the failure message.
"""

from __future__ import annotations

import asyncio
import importlib

import pytest
from sqlmodel import select

from surveys.models import OutboxMessage, Response
from tests.fixtures.chat import OWNERS, button_texts, running_bot

SORRY = "系统暂时出了点问题"


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
async def test_quick_star_taps_and_the_thanks_under_flood_limits_all_arrive(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0], "WO-FLOOD")
        await h.client.set_flood_limits(True, per_chat=1, burst_chat=1)
        mid = survey["message_id"]
        card = await owner.rate(mid, 5, 4, 3, 2)
        assert "不写意见，直接提交" in button_texts(card)
        thanks = await owner.send("维修很及时")
        assert "感谢您的反馈" in thanks["text"]
        assert (await h.client.stats(h.token))["too_many_requests"] > 0  # 429s did happen
        await h.outbox_idle()
        final = await owner.message(mid)
        assert "已提交" in final["text"] and not button_texts(final)
        assert all(SORRY not in (m["text"] or "") for m in await owner.messages())
        async with h.db() as s:
            response = (await s.exec(select(Response).where(
                Response.survey_id == result.survey_id))).one()
        assert (response.overall, response.attitude, response.clarity, response.timeliness,
                response.comment) == (5, 4, 3, 2, "维修很及时")


async def test_a_reply_still_refused_after_the_wait_goes_to_the_outbox(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bot.runtime re-exports the function `perform`, which hides the module of that name.
    perform_module = importlib.import_module("bot.runtime.perform")
    monkeypatch.setattr(perform_module, "MAX_WAIT_SECONDS", 0.5)  # retry_after 1 s: too long
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        await owner.send("/help")
        before = len(await owner.messages())
        await h.client.inject_fault("sendMessage", "retry_after", count=1, retry_after=1)
        await h.client.send_text(h.token, owner.chat_id, "/help")
        reply = (await h.client.wait_for(h.token, owner.chat_id, count=before + 1,
                                         timeout=15))[before]
        assert reply["text"] and SORRY not in reply["text"]
        await asyncio.sleep(0.3)
        async with h.db() as s:
            queued = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.kind == "text"))).all()
        assert [row.status for row in queued] == ["sent"]
