"""An account holding more homes than one keyboard takes is still asked "which home?".

A letting company may hold flats in a hundred communities of one property firm under one
phone (one owner row per community and phone). Telegram refuses an inline keyboard of more
than 100 buttons ("Bad Request: reply markup is too long"), so one button per home left such
an owner with "something went wrong" (and a traceback in the log) and no way to complain.
The homes are shown a page at a time, with buttons to turn pages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlmodel import col, select

from bot.emulator.client import Message
from surveys.models import Complaint, Owner
from surveys.people.directory import add_community, add_owner
from tests.bot.robustness.conftest import NO_THROTTLE, polite
from tests.fixtures.chat import (
    OWNERS,
    Harness,
    OwnerSession,
    button_texts,
    callback_of,
    running_bot,
)

LANDLORD = OWNERS[0]  # 张伟: 阳光花园 1-101, and the same phone in 119 more communities
FLATS = 120
WHICH = "请问这是关于您哪一处房屋的？"


async def _tapped(owner: OwnerSession, message_id: int, label: str,
                  done: Callable[[Message], bool]) -> Message:
    """Tap a button and wait until the message shows what the tap changed (`done`)."""
    await owner.tap(message_id, label)
    deadline = time.monotonic() + 30
    while not done(message := await owner.message(message_id)):
        assert time.monotonic() < deadline, f"no change after tapping {label!r}: {message}"
        await asyncio.sleep(0.05)
    return message


async def _landlord(h: Harness) -> OwnerSession:
    await h.seed()
    for n in range(1, FLATS):
        await add_community(db=h.db, code=f"c{n}", name=f"{n}号院")
        await add_owner(db=h.db, community_code=f"c{n}", name=LANDLORD.name,
                        phone=LANDLORD.phone, building="2", room="201")
    owner = h.owner(LANDLORD)
    assert f"{FLATS} 处房屋" in (await owner.bind())["text"]
    return owner


async def test_an_owner_of_a_hundred_and_twenty_homes_pages_to_the_last_and_complains_for_it(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:  # 13 taps in a second
        owner = await _landlord(h)
        asked = await owner.send("/complain 这套房的门禁卡失灵了")
        assert polite(asked).startswith(WHICH)
        turn_to_first = callback_of(asked, "1/")
        seen: list[str] = []
        page = asked
        while True:
            labels = button_texts(page)
            seen += [label for label in labels if label.endswith("1-101") or "号院" in label]
            nxt = [label for label in labels if label.startswith("下一页")]
            if not nxt:
                break
            shown = labels
            page = await _tapped(owner, asked["message_id"], nxt[0],
                                 lambda m: button_texts(m) != shown)  # noqa: B023
            assert page["text"].startswith(WHICH)
        assert len(seen) == len(set(seen)) == FLATS  # every home, once, across the pages
        last = f"{FLATS - 1}号院 2-201"
        receipt = await _tapped(owner, asked["message_id"], last,
                                lambda m: not m["text"].startswith(WHICH))
        assert receipt["text"].startswith(f"房屋：{last}\n") and "您的投诉 #" in receipt["text"]
        stale = await owner.tap_data(asked["message_id"], turn_to_first)  # an old page button
        assert stale["text"] == "您已选好房屋，无需再次点选。"
        assert (await owner.message(asked["message_id"]))["text"] == receipt["text"]
        async with h.db() as s:
            rows = (await s.exec(select(Complaint, Owner).join(
                Owner, col(Owner.id) == col(Complaint.owner_id)))).all()
    assert [(o.community_id, c.text) for c, o in rows] == [(FLATS, "这套房的门禁卡失灵了")]
    assert errors_logged() == []
