"""A manager limited to one community never sees another community's agent in chat."""

from __future__ import annotations

import asyncio
import io
import time

from openpyxl import load_workbook
from sqlmodel import func, select

from bot.i18n import translator
from surveys.intake.close import close_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.models import Complaint
from surveys.people.directory import OwnerIn, add_agent, add_community, add_owner
from surveys.people.staffing import add_manager
from tests.bot.roles.conftest import invite, staff_world
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, Person, running_bot

ZH = translator("zh_CN")
LAKE_AGENT = "孙磊"
LAKE_OWNER = Person(5101, "周敏", "13800138101", "8", "808")
HEAD = Person(8003, "钱总", "13600000003")  # manages every community


async def _complaint(h: Harness, owner: OwnerSession, community: str, agent: str,
                     comment: str) -> None:
    """Close an order, rate it badly and complain; wait until the complaint exists."""
    async with h.db() as s:
        before = (await s.exec(select(func.count()).select_from(Complaint))).one()
    order = WorkOrderIn(
        external_id=f"WO-{community}-{owner.person.user_id}", community_code=community,
        owner=OwnerIn(name=owner.person.name, phone=owner.person.phone,
                      building=owner.person.building, room=owner.person.room),
        agent_external_id=agent, kind="repair", title="维修",  # type: ignore[arg-type]
    )
    await close_work_order(db=h.db, order=order, survey_config=h.settings.survey)
    h.app.wake_dispatcher()
    survey = await owner.wait_survey()
    await owner.rate(survey["message_id"], 2, 1, 3, 2)
    await owner.send(comment)
    deadline = time.monotonic() + 10
    while True:
        async with h.db() as s:
            if (await s.exec(select(func.count()).select_from(Complaint))).one() > before:
                break
        assert time.monotonic() < deadline, "no complaint was opened"
        await asyncio.sleep(0.05)
    await h.outbox_idle()  # the alerts to agents and managers are sent before the commands


async def _workbook_text(h: Harness, manager: OwnerSession) -> str:
    doc = await manager.send("/export week")
    book = load_workbook(io.BytesIO(await h.client.document(h.token,
                                                              doc["document"]["file_id"])))
    return "\n".join(" ".join(str(v) for v in row if v is not None)
                     for sheet in book for row in sheet.iter_rows(values_only=True))


async def test_community_manager_sees_none_of_another_communitys_agent(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h, manager_community="sunny")
        await add_community(db=h.db, code="lake", name="湖畔家园")
        await add_agent(db=h.db, external_id="B001", name=LAKE_AGENT, community_code="lake")
        await add_owner(db=h.db, community_code="lake", name=LAKE_OWNER.name,
                        phone=LAKE_OWNER.phone, building=LAKE_OWNER.building,
                        room=LAKE_OWNER.room)
        head_row = await add_manager(db=h.db, name=HEAD.name, community_code=None)
        assert head_row.id is not None
        head = h.owner(HEAD)
        await head.send(f"/start {await invite(h, 'manager', head_row.id)}")
        sunny_owner, lake_owner = h.owner(OWNERS[0]), h.owner(LAKE_OWNER)
        await sunny_owner.bind()
        await lake_owner.bind()
        await _complaint(h, sunny_owner, "sunny", "A001", "服务态度太差了")
        await _complaint(h, lake_owner, "lake", "B001", "师傅太慢了，等了一整天")

        # The manager of every community sees both agents: the records exist.
        assert LAKE_AGENT in (await head.send("/report week"))["text"]
        assert LAKE_AGENT in (await head.send("/complaints"))["text"]
        assert LAKE_AGENT in await _workbook_text(h, head)

        manager = world.manager
        report = (await manager.send("/report week"))["text"]
        assert "王晓梅" in report and "阳光花园" in report and LAKE_AGENT not in report
        refused = await manager.send(f"/agent {LAKE_AGENT}")
        assert refused["text"] == ZH._("No agent named “{name}” in your communities.",
                                       name=LAKE_AGENT)
        complaints = (await manager.send("/complaints"))["text"]
        assert "王晓梅" in complaints and "服务态度太差了" in complaints
        assert LAKE_AGENT not in complaints and "等了一整天" not in complaints
        workbook = await _workbook_text(h, manager)
        assert "王晓梅" in workbook
        assert LAKE_AGENT not in workbook and LAKE_OWNER.name not in workbook
