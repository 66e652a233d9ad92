"""Text PostgreSQL cannot store (NUL) arriving from chat is kept without it."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Complaint
from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import OWNERS, running_bot

FAILURE = "出了点问题"


async def test_a_complaint_with_a_nul_character_is_stored_without_it(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-NUL", title="电梯维修")
        receipt = await owner.send("/complain 电梯\x00又坏了三天")
        assert FAILURE not in (receipt["text"] or "")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="又坏了")
        assert "\x00" not in card["text"]
        async with h.db() as s:
            texts = [c.text for c in (await s.exec(select(Complaint))).all()]
        assert texts and all("\x00" not in t for t in texts), texts
        assert any("电梯又坏了" in t for t in texts), texts
