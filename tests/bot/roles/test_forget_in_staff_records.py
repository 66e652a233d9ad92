"""After /forget, no stored message to staff and no export names the owner, their phone or
their words: complaint cards, alerts, risk words, appeals and the 回访 morning list."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlmodel import select

from bot.i18n import translator
from bot.render.not_told import REPLY_ERASED, RESOLVED_ERASED
from surveys.models import Complaint, OutboxMessage
from surveys.people.staffing import add_revisitor
from tests.bot.roles.conftest import complaint_in_chat, invite, press, staff_world
from tests.fixtures.chat import OWNERS, Harness, Person, running_bot

REVISITOR = Person(8101, "孙回访", "13500000001")
OWNER = OWNERS[0]  # 张伟, 13800138001
WORDS = "态度很差，再不解决我就打12345"
TRACES = (OWNER.name, OWNER.phone, "138****8001", WORDS, "再不解决")
ZH = translator("zh_CN")


async def _stored_payloads(h: Harness) -> str:
    async with h.db() as s:
        rows = (await s.exec(select(OutboxMessage))).all()
    return json.dumps([r.payload for r in rows], ensure_ascii=False)


async def _export_cells(h: Harness, manager: object) -> str:
    doc = await manager.send("/export week")  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(await h.client.document(h.token,
                                                            doc["document"]["file_id"])))
    return " ".join(str(cell) for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True) for cell in row)


async def test_a_forgotten_owner_leaves_no_name_phone_or_words_in_staff_messages_or_exports(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        row = await add_revisitor(db=h.db, name=REVISITOR.name, community_code="sunny")
        assert row.id is not None
        revisitor = h.owner(REVISITOR)
        await revisitor.send(f"/start {await invite(h, 'revisitor', row.id)}")

        await h.close_order(OWNER, "WO-F0")  # before binding: waits for a phone 回访
        owner = h.owner(OWNER)
        await owner.bind()
        await h.close_order(OWNER, "WO-F1", kind="complaint", title="噪音投诉")
        survey = await owner.wait_survey()
        await owner.rate(survey["message_id"], 1, 1, 2, 1)
        await owner.send(WORDS)  # a complaint for the agent, a risk-words alert for managers
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="再不解决")
        async with h.db() as s:
            complaint = (await s.exec(select(Complaint))).one()
        await world.agent.send(f"/appeal {complaint.id} 业主误会了")
        assert await h.app.run_job("revisit_lists") == 1
        await h.outbox_idle()
        before = await _stored_payloads(h)
        assert all(trace in before for trace in (OWNER.name, "138****8001", "再不解决"))
        assert OWNER.name in await _export_cells(h, world.manager)

        await owner.send("/forget yes")
        await h.outbox_idle()

        after = await _stored_payloads(h)
        assert [t for t in TRACES if t in after] == []
        cells = await _export_cells(h, world.manager)
        assert [t for t in TRACES if t in cells] == []
        # The staff messages stay readable: they keep what is not the owner's.
        async with h.db() as s:
            kinds = {r.kind: r.payload for r in (await s.exec(select(OutboxMessage))).all()}
        assert kinds["complaint_opened"]["work_order_external_id"] == "WO-F1"
        assert kinds["risk_words"]["words"] == ["12345"]
        assert [o["work_order"] for o in kinds["revisit_list"]["orders"]] == ["WO-F0"]


async def test_an_agent_acting_after_the_owner_was_forgotten_is_told_why_and_not_to_call(
        db_url: str) -> None:
    # "They answered on the web page or by phone: please call or visit them" was wrong: the
    # owner asked to be erased, and their name and phone are gone.
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, card = await complaint_in_chat(world, "WO-F2", title="噪音投诉",
                                              stars=(1, 1, 2, 1), words=WORDS)
        await owner.send("/forget yes")
        await press(world.agent, card["message_id"], "回复")
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="话术模板")
        replied = await world.agent.send("我们明天上午上门处理")
        await press(world.agent, card["message_id"], "已解决")
        resolved = (await h.client.callback_answers(h.token))[-1]["text"]  # the tap's toast
    assert replied["text"] == ZH._(REPLY_ERASED)
    assert resolved == ZH._(RESOLVED_ERASED)
    assert "电话" not in replied["text"] + resolved
