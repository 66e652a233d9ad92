"""A 回访 voided on appeal is entered again in chat (both runtimes): the agent appeals the
staff-entered rating, the manager voids it, the 回访 staff open the order's card again and
save the owner's answer; the voided entry stays as it was."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlmodel import col, select

from bot.i18n import translator
from surveys.models import AuditLog, Response
from surveys.people.staffing import add_revisitor
from tests.bot.roles.conftest import invite, press, staff_world
from tests.bot.roles.test_revisit_in_chat import REVISITOR, _tap_cell
from tests.fixtures.chat import OWNERS, OwnerSession, running_bot

ZH = translator("zh_CN")


async def _enter(staff: OwnerSession, stars: tuple[int, ...], why: str) -> str:
    card = await staff.send("/revisit WO-RE1")
    assert ZH._(why) in card["text"]
    for row, star in enumerate(stars):
        await _tap_cell(staff, card["message_id"], row, star)  # the row: its name, 1⭐…5⭐
    await _tap_cell(staff, card["message_id"], 5, 1)  # 💾 save without words
    # The tap is answered as the bot gets to it: wait for the card to say it was saved.
    deadline = time.monotonic() + 10
    while "已保存" not in (text := str((await staff.message(card["message_id"]))["text"])):
        assert time.monotonic() < deadline, text
        await asyncio.sleep(0.05)
    return text


@pytest.mark.slow  # ~4 s a runtime; tests/surveys/survey/test_revisit_reentry.py (quick)
async def test_a_revisit_voided_on_appeal_is_entered_again_in_chat(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        row = await add_revisitor(db=h.db, name=REVISITOR.name, community_code="sunny")
        staff = h.owner(REVISITOR)
        await staff.send(f"/start {await invite(h, 'revisitor', int(row.id or 0))}")
        await h.close_order(OWNERS[0], "WO-RE1", title="电梯异响")
        await _enter(staff, (1, 1, 1, 1), "the owner is not in Telegram")  # keyed wrong
        async with h.db() as s:
            first = (await s.exec(select(Response))).one()

        await world.agent.send(f"/appeal R{first.id} 回访录错了，业主说很满意")
        listed = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                 contains="回访录错了")
        await press(world.manager, listed["message_id"], "支持（不计入考核）")
        await world.manager.send("核实：录入错误")
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="已获支持")

        # The per-user throttle allows 12 inputs at once, refilled 2 a second: a second card
        # keyed straight after the first would have its save tap dropped ("发送得有点快").
        await asyncio.sleep(3)
        listed = await staff.send("/revisit")
        assert "WO-RE1" in listed["text"]
        saved = await _enter(staff, (5, 5, 4, 5),
                             "its earlier 回访 was voided on appeal: enter it again")
        assert "⭐" in saved
        async with h.db() as s:
            rows = (await s.exec(select(Response).order_by(col(Response.id)))).all()
            audit = (await s.exec(select(AuditLog).where(
                AuditLog.action == "revisit_reentered"))).one()
        assert [(r.voided, r.overall) for r in rows] == [(True, 1), (False, 5)]
        assert audit.detail["voided_response_id"] == first.id
        refused = await staff.send("/revisit WO-RE1")
        assert refused["text"] == ZH._("Work order {id} already has an answer; a 回访 never "
                                       "replaces it.").format(id="WO-RE1")
