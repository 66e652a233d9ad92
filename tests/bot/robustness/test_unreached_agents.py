"""A complaint card Telegram refuses to the agent for good: the managers hear at once.

An agent who blocked the bot (or deleted the account) never gets the card of a new
complaint: Telegram answers 403 and the row is given up. Before, the managers heard of it
only when the acknowledgement deadline passed (24 h, 2 h when urgent); the deadline job now
alerts them within a minute, once, saying the agent cannot be reached in chat.
"""

from __future__ import annotations

from sqlmodel import select

from surveys.models import OutboxMessage
from tests.bot.roles.conftest import AGENT_A, staff_world
from tests.fixtures.chat import OWNERS, running_bot

UNREACHED = "客服无法通过聊天联系"


async def test_managers_hear_at_once_when_the_agent_s_complaint_card_is_refused(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-UNREACHED", title="电梯异响维修")
        await h.client.block(h.token, AGENT_A.user_id)
        await owner.send("/complain 电梯又坏了，三天没人来修")
        await h.outbox_idle()
        async with h.db() as s:
            card = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.kind == "complaint_opened"))).one()
        assert card.status == "failed"
        before = len(await world.manager.messages())
        await h.app.run_job("complaint_deadlines")
        alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                contains=UNREACHED)
        assert "电梯又坏了" in alert["text"]
        await h.app.run_job("complaint_deadlines")
        await h.outbox_idle()
        after = await world.manager.messages()
        assert sum(UNREACHED in (m["text"] or "") for m in after[before:]) == 1
