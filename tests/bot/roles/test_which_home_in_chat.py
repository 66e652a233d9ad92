"""An owner of two flats names the home of a complaint, and it is handled as that home's: the
card reaches the agent of that home's last order, never the other home's agent."""

from __future__ import annotations

from tests.bot.roles.conftest import staff_world, texts
from tests.fixtures.chat import OWNERS, running_bot
from tests.fixtures.homes import add_riverside_flat, close_at_riverside

WANG = OWNERS[0]


async def test_the_complaint_of_the_home_tapped_reaches_that_homes_agent_only(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await add_riverside_flat(h, WANG)
        owner = h.owner(WANG)
        await owner.bind()
        await close_at_riverside(h, WANG, "WO-RIV-9", "阳台门锁更换")  # credited to A002
        await owner.wait_survey()
        await h.close_order(WANG, "WO-SUN-9", title="厨房水管漏水维修")  # A001's, closed last
        await owner.wait_survey(count=2)

        asked = await owner.send("阳台门锁又卡住了，打不开，太差劲了")
        receipt = await owner.tap(asked["message_id"], "江畔小区 7-701")
        assert receipt["text"].startswith("房屋：江畔小区 7-701\n")
        card = await h.client.wait_for_message(h.token, world.agent_b.chat_id,
                                               contains="WO-RIV-9")
        assert "阳台门锁又卡住了" in card["text"]
        await h.outbox_idle()
        assert not any("阳台门锁又卡住了" in t for t in texts(await world.agent.messages()))
