"""Telegram misbehaves (429 storms, 5xx, hangs, dropped connections): the bot recovers alone."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.core.config import DispatchConfig
from tests.fixtures.chat import OWNERS, running_bot

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


async def test_the_bot_rides_out_faults_on_polling_and_sending_without_losing_or_doubling(
    db_url: str,
) -> None:
    fast_retries = DispatchConfig(
        tick_seconds=0.1,
        per_chat_interval_seconds=0.05,
        retry_base_seconds=0.2,
        retry_max_seconds=2,
    )
    async with running_bot(db_url, dispatch=fast_retries) as h:
        await h.seed()
        for person in OWNERS:
            await h.owner(person).bind()
        client = h.client
        # Sending breaks: a 429 storm, gateway errors, a hang, dropped connections.
        await client.inject_fault("sendMessage", "retry_after", count=6, retry_after=1)
        await client.inject_fault("sendMessage", "status", count=3, status=502)
        await client.inject_fault("sendMessage", "delay", count=1, delay=2)
        await client.inject_fault("sendMessage", "drop", count=2)
        for i, person in enumerate(OWNERS):
            await h.close_order(person, f"WO-FAULT-{i}")
        for person in OWNERS:
            await h.owner(person).wait_survey(timeout=60)
        await h.outbox_idle(timeout=60)
        for person in OWNERS:
            surveys = [m for m in await h.owner(person).messages() if _is_survey(m)]
            assert len(surveys) == 1, f"{person.name}: {len(surveys)} survey messages"
        # Then polling breaks in every way for a while; the bot comes back by itself.
        await client.inject_fault("getUpdates", "status", count=3, status=502)
        await client.inject_fault("getUpdates", "drop", count=2)
        await client.inject_fault("getUpdates", "retry_after", count=2, retry_after=1)
        await client.inject_fault("getUpdates", "delay", count=1, delay=3)
        owner = h.owner(OWNERS[0])
        before = len(await owner.messages())
        await client.send_text(h.token, owner.chat_id, "/help")
        replies = await client.wait_for(h.token, owner.chat_id, count=before + 1, timeout=90)
        assert replies[before]["text"]


def _is_survey(message: dict[str, Any]) -> bool:
    return "⭐" in str(message.get("reply_markup"))


async def test_a_connection_dropped_after_telegram_sent_is_the_one_duplicate_window(
    db_url: str,
) -> None:
    # Telegram delivered the message but the answer never came back: the sender cannot tell
    # this from a failure and retries. This is the inherent at-least-once window of any bot.
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.client.inject_fault("sendMessage", "drop_after", count=1)
        await h.close_order(OWNERS[0], "WO-DROP-AFTER")
        await owner.wait_survey(timeout=30)
        await h.outbox_idle(timeout=30)
        surveys = [m for m in await owner.messages() if _is_survey(m)]
        assert len(surveys) == 2  # delivered, answer lost, retried: the documented duplicate
