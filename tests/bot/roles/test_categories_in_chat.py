"""Categories, buildings and repeat problems in chat (issue 14), on both runtimes: the 返修/重复
mark on the agent's complaint card, the third-time alert to the manager, the report's views by
category and building, the export's sheets and the chart's building × category table."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.bot.roles.conftest import staff_world, texts
from tests.fixtures.chat import OWNERS, running_bot


async def _file(h, message: dict[str, object], kind: str) -> bytes:  # type: ignore[no-untyped-def]
    found = message[kind]
    file_id = found[-1]["file_id"] if isinstance(found, list) else found["file_id"]  # type: ignore[index]
    return await h.client.document(h.token, file_id)  # type: ignore[no-any-return]


async def test_a_repeat_is_marked_on_the_complaint_card_and_the_third_time_alerts_the_manager(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], "WO-801", title="厨房水管漏水维修")
        await h.close_order(OWNERS[0], "WO-802", title="厨房水管又漏水了")
        second = await owner.wait_survey(count=2)
        assert "WO-802" in second["text"]
        await owner.rate(second["message_id"], 1, 2, 2, 2)
        await owner.send("修了两次还在漏")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-802")
        assert "返修/重复：该房屋同类问题第 2 次" in card["text"]
        assert "类别：水电" in card["text"] and "water_power" not in card["text"]

        await h.close_order(OWNERS[0], "WO-803", title="厨房水管还在漏")
        alert = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                contains="重复问题")
        assert "1-101" in alert["text"] and "30 天内已有 3 张“水电”工单" in alert["text"]
        assert "WO-803" in alert["text"] and "13800138001" not in alert["text"]
        await h.close_order(OWNERS[0], "WO-804", title="厨房水管漏水")
        await h.outbox_idle()
        repeats = [t for t in texts(await world.manager.messages()) if "重复问题" in t]
        assert len(repeats) == 1  # the third time only


async def test_the_report_export_and_chart_show_categories_and_buildings(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        first, second = h.owner(OWNERS[0]), h.owner(OWNERS[1])
        await first.bind()
        await second.bind()
        await h.close_order(OWNERS[0], "WO-811", title="厨房水管漏水维修")
        await h.close_order(OWNERS[0], "WO-812", title="水管又漏了")
        await h.close_order(OWNERS[1], "WO-813", title="电梯异响", agent="A002")
        survey = await second.wait_survey()
        await second.rate(survey["message_id"], 1, 1, 2, 2)
        await second.send("电梯一直响，没人管")
        await h.client.wait_for_message(h.token, world.agent_b.chat_id, contains="WO-813")
        # The 1-star alert reaches the manager first: the report must be the next message.
        await h.client.wait_for_message(h.token, world.manager.chat_id, contains="WO-813")
        await h.outbox_idle()

        report = (await world.manager.send("/report week"))["text"]
        for words in ("按类别", "按楼栋", "水电", "电梯", "重复率", "客服返修情况", "王晓梅"):
            assert words in report, words
        assert "water_power" not in report and "elevator" not in report

        doc = await world.manager.send("/export week")
        book = load_workbook(io.BytesIO(await _file(h, doc, "document")))
        assert {"按类别", "按楼栋", "各楼栋各类别投诉"} <= set(book.sheetnames)
        by_category = {row[0]: row[1:3] for row in book["按类别"].iter_rows(
            min_row=2, values_only=True)}
        assert by_category["水电"] == (2, 1) and by_category["电梯"] == (1, 0)
        matrix = list(book["各楼栋各类别投诉"].iter_rows(values_only=True))
        assert matrix == [("楼栋", "电梯"), ("2", 1)]

        before = len(await world.manager.messages())
        await world.manager.send("/chart week")
        charts = await h.client.wait_for(h.token, world.manager.chat_id, count=before + 2)
        table = charts[before + 1]
        assert "各楼栋各类别投诉" in str(table.get("caption"))
        assert (await _file(h, table, "photo"))[:8] == b"\x89PNG\r\n\x1a\n"
