"""A manager's long /complaints list turns pages in place, never cutting a row in two."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlmodel import select

from bot.i18n import translator
from bot.staff.pages import PAGE_CHARS
from surveys.core import clock
from surveys.models import Complaint, Owner
from tests.bot.roles.conftest import agent_id, press, staff_world
from tests.fixtures.chat import OWNERS, running_bot

ZH = translator("zh_CN")
COMPLAINTS = 90
END = "（完）"  # every complaint text ends with it: a cut row would lose it
ROW = re.compile(r"^#(\d+) .* · .*" + re.escape(END) + "$")


def _page_text(message: dict[str, object]) -> str:
    text = str(message["text"])
    assert text.startswith("<pre>") and text.endswith("</pre>")
    return html.unescape(text[len("<pre>"):-len("</pre>")])


async def test_long_complaint_list_pages_in_place_with_the_header_on_each_page(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        wang = await agent_id(h, "A001")
        now = clock.now()
        async with h.db() as s, s.begin():
            owner = (await s.exec(select(Owner).where(Owner.phone == OWNERS[0].phone))).one()
            for i in range(COMPLAINTS):
                s.add(Complaint(source="direct", owner_id=owner.id, agent_id=wang,
                                opened_at=now - timedelta(minutes=i),
                                ack_deadline=now + timedelta(hours=24, minutes=i),
                                status="open", text=f"第{i}次：热水器又坏了，师傅还没来{END}"))
        header = f"王晓梅 ({COMPLAINTS})"

        first = await world.manager.send("/complaints")
        chat_before = len(await world.manager.messages())
        pages = [_page_text(first)]
        total = int(re.search(r"(\d+)/(\d+)", " ".join(
            b["text"] for row in first["reply_markup"]["inline_keyboard"] for b in row
        )).group(2))  # type: ignore[union-attr]
        assert total >= 2
        message = first
        for page in range(2, total + 1):
            message = await press(world.manager, first["message_id"], ZH._("Next"))
            assert message["message_id"] == first["message_id"]
            assert f"{page}/{total}" in [b["text"] for row in
                                         message["reply_markup"]["inline_keyboard"] for b in row]
            pages.append(_page_text(message))
        # Turning pages edits the one message: no new message in the chat.
        assert len(await world.manager.messages()) == chat_before
        assert len(message["edits"]) == total - 1
        back = await press(world.manager, first["message_id"], ZH._("Previous"))
        assert _page_text(back) == pages[-2]

        seen: list[int] = []
        for number, text in enumerate(pages, 1):
            assert len(text) <= PAGE_CHARS
            lines = [line for line in text.split("\n") if line]
            if number == 1:
                assert lines[0] == ZH._("Open complaints: {n}, overdue: {overdue}",
                                        n=COMPLAINTS, overdue=0)
                lines = lines[1:]
            assert lines[0] == header, f"page {number} does not start with the header"
            for line in lines[1:]:
                match = ROW.match(line)
                assert match, f"page {number}: cut or stray line {line!r}"
                seen.append(int(match.group(1)))
        async with h.db() as s:
            ids = list((await s.exec(select(Complaint.id))).all())
        assert sorted(seen) == sorted(ids)  # every row once, none lost between pages
