"""Each staff command for each role, refusals included; appeals decided in chat; files."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlmodel import select

from bot.i18n import translator
from bot.render.reports import num
from bot.roles import NOT_AGENT, NOT_MANAGER, NOT_STAFF
from scoring.periods import parse_period
from surveys.assessment import reports as assessment
from surveys.core import clock
from surveys.models import Appeal, Complaint
from tests.bot.roles.conftest import agent_id, press, staff_world
from tests.fixtures.chat import OWNERS, running_bot

ZH = translator("zh_CN")


async def _complaint_for_a001(h, owner_person) -> None:  # type: ignore[no-untyped-def]
    owner = h.owner(owner_person)
    await owner.bind()
    await h.close_order(owner_person, title="门禁卡失灵")
    survey = await owner.wait_survey()
    await owner.rate(survey["message_id"], 2, 1, 3, 2)
    await owner.send("服务态度太差了")
    # The agent's card and the manager's rating-1 alert go out through the outbox: let them
    # land first, or a later command's reply could be mistaken for one of them.
    await h.outbox_idle()


async def test_owners_and_agents_are_refused_manager_commands(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        for command in ("/report", "/agent 王晓梅", "/appeals", "/export", "/chart"):
            assert (await world.agent.send(command))["text"] == ZH._(NOT_MANAGER)
            assert (await owner.send(command))["text"] == ZH._(NOT_MANAGER)
        assert (await world.manager.send("/me"))["text"] == ZH._(NOT_AGENT)
        assert (await owner.send("/appeal 1 不公平"))["text"] == ZH._(NOT_AGENT)
        assert (await owner.send("/complaints"))["text"] == ZH._(NOT_STAFF)


async def test_agent_sees_only_their_own_figures_and_complaints(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        me = (await world.agent.send("/me"))["text"]
        assert "王晓梅" in me and "李建国" not in me
        # The owner rated 2, 1, 3, 2 stars: a rating r scores (r - 1) / 4 * 100.
        for question, mean, score in (("总体", "2.00", "25.0"), ("态度", "1.00", "0.0"),
                                      ("表达清晰", "3.00", "50.0"), ("及时性", "2.00", "25.0")):
            assert re.search(rf"^{question} +1 +{re.escape(mean)} +{re.escape(score)} ", me,
                             re.MULTILINE), question
        assert re.search(r"^发出回访 / 收到回复 +1 / 1$", me, re.MULTILINE)
        assert re.search(r"^投诉数（已撤销） +1 \(0\)$", me, re.MULTILINE)
        week = parse_period("week", timezone=h.settings.schedule.timezone, now=clock.now())
        report = await assessment.agent_report(db=h.db, agent_id=await agent_id(h, "A001"),
                                               period=week, config=h.settings.points)
        assert re.search(rf"^总分 +{re.escape(num(ZH, report.points.total))}$", me, re.MULTILINE)

        before = len(await world.agent.messages())
        mine = await world.agent.send("/complaints")
        assert mine["text"] == ZH.n_("You have {n} complaint being handled:",
                                     "You have {n} complaints being handled:", 1)
        cards = await h.client.wait_for(h.token, world.agent.chat_id, count=before + 2)
        assert "门禁卡失灵" in cards[before + 1]["text"]
        theirs = await world.agent_b.send("/complaints")
        assert theirs["text"] == ZH._("You have no open complaints. Well done!")


async def test_manager_report_ranks_the_agents_and_names_the_community(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        report = await world.manager.send("/report week")
        assert "王晓梅" in report["text"] and "阳光花园" in report["text"]
        assert len(report["text"]) <= 4096
        bad = await world.manager.send("/report yesterday-ish")
        assert "无法识别周期" in bad["text"]


async def test_manager_agent_detail_shows_the_agents_trend(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        detail = await world.manager.send("/agent 王晓梅")
        assert "王晓梅" in detail["text"] and "趋势" in (await _all_text(world.manager))


async def test_manager_complaint_list_names_the_agent_and_the_complaint(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        complaints = await world.manager.send("/complaints")
        assert "王晓梅" in complaints["text"] and "#" in complaints["text"]


async def test_manager_export_masks_phones_and_chart_is_a_png(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
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
        refused = await world.agent_b.send(f"/appeal {cid} 不是我")
        assert refused["text"] == ZH._("You can only appeal complaints and ratings about your "
                                       "own work.")
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
