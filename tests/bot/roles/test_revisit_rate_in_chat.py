"""An agent sees their own 回访率 in /me and in the weekly summary; a manager sees each agent's
in /agent and in the Monday digest."""

from __future__ import annotations

from datetime import datetime

from surveys.core.clock import FrozenClock
from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import OWNERS, running_bot


def _pair(text: str, label: str) -> str:
    """Return the value of a `label   value` line of a report table."""
    lines = [line for line in text.splitlines() if line.split()[:1] == [label]]
    assert len(lines) == 1, (label, text)
    return lines[0].removeprefix(label).strip()


async def test_each_agent_sees_their_own_revisit_rate_and_managers_see_every_agents(
        db_url: str) -> None:
    # Tuesday of ISO week 2026-W47 in Shanghai; the digest of that week goes out on Monday.
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)  # 王晓梅 (A001), 李建国 (A002), 赵经理 of 阳光花园
            owner = h.owner(OWNERS[0])
            await owner.bind()
            await h.close_order(OWNERS[0], "WO-V1", kind="complaint", title="噪音投诉")
            survey = await owner.wait_survey()
            await owner.rate(survey["message_id"], 5, 5, 5, 5)
            await owner.send("处理得很好")  # the comment submits the answer
            await h.close_order(OWNERS[1], "WO-V2")  # not bound: closed, never answered
            await h.close_order(OWNERS[2], "WO-V3", agent="A002")
            await h.outbox_idle()

            mine = (await world.agent.send("/me week"))["text"]
            assert _pair(mine, "回访率") == "1/2（50.0%）"
            assert _pair(mine, "投诉回访率") == "1/1（100.0%；目标 100.0%）✅"
            theirs = (await world.agent_b.send("/me week"))["text"]
            assert _pair(theirs, "回访率") == "0/1（0.0%）"
            assert "投诉回访率" not in theirs  # no complaint order of theirs
            detail = (await world.manager.send("/agent 李建国"))["text"]
            assert _pair(detail, "回访率") == "0/1（0.0%）"

            clock.current = datetime(2026, 11, 23, 1, 0)  # Monday 09:00 in Shanghai
            await h.app.run_job("weekly_summary")
            summary = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                      contains="周报")
            assert "回访率（任一渠道已回答 ÷ 完成工单）：1/2（50.0%）。" in summary["text"]
            assert "投诉回访率：1/1（100.0%；目标 100.0%）✅" in summary["text"]
            assert "李建国" not in summary["text"]  # an agent's summary is their own
            other = await h.client.wait_for_message(h.token, world.agent_b.chat_id,
                                                    contains="周报")
            assert "回访率（任一渠道已回答 ÷ 完成工单）：0/1（0.0%）。" in other["text"]
            digest = (await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                      contains="团队周报"))["text"]
            assert "回访率（任一渠道已回答 ÷ 完成工单）：阳光花园 1/3（33.3%）。" in digest
            assert "各客服回访率：王晓梅 1/2（50.0%） · 李建国 0/1（0.0%）。" in digest
            assert "投诉回访率：1/1（100.0%；目标 100.0%）✅" in digest
    finally:
        FrozenClock.uninstall()
