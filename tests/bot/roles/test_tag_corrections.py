"""Correcting a complaint's tags in chat: the agent's waits for a manager, a manager's applies."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment import agent_reports as assessment
from surveys.models import Complaint, TagCorrection
from tests.bot.roles.conftest import Staffed, agent_id, press, staff_world
from tests.bot.security.conftest import data_of
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, button_texts, running_bot

ZH = translator("zh_CN")
WORDS = "师傅态度很差，等了三天才来"


async def _complaint_card(h: Harness, world: Staffed) -> tuple[dict[str, Any], int]:
    """An owner rates A001's order well but writes a complaint; return (agent's card, id)."""
    owner, _, survey = await h.owner_with_survey(OWNERS[0], "WO-TAG-1", title="厨房水管漏水")
    await owner.rate(survey["message_id"], 5, 4, 4, 4)
    await owner.send(WORDS)
    card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="厨房水管漏水")
    await h.outbox_idle()
    async with h.db() as s:
        cid = (await s.exec(select(Complaint.id).where(col(Complaint.text) == WORDS))).one()
    return card, cid


async def _editor(h: Harness, session: OwnerSession, message: dict[str, Any], label: str
                  ) -> dict[str, Any]:
    """Tap the button that opens the tag editor; return the editor message."""
    before = len(await session.messages())
    await press(session, message["message_id"], label)
    found = await h.client.wait_for(h.token, session.chat_id, count=before + 1)
    editor = found[before]
    assert "纠正投诉 #" in editor["text"]
    return editor


async def _tags(h: Harness, cid: int) -> tuple[list[str], str, bool]:
    async with h.db() as s:
        row = await s.get(Complaint, cid)
        assert row is not None
        return list(row.tags), row.status, row.voided


async def _agent_points(h: Harness) -> tuple[int, float | None]:
    period = parse_period("week", timezone="Asia/Shanghai")
    report = await assessment.agent_report(db=h.db, agent_id=await agent_id(h, "A001"),
                                           period=period, config=PointsConfig())
    return report.points.complaints, report.points.total


async def test_an_agents_correction_applies_when_a_manager_confirms_it(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        card, cid = await _complaint_card(h, world)
        assert await _tags(h, cid) == (["attitude", "timeliness"], "open", False)
        complaints, total = await _agent_points(h)
        assert complaints == 1
        editor = await _editor(h, world.agent, card, "纠正标签")
        assert "✅服务态度 👎" in button_texts(editor)
        editor = await press(world.agent, editor["message_id"], "服务态度 —")
        assert "✅服务态度 —" in button_texts(editor)
        editor = await press(world.agent, editor["message_id"], "不是投诉")
        assert "✅及时性 —" in button_texts(editor)  # not a complaint clears the 👎
        sent = await press(world.agent, editor["message_id"], "提交")
        assert "主管将确认或驳回" in sent["text"] and not button_texts(sent)
        assert await _tags(h, cid) == (["attitude", "timeliness"], "open", False)

        ask = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                              contains="申请纠正投诉")
        assert "王晓梅" in ask["text"] and "不是投诉" in ask["text"]
        done = await press(world.manager, ask["message_id"], "确认")
        assert "您已确认纠正" in done["text"] and not button_texts(done)
        told = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="已确认")
        assert "不再计入您的考核" in told["text"]
        assert await _tags(h, cid) == ([], "dismissed", True)
        after_complaints, after_total = await _agent_points(h)
        assert after_complaints == 0 and after_total != total

        again = await world.manager.tap_data(ask["message_id"], data_of(ask, "确认"))
        assert again.get("text") == ZH._("Already decided.")  # a double tap changes nothing
        async with h.db() as s:
            rows = (await s.exec(select(TagCorrection))).all()
        assert [(r.status, r.proposed_by_role) for r in rows] == [("applied", "agent")]


async def test_a_rejected_correction_changes_nothing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        card, cid = await _complaint_card(h, world)
        editor = await _editor(h, world.agent, card, "纠正标签")
        editor = await press(world.agent, editor["message_id"], "及时性 —")
        await press(world.agent, editor["message_id"], "提交")
        ask = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                              contains="申请纠正投诉")
        done = await press(world.manager, ask["message_id"], "驳回")
        assert "您已驳回纠正" in done["text"]
        told = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="驳回了")
        assert "标签保持不变" in told["text"]
        assert await _tags(h, cid) == (["attitude", "timeliness"], "open", False)


async def test_a_managers_correction_from_the_complaint_list_applies_at_once(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        _, cid = await _complaint_card(h, world)
        listing = await world.manager.send("/complaints")
        assert f"✏️ #{cid}" in button_texts(listing)
        editor = await _editor(h, world.manager, listing, f"#{cid}")
        assert "主管确认后才生效" not in editor["text"]
        editor = await press(world.manager, editor["message_id"], "表达清晰 👎")
        done = await press(world.manager, editor["message_id"], "提交")
        assert "已纠正" in done["text"]
        assert await _tags(h, cid) == (["attitude", "clarity", "timeliness"], "open", False)
        told = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="纠正了投诉")
        assert "赵经理" in told["text"] and "表达清晰" in told["text"]


async def test_an_agent_cannot_correct_another_agents_complaint(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        card, cid = await _complaint_card(h, world)
        editor = await _editor(h, world.agent, card, "纠正标签")
        where = (await world.agent_b.messages())[-1]["message_id"]
        refusal = ZH._("Only the agent of this complaint or a manager overseeing them may "
                       "correct its tags.")
        for message, label in ((card, "纠正标签"), (editor, "服务态度 —"), (editor, "提交")):
            answer = await world.agent_b.tap_data(where, data_of(message, label))
            assert answer.get("text") == refusal, label
        async with h.db() as s:
            assert (await s.exec(select(TagCorrection))).all() == []
        assert await _tags(h, cid) == (["attitude", "timeliness"], "open", False)
