"""Each staff command for each role, refusals included; appeals decided in chat; files."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlmodel import select

from surveys.models import Appeal, Complaint
from tests.bot.roles.conftest import press, staff_world
from tests.fixtures.chat import OWNERS, running_bot


async def _complaint_for_a001(h, owner_person) -> None:  # type: ignore[no-untyped-def]
    owner = h.owner(owner_person)
    await owner.bind()
    await h.close_order(owner_person, title="门禁卡失灵")
    survey = await owner.wait_survey()
    await owner.rate(survey["message_id"], 2, 1, 3, 2)
    await owner.send("服务态度太差了")


async def test_owners_and_agents_are_refused_manager_commands(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        for command in ("/report", "/agent 王晓梅", "/appeals", "/export", "/chart"):
            assert "仅供主管" in (await world.agent.send(command))["text"]
            assert "仅供主管" in (await owner.send(command))["text"]
        assert "仅供客服" in (await world.manager.send("/me"))["text"]
        assert "仅供客服" in (await owner.send("/appeal 1 不公平"))["text"]
        assert "仅供客服和主管" in (await owner.send("/complaints"))["text"]


async def test_agent_sees_only_their_own_figures_and_complaints(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        me = await world.agent.send("/me")
        assert "王晓梅" in me["text"] and "李建国" not in me["text"]
        mine = await world.agent.send("/complaints")
        assert "1" in mine["text"]
        theirs = await world.agent_b.send("/complaints")
        assert "没有待处理的投诉" in theirs["text"]


async def test_manager_report_agent_complaints_export_and_chart(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        report = await world.manager.send("/report week")
        assert "王晓梅" in report["text"] and "阳光花园" in report["text"]
        assert len(report["text"]) <= 4096
        detail = await world.manager.send("/agent 王晓梅")
        assert "王晓梅" in detail["text"] and "趋势" in (await _all_text(world.manager))
        complaints = await world.manager.send("/complaints")
        assert "王晓梅" in complaints["text"] and "#" in complaints["text"]
        bad = await world.manager.send("/report yesterday-ish")
        assert "无法识别周期" in bad["text"]

        doc = await world.manager.send("/export week")
        data = await h.client.document(h.token, doc["document"]["file_id"])
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames[0] == "汇总" and "回访明细" in book.sheetnames
        phones = [row[4] for row in book["回访明细"].iter_rows(min_row=2, values_only=True)]
        assert phones and all("****" in str(p) for p in phones)

        photo = await world.manager.send("/chart week")
        png = await h.client.document(h.token, photo["photo"][-1]["file_id"]
                                      if isinstance(photo["photo"], list)
                                      else photo["photo"]["file_id"])
        assert png[:8] == b"\x89PNG\r\n\x1a\n"


async def _all_text(session) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(m.get("text") or "") for m in await session.messages())


async def test_appeal_is_filed_by_the_agent_and_voided_by_the_manager(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="门禁卡失灵")
        async with h.db() as s:
            cid = (await s.exec(select(Complaint.id))).one()
        assert "仅" not in (await world.agent_b.send(f"/appeal {cid} 不是我")) ["text"][:2]
        filed = await world.agent.send(f"/appeal {cid} 当天业主不在家，无法上门")
        assert "已提交" in filed["text"]
        again = await world.agent.send(f"/appeal {cid} 再申诉一次")
        assert "待裁决" in again["text"]
        assert card["message_id"]

        pending = await world.manager.send("/appeals")
        listed = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                 contains="当天业主不在家")
        assert "申诉" in pending["text"]
        await press(world.manager, listed["message_id"], "支持")
        done = await world.manager.send("核实属实，业主不在家")
        assert "已作废" in done["text"]
        told = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="已获支持")
        assert "核实属实" in told["text"]
        async with h.db() as s:
            appeal = (await s.exec(select(Appeal))).one()
            complaint = await s.get(Complaint, cid)
        assert appeal.status == "voided" and complaint is not None and complaint.voided
