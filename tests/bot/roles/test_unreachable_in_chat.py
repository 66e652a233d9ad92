"""Closing a complaint as "owner unreachable" in chat (both runtimes): the manager's
/unreachable waits out the owner's time to answer, then closes it with a note; the agent is
told how it counts; an agent may not; the owner's late tap does not reopen it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot.i18n import translator
from surveys.core.clock import FrozenClock
from surveys.models import AuditLog, Complaint
from tests.bot.roles.conftest import complaint_in_chat, press, staff_world
from tests.fixtures.chat import button_texts, callback_of, running_bot

ZH = translator("zh_CN")
START = datetime(2026, 11, 17, 2, 0)
NOTE = "12-01 至 12-03 打电话 3 次无人接听"


@pytest.mark.slow  # 3-16 s a runtime; tests/surveys/complaints/test_unreachable_close.py
async def test_a_manager_closes_a_complaint_whose_owner_never_answers_after_the_wait(
    db_url: str,
) -> None:
    clock = FrozenClock(START).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            owner, card = await complaint_in_chat(world, "WO-970", title="楼道灯不亮",
                                                  stars=(2, 2, 3, 2), words="灯还是不亮")
            refused = await world.agent.send("/unreachable 1 打不通")
            assert refused["text"] == ZH._("Sorry, only managers and 回访 staff may close a "
                                           "complaint as owner unreachable.")
            async with h.db() as s:
                cid = (await s.exec(select(Complaint.id))).one()
            early = await world.manager.send(f"/unreachable {cid} {NOTE}")
            assert early["text"].startswith(f"投诉 #{cid} 尚未解决（")

            await press(world.agent, card["message_id"], "已解决")
            asked = await h.client.wait_for_message(
                h.token, owner.chat_id, predicate=lambda m: "😊 满意" in button_texts(m))
            wait = await world.manager.send(f"/unreachable {cid} {NOTE}")
            assert wait["text"] == (f"已于 2026-11-17 10:00 就投诉 #{cid} 回访业主，业主仍可能"
                                    f"答复：2026-11-20 10:00 起才能以“业主无法联系”关闭。")

            clock.current = START + timedelta(hours=72)
            done = await world.manager.send(f"/unreachable #{cid} {NOTE}")
            assert done["text"].startswith(f"投诉 #{cid} 已关闭：业主无法联系")
            assert "对 王晓梅 而言它仍计为已解决" in done["text"]
            told = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                   contains=f"投诉 #{cid} 已关闭")
            assert "无法联系到业主" in told["text"] and "不计入回访满意率" in told["text"]
            again = await world.manager.send(f"/unreachable {cid} {NOTE}")
            assert again["text"] == f"投诉 #{cid} 已以“业主无法联系”关闭。"

            await owner.tap_data(asked["message_id"], callback_of(asked, "😞"))
            late = await owner.message(asked["message_id"])
            assert late["text"] == ("感谢您的答复。此前未能联系到您，这件投诉已经关闭。如果问题"
                                    "仍未解决，请发送 /complain 告诉我们，我们会重新处理。")
            listed = await world.manager.send("/complaints")
            assert f"#{cid} " not in listed["text"]
            async with h.db() as s:
                row = (await s.exec(select(Complaint))).one()
                entries = (await s.exec(select(AuditLog).where(
                    AuditLog.action == "complaint_closed_unreachable"))).all()
            assert (row.status, row.satisfied) == ("closed_unreachable", None)
            assert [(e.actor_role, e.actor_id, e.detail["note"]) for e in entries] == [
                ("manager", world.manager_id, NOTE)]
    finally:
        FrozenClock.uninstall()
