"""Failures while replying never leak into chat, on either runtime, and the bot recovers.

A refusal for good (a 400) is what fails a reply now: a 5xx is tried again
(tests/bot/robustness/test_gateway_errors.py).
"""

from __future__ import annotations

import asyncio

from tests.fixtures.chat import OWNERS, running_bot

REFUSED = "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0"


async def test_failed_reply_gets_the_polite_message(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        await owner._register()
        await h.client.inject_fault("sendMessage", "status", status=400, count=1,
                                    description=REFUSED)
        reply = await owner.send("/help")
        assert "系统暂时出了点问题" in reply["text"]


async def test_failed_error_reply_leaves_the_chat_silent_and_the_bot_working(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        await owner._register()
        await h.client.inject_fault("sendMessage", "status", status=400, count=2,
                                    description=REFUSED)
        await h.client.send_text(h.token, owner.chat_id, "/help")
        for _ in range(200):  # both sendMessage calls (reply, polite reply) were refused
            if len(await h.client.requests(h.token, "sendMessage")) >= 2:
                break
            await asyncio.sleep(0.02)
        assert await owner.messages() == []
        reply = await owner.send("/help")
        assert "/stop" in reply["text"] and "Traceback" not in reply["text"]
