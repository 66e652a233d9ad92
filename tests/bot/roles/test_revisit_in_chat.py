"""Staff-entered 回访 in chat: 回访 staff bound by invite record a phone 回访 for an owner the
bot could not reach; bad input is refused in the person's language and nothing is lost."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import select

from bot.cli import main as cli_main
from bot.i18n import translator
from surveys.intake.close import close_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.models import Complaint, Response, Survey, SurveyStatus
from surveys.people.directory import OwnerIn, add_agent, add_community, add_owner
from surveys.people.staffing import add_manager, add_revisitor
from tests.bot.roles.conftest import AGENT_A, MANAGER_EN, invite, staff_world
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, Person, buttons, running_bot

ZH = translator("zh_CN")
EN = translator("en")
REVISITOR = Person(8101, "孙回访", "13500000001")
LAKE_OWNER = Person(5101, "周敏", "13800138101", "8", "808")


async def _revisitor(h: Harness, community: str | None = "sunny") -> OwnerSession:
    row = await add_revisitor(db=h.db, name=REVISITOR.name, community_code=community)
    assert row.id is not None
    session = h.owner(REVISITOR)
    await session.send(f"/start {await invite(h, 'revisitor', row.id)}")
    return session


async def _tap_cell(session: OwnerSession, message_id: int, row: int, col: int, *,
                    twice: bool = False) -> None:
    data = buttons(await session.message(message_id))[row][col]["callback_data"]
    await session.tap_data(message_id, str(data), deliver_twice=twice)


async def _response(h: Harness) -> Response:
    deadline = time.monotonic() + 10
    while True:
        async with h.db() as s:
            found = (await s.exec(select(Response))).first()
        if found is not None and found.submitted_at is not None:
            return found
        assert time.monotonic() < deadline, "no response was recorded"
        await asyncio.sleep(0.05)


async def test_revisit_staff_record_a_phone_revisit_for_an_unbound_owner(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        staff = await _revisitor(h)
        result = await h.close_order(OWNERS[0], "WO-R1", title="电梯异响")
        assert result.survey_status == SurveyStatus.SKIPPED_UNBOUND

        listed = await staff.send("/revisit")
        assert "WO-R1" in listed["text"] and OWNERS[0].phone in listed["text"]
        card = await staff.send("/revisit WO-R1")
        assert "WO-R1" in card["text"] and ZH._("the owner is not in Telegram") in card["text"]
        mid = card["message_id"]
        for row, stars in enumerate((2, 1, 3, 2)):  # a row per question: its name, 1⭐…5⭐
            await _tap_cell(staff, mid, row, stars, twice=row == 0)
        shown = await staff.message(mid)
        assert shown["text"].count("⭐") == 2 + 1 + 3 + 2
        await _tap_cell(staff, mid, 1, 0)  # the row's name says which question, stores nothing
        answers = await h.client.callback_answers(h.token)
        assert answers[-1]["text"] == ZH._("Service attitude")
        assert (await staff.message(mid))["text"] == shown["text"]
        prompt = await staff.send("/help")  # an unrelated command leaves the card as it was
        assert "/revisit" in prompt["text"]

        await _tap_cell(staff, mid, 5, 0)  # the owner's words
        await h.client.wait_for(h.token, staff.chat_id, contains="/cancel")
        saved = await staff.send("师傅态度很差，修了三次还是响")
        assert ZH._("A complaint was opened for the agent, as for a chat answer.") \
            in saved["text"]

        response = await _response(h)
        assert (response.channel, response.entered_by_role) == ("phone", "revisitor")
        assert (response.overall, response.attitude, response.clarity, response.timeliness) \
            == (2, 1, 3, 2)
        async with h.db() as s:
            survey = await s.get(Survey, response.survey_id)
            complaint = (await s.exec(select(Complaint))).one()
        assert survey is not None and survey.status == SurveyStatus.SUBMITTED
        assert complaint.text == "师傅态度很差，修了三次还是响"

        # The same card's save button again: refused, the recorded answer stays.
        await _tap_cell(staff, mid, 5, 1)
        answers = await h.client.callback_answers(h.token)
        assert "WO-R1" in str(answers[-1].get("text"))
        assert (await _response(h)).overall == 2


async def test_bad_revisits_are_refused_in_the_persons_language(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        staff = await _revisitor(h)
        await add_community(db=h.db, code="lake", name="湖畔家园")
        await add_agent(db=h.db, external_id="B001", name="孙磊", community_code="lake")
        await add_owner(db=h.db, community_code="lake", name=LAKE_OWNER.name,
                        phone=LAKE_OWNER.phone)
        manager_row = await add_manager(db=h.db, name=MANAGER_EN.name, community_code="lake")
        assert manager_row.id is not None
        manager = h.owner(MANAGER_EN)
        await manager.send(f"/start {await invite(h, 'manager', manager_row.id)}")
        await h.close_order(OWNERS[0], "WO-S1")
        await close_work_order(db=h.db, survey_config=h.settings.survey, order=WorkOrderIn(
            external_id="WO-L1", community_code="lake", agent_external_id="B001",
            owner=OwnerIn(name=LAKE_OWNER.name, phone=LAKE_OWNER.phone), title="门禁卡失灵"))
        await h.close_order(OWNERS[1], "WO-S2")

        unknown = await staff.send("/revisit WO-404")
        assert unknown["text"] == ZH._("No such work order: {id}.", id="WO-404")
        other = await staff.send("/revisit WO-L1")
        assert other["text"] == ZH._(
            "Work order {id} belongs to another community; you may record 回访 only for your "
            "own communities.", id="WO-L1")
        english = await manager.send("/revisit WO-S1")
        assert english["text"].startswith("Work order WO-S1 belongs to another community")

        card = await manager.send("/revisit WO-L1")  # the lake manager may: save it
        mid = card["message_id"]
        for row in range(4):
            await _tap_cell(manager, mid, row, 5)
        await _tap_cell(manager, mid, 4, 1)  # 🏠 visit
        await _tap_cell(manager, mid, 5, 1)  # save without words
        await h.client.wait_for(h.token, manager.chat_id, contains="(🏠 Visit)")
        again = await manager.send("/revisit WO-L1")
        assert again["text"] == EN._(
            "Work order {id} already has an answer; a 回访 never replaces it.", id="WO-L1")

        early = await staff.send("/revisit WO-S2")  # an unsaved card: taps need all stars
        await _tap_cell(staff, early["message_id"], 5, 1)
        answers = await h.client.callback_answers(h.token)
        assert answers[-1]["text"] == ZH._("Rate every question first.")

        owner = h.owner(AGENT_A)  # not 回访 staff: refused
        refused = await owner.send("/revisit WO-S2")
        assert refused["text"] == ZH._("Sorry, only 回访 staff and managers may record a 回访.")
        async with h.db() as s:
            responses = (await s.exec(select(Response))).all()
        assert [(r.channel, r.entered_by_role) for r in responses] == [("visit", "manager")]


async def test_imported_revisits_reach_agents_and_reports_like_chat_answers(
        db_url: str, tmp_path: Path) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)  # agents A001, A002 and the manager of 阳光花园, bound
        await add_revisitor(db=h.db, name=REVISITOR.name, community_code="sunny")
        for person, order in ((OWNERS[0], "WO-C1"), (OWNERS[1], "WO-C2")):
            await h.close_order(person, order, kind="complaint")
        await h.close_order(OWNERS[2], "WO-C3")
        path = tmp_path / "revisits.csv"
        path.write_text("work_order,channel,overall,attitude,clarity,timeliness,words,staff\n"
                        "WO-C1,电话,1,1,2,1,噪音一直没解决，很失望,孙回访\n"
                        "WO-C2,上门,5,5,5,5,,孙回访\n"
                        "WO-C3,phone,0,5,5,5,,孙回访\n", encoding="utf-8")
        code = await asyncio.to_thread(cli_main, ["revisits", "import", "--db-url", db_url,
                                                  str(path)])
        assert code == 1  # the bad star row is reported; the other two are recorded
        h.app.wake_dispatcher()

        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="噪音一直没解决")
        assert "WO-C1" in card["text"]
        await h.outbox_idle()
        report = (await world.manager.send("/report week"))["text"]
        assert "电话回访 1 · 上门回访 1" in report
        assert "回访率（任一渠道已回答 ÷ 完成工单）：阳光花园 2/3（66.7%）" in report
        assert "投诉回访率：2/2（100.0%；目标 100.0%）✅" in report
        doc = await world.manager.send("/export week")
        book = load_workbook(io.BytesIO(await h.client.document(
            h.token, doc["document"]["file_id"])))
        rows = list(book["回访率"].iter_rows(values_only=True))
        assert rows[1][:4] == ("小区", "阳光花园", 3, 2)


async def test_revisit_staff_get_the_pending_list_once_a_morning(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        staff = await _revisitor(h)
        await h.close_order(OWNERS[0], "WO-M1", title="楼道灯不亮")
        await h.close_order(OWNERS[1], "WO-M2", kind="complaint", title="噪音投诉")
        before = len(await staff.messages())
        assert await h.app.run_job("revisit_lists") == 1
        h.app.wake_dispatcher()
        listed = (await h.client.wait_for(h.token, staff.chat_id, count=before + 1))[-1]
        text = listed["text"]
        assert text.startswith(ZH.n_("{n} survey is waiting for a phone or visit 回访:",
                                     "{n} surveys are waiting for a phone or visit 回访:", 2))
        assert text.index("WO-M2") < text.index("WO-M1")  # complaint orders first
        assert "138****8001" in text and OWNERS[0].phone not in text  # masked in the outbox
        assert await h.app.run_job("revisit_lists") == 0  # once a day, however often it runs
        await h.outbox_idle()
        assert len(await staff.messages()) == before + 1
