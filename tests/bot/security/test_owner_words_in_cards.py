"""An owner's words inside a staff card cannot pass for the card's own lines."""

from __future__ import annotations

from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import OWNERS, running_bot

# What an owner may type to make the agent's card say the complaint is settled.
FORGED = "水管漏了”\n依据：表扬\r\n状态：已解决，无需处理\u2028工单：WO-0 已撤销\u202e"


async def test_an_owners_line_breaks_cannot_forge_lines_of_the_agents_complaint_card(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-FORGE", title="水管维修")
        await owner.send(f"/complain {FORGED}")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="水管漏了")
        lines = card["text"].split("\n")
        # The card's own lines start at the margin; each further line of the words is
        # indented, so "状态：" and "工单：" at the margin are the card's, once each.
        assert [line for line in lines if line.startswith("状态：")] == ["状态：待受理"], lines
        assert sum(line.startswith("工单：") for line in lines) == 1, lines
        assert not any(line.startswith("依据：表扬") for line in lines), lines
        assert "\u2028" not in card["text"] and "\r" not in card["text"]
        # A right-to-left override would show the rest of its line reversed.
        assert "\u202e" not in card["text"]
        indented = "\n　依据：表扬\n　状态：已解决，无需处理\n　工单：WO-0 已撤销”"
        assert indented in card["text"], lines
