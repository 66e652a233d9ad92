"""A complaint reaches the agent, is acknowledged, relayed, resolved and followed up in chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.models import Complaint, ComplaintMessage
from tests.bot.roles.conftest import complaint_in_chat, press, staff_world
from tests.fixtures.chat import button_texts, running_bot


async def test_complaint_is_handled_end_to_end_in_chat(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, card = await complaint_in_chat(
            world, "WO-900", title="电梯异响维修", stars=(1, 1, 2, 1),
            words="师傅态度很差，等了三天才来，问题也没解决")
        assert "电梯异响维修" in card["text"]
        assert "师傅态度很差" in card["text"] and "WO-900" in card["text"]
        assert "13800138001" not in card["text"]
        assert {"✅ 已受理", "💬 回复", "✔️ 已解决"} <= set(button_texts(card))
        alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                contains="WO-900")
        assert "1" in alert["text"]
        for text in (card["text"], alert["text"]):  # each aspect with its own words
            evidence = next(line for line in text.splitlines() if line.startswith("依据："))
            assert evidence.startswith("依据：服务态度：") and "态度很差" in evidence
            assert "及时性" in evidence and "问题解决：没解决" in evidence

        card = await press(world.agent, card["message_id"], "已受理")
        assert "✅ 已受理" not in button_texts(card)
        await h.client.wait_for_message(h.token, owner.chat_id, contains="王晓梅")

        await press(world.agent, card["message_id"], "回复")
        sent = await world.agent.send("您好，明天上午九点我带师傅上门复查。")
        assert "已转达" in sent["text"]
        relayed = await h.client.wait_for_message(h.token, owner.chat_id,
                                                  contains="明天上午九点")
        assert "13700000001" not in relayed["text"]

        card = await press(world.agent, card["message_id"], "已解决")
        assert not [t for t in button_texts(card) if t.startswith("✔️")]
        follow_up = await h.client.wait_for_message(h.token, owner.chat_id,
                                                    predicate=lambda m: "😊 满意" in
                                                    button_texts(m))
        await press(owner, follow_up["message_id"], "😊")
        closed = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                 contains="已关闭")
        assert "业主对处理满意" in closed["text"]
        async with h.db() as s:
            complaint = (await s.exec(select(Complaint))).one()
            messages = (await s.exec(select(ComplaintMessage))).all()
        assert complaint.status == "closed_satisfied" and complaint.satisfied is True
        assert complaint.acknowledged_at is not None and complaint.resolved_at is not None
        assert [m.text for m in messages] == ["您好，明天上午九点我带师傅上门复查。"]


async def test_the_agents_missed_deadline_alert_says_what_to_do_and_carries_its_buttons(
    db_url: str,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            await complaint_in_chat(world, "WO-960", title="水管漏水", stars=(1, 2, 2, 2),
                                    words="漏了两天没人来")
            clock.advance(timedelta(hours=25))
            await h.app.run_job("complaint_deadlines")
            mine = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                   contains="超时")
            theirs = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                     contains="超时")
            assert "请立即受理" in mine["text"] and "客服：王晓梅" not in mine["text"]
            assert {"✅ 已受理", "💬 回复", "✔️ 已解决"} <= set(button_texts(mine))
            assert "✅ 已受理" not in button_texts(theirs)  # managers do not handle it
            after = await press(world.agent, mine["message_id"], "已受理")
            assert "✅ 已受理" not in button_texts(after)
            async with h.db() as s:
                complaint = (await s.exec(select(Complaint))).one()
            assert complaint.acknowledged_at is not None
    finally:
        FrozenClock.uninstall()
