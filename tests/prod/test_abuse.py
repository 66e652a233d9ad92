"""Abuse from the chat side: tampered callback data and message floods."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlmodel import select

from surveys.models import Response
from tests.fixtures.chat import OWNERS, callback_of, running_bot


def _tampered(data: str) -> list[str]:
    kind, survey, question, rating, sig = data.split(":")
    flipped = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    return [
        f"{kind}:{survey}:{question}:1:{sig}",  # another rating, old signature
        f"{kind}:{int(survey) + 1}:{question}:{rating}:{sig}",  # another survey
        f"{kind}:{survey}:{question}:{rating}:{flipped}",  # forged signature
        f"{kind}:{survey}:{question}:{rating}",  # no signature
        f"{kind}:{survey}:{question}:9:{sig}",  # out of range
        "r:1:o:5:' OR 1=1 --",
        "\u202e" * 10,
    ]


async def test_tampered_callback_data_is_refused_and_records_nothing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], "WO-TAMPER")
        survey = await owner.wait_survey()
        genuine = callback_of(survey, "5⭐")
        for data in _tampered(genuine):
            answer = await owner.tap_data(survey["message_id"], data)
            assert answer.get("text"), f"tampered tap {data!r} got no explanation"
        async with h.db() as s:
            responses = (await s.exec(select(Response))).all()
        assert all(r.overall is None for r in responses), "a tampered tap was recorded"
        # The genuine button still works.
        await owner.tap_data(survey["message_id"], genuine)
        async with h.db() as s:
            assert [r.overall for r in (await s.exec(select(Response))).all()] == [5]


@pytest.mark.slow
async def test_a_message_flood_is_throttled_per_user(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        flooder, calm = h.owner(OWNERS[0]), h.owner(OWNERS[1])
        await flooder.bind()
        await calm.bind()
        client = h.client
        before = len(await flooder.messages())
        started = time.monotonic()
        for i in range(40):
            await client.send_text(h.token, flooder.chat_id, f"刷屏 {i}")
        sent_in = time.monotonic() - started
        # A calm user is served normally meanwhile.
        reply = await calm.send("/help")
        assert reply["text"]
        await asyncio.sleep(2)
        replies = (await flooder.messages())[before:]
        # The bot may still be working through the flood after the last one is sent, so the bucket
        # (12 at once, 2 a second) refills for the whole window up to this count, not only while
        # sending; each refill may also earn one "too fast" notice. A bot without the throttle
        # answers all 40.
        window = time.monotonic() - started
        allowance = 12 + 2 * window + (2 * window + 1)
        assert len(replies) <= min(allowance, 30), (
            f"{len(replies)} replies to a 40-message flood sent in {sent_in:.1f} s, "
            f"counted after {window:.1f} s")
        texts = " ".join(m["text"] or "" for m in replies)
        assert "太快" in texts or "a little fast" in texts or "稍" in texts, texts
