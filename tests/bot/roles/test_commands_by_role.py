"""Each staff command for each role, refusals included; appeals decided in chat; files."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.i18n import translator
from tests.bot.roles.conftest import comment_in_chat, staff_world
from tests.fixtures.chat import OWNERS, running_bot

ZH = translator("zh_CN")


async def _complaint_for_a001(h, owner_person) -> None:  # type: ignore[no-untyped-def]
    await comment_in_chat(h, title="门禁卡失灵", stars=(2, 1, 3, 2), words="服务态度太差了",
                          person=owner_person)
    # The agent's card and the manager's rating-1 alert go out through the outbox: let them
    # land first, or a later command's reply could be mistaken for one of them.
    await h.outbox_idle()


async def test_manager_agent_detail_shows_the_agents_trend(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await _complaint_for_a001(h, OWNERS[0])
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
        detail = await world.manager.send("/agent 王晓梅")
        assert "王晓梅" in detail["text"] and "趋势" in (await _all_text(world.manager))


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
