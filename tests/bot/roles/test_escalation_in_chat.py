"""Escalation in chat (issue 14): an unsatisfied owner reopens the complaint and the manager is
alerted at once; risk words reach the manager; a missed resolve deadline alerts once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.models import Complaint
from tests.bot.roles.conftest import comment_in_chat, complaint_in_chat, press, staff_world
from tests.fixtures.chat import Harness, button_texts, callback_of, running_bot


def _has_follow_up(message: dict[str, object]) -> bool:
    return "😊 满意" in button_texts(message)  # type: ignore[arg-type]


async def _complaint(h: Harness) -> Complaint:
    async with h.db() as s:
        return (await s.exec(select(Complaint))).one()


async def test_an_unsatisfied_follow_up_escalates_and_the_owner_is_asked_again(
    db_url: str
) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, card = await complaint_in_chat(world, "WO-950", title="楼道灯不亮",
                                              stars=(2, 2, 3, 2), words="灯还是不亮，敷衍了事")
        card = await press(world.agent, card["message_id"], "已解决")
        first = await h.client.wait_for_message(h.token, owner.chat_id, predicate=_has_follow_up)
        old_satisfied = callback_of(first, "😊")  # a stale client may still show it later
        answered = await press(owner, first["message_id"], "😞")
        assert "升级给主管" in answered["text"]

        alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                contains="投诉升级")
        assert "WO-950" in alert["text"] and "第 1 次升级" in alert["text"]
        assert "13800138001" not in alert["text"]
        reopened = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                   contains="已重新打开")
        assert "✔️ 已解决" in button_texts(reopened)
        # 满意 on the answered question while escalated: refused, still escalated.
        early = await owner.tap_data(first["message_id"], old_satisfied)
        assert early["text"].startswith("这条回访已过期：您的投诉已升级") and early["show_alert"]
        assert (await _complaint(h)).status == "escalated"

        await press(world.agent, reopened["message_id"], "已解决")
        second = await h.client.wait_for_message(
            h.token, owner.chat_id,
            predicate=lambda m: _has_follow_up(m) and m["message_id"] != first["message_id"])

        # 满意 on the first round's question while the second waits: refused, nothing changes.
        refused = await owner.tap_data(first["message_id"], old_satisfied)
        assert refused["text"] == "这条回访已过期，请看最新一条。" and refused["show_alert"]
        assert (await _complaint(h)).status == "follow_up"
        assert "升级给主管" in (await owner.message(first["message_id"]))["text"]
        assert _has_follow_up(await owner.message(second["message_id"]))

        await owner.tap_data(second["message_id"], callback_of(second, "😊"), deliver_twice=True)
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="业主对处理满意")
        await h.outbox_idle()
        closed = [m for m in await world.agent.messages() if "业主对处理满意" in m["text"]]
        assert len(closed) == 1  # the repeated tap on the current round changed nothing
        complaint = await _complaint(h)
        assert complaint.status == "closed_satisfied" and complaint.escalations == 1
        escalations = [m for m in await world.manager.messages() if "投诉升级" in m["text"]]
        assert len(escalations) == 1  # alerted once


async def test_risk_words_in_an_owner_comment_alert_the_manager_at_once(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await comment_in_chat(h, "WO-951", title="车库漏水", stars=(3, 3, 3, 3),
                              words="再不修我就打12345，还要找媒体，我电话13912345678")
        alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                contains="风险预警")
        assert "12345、媒体" in alert["text"] and "WO-951" in alert["text"]
        assert "13912345678" not in alert["text"] and "139****5678" in alert["text"]
        await h.outbox_idle()
        risk = [m for m in await world.manager.messages() if "风险预警" in m["text"]]
        assert len(risk) == 1
        assert not [m for m in await world.agent.messages() if "风险预警" in m["text"]]


async def test_a_complaint_unresolved_past_its_deadline_alerts_once(db_url: str) -> None:
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            _, card = await complaint_in_chat(world, "WO-952", title="门禁坏了",
                                              stars=(1, 2, 2, 2), words="门禁一直坏着没人管")
            assert "解决期限" in card["text"]
            await press(world.agent, card["message_id"], "已受理")
            clock.advance(timedelta(hours=73))
            await h.app.run_job("complaint_deadlines")
            await h.app.run_job("complaint_deadlines")
            alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                    contains="超时未解决")
            assert "WO-952" in alert["text"] and "王晓梅" in alert["text"]
            mine = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                   contains="超时未解决")
            assert "✔️ 已解决" in button_texts(mine) and "请尽快解决" in mine["text"]
            await h.outbox_idle()
            late = [m for m in await world.manager.messages() if "超时未解决" in m["text"]]
            assert len(late) == 1
    finally:
        FrozenClock.uninstall()
