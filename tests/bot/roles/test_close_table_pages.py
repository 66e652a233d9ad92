"""The final table /close sends turns pages like /report (both runtimes): past ~60 agents it
no longer fits one message, and every agent's row is on some page, none cut, none twice."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot.i18n import translator
from bot.runtime.fit import MAX_TEXT
from surveys.core.clock import FrozenClock
from surveys.models import Community
from tests.bot.roles.conftest import press, staff_world
from tests.fixtures.chat import buttons, running_bot
from tests.fixtures.points_data import PointsData

ZH = translator("zh_CN")
AGENTS = 90
IN_NOVEMBER = datetime(2026, 11, 10, 2, 0)
AFTER_REVIEW = datetime(2026, 12, 4, 1, 0)
ROW = re.compile(r"^ *\d+ +(客服\d{3}) ")


def _page(message: dict[str, object]) -> str:
    text = str(message["text"])
    assert len(text) <= MAX_TEXT
    assert text.startswith("<pre>") and text.endswith("</pre>")
    return html.unescape(text[len("<pre>"):-len("</pre>")])


@pytest.mark.slow  # 5-15 s a runtime (90 agents closed); test_paging guards the page turns
async def test_the_close_table_of_ninety_agents_turns_pages_and_shows_every_row(
    db_url: str,
) -> None:
    FrozenClock(AFTER_REVIEW).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            data = PointsData(h.db)
            async with h.db() as s:
                sunny = (await s.exec(select(Community.id))).one()
            for n in range(AGENTS):
                agent = await data.agent(f"B{n:03d}", f"客服{n:03d}", sunny)
                closed = IN_NOVEMBER + timedelta(minutes=n)
                await data.order(agent_id=agent, owner_id=await data.owner(sunny),
                                 community_id=sunny, closed_at=closed, sent_at=closed,
                                 ratings=(5, 4, 5, 4))
            ask = await world.manager.send("/close 2026-11")
            before = len(await world.manager.messages())
            await press(world.manager, ask["message_id"], "结账 2026-11")
            first = (await h.client.wait_for(h.token, world.manager.chat_id,
                                             count=before + 1))[before]
            labels = [b["text"] for row in buttons(first) for b in row]
            counters = [t for t in labels if re.fullmatch(r"1/\d+", t)]
            assert counters, f"the table has no page buttons: {labels}"
            total = int(counters[0].split("/")[1])
            assert total >= 2 and labels[-1] == ZH._("Next") + " ▶️"
            pages = [_page(first)]
            assert "最终结果：赵经理 于 2026-12-04 09:00 结账" in pages[0]
            for _ in range(2, total + 1):
                pages.append(_page(await press(world.manager, first["message_id"],
                                               ZH._("Next"))))
            names = [m.group(1) for page in pages for line in page.split("\n")
                     if (m := ROW.match(line))]
            assert sorted(names) == [f"客服{n:03d}" for n in range(AGENTS)]
    finally:
        FrozenClock.uninstall()
