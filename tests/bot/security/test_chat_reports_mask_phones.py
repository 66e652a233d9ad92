"""A manager's complaint list in chat masks a phone number the owner typed."""

from __future__ import annotations

from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import OWNERS, running_bot


async def test_manager_complaint_list_masks_a_phone_the_owner_typed(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], "WO-MASK-1", agent="A001")
        await owner.wait_survey()  # so the next message is the complaint's receipt, not this
        receipt = await owner.send("/complain 电梯坏了请回电13912345678")
        assert "您的投诉 #" in receipt["text"]
        await h.outbox_idle()
        listed = await world.manager.send("/complaints")
        assert "电梯坏了" in str(listed["text"])
        assert "13912345678" not in str(listed["text"]) and "139****5678" in str(listed["text"])
