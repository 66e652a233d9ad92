"""Texts longer than Telegram takes in one message are cut to fit, never refused.

Telegram counts a message's 4096 characters in UTF-16 code units, after HTML parsing: an
emoji, or a Chinese character outside the basic plane (𠮷), counts twice. The bot accepts
2,000 characters of an owner's complaint or a relayed reply, so 2,000 emoji — which an owner
can send in one Telegram message — made the agent's complaint card 4,000+ units long:
Telegram refused it ("message is too long") while the owner was told it had been handed on.
"""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.emulator.markup import utf16_len
from surveys.models import OutboxMessage
from tests.bot.roles.conftest import press, staff_world
from tests.fixtures.chat import OWNERS, running_bot

ANGRY = "电梯又坏了" + "😡𠮷" * 995  # 2,000 characters, 3,990 UTF-16 units
TELEGRAM_MAX_TEXT = 4096


async def test_a_complaint_of_two_thousand_emoji_reaches_the_agent_cut_to_fit(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-LONG", title="电梯异响维修")
        await owner.send(f"/complain {ANGRY}")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="电梯又坏了")
        assert utf16_len(card["text"]) <= TELEGRAM_MAX_TEXT
        assert "😡𠮷" * 900 in card["text"] and card["text"].rstrip().endswith("…")
        await press(world.agent, card["message_id"], "回复")
        await world.agent.send("收到" + "🙏" * 1998)
        relayed = await h.client.wait_for_message(h.token, owner.chat_id, contains="🙏" * 9)
        assert utf16_len(relayed["text"]) <= TELEGRAM_MAX_TEXT and "🙏" * 1500 in relayed["text"]
        await asyncio.sleep(0.3)
        await h.outbox_idle()
        async with h.db() as s:
            failed = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.status == "failed"))).all()
        assert [(row.kind, row.last_error) for row in failed] == []
