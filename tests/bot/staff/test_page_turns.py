"""Turning a report's pages reuses the text its first page was cut from (one computation per
/report, not one per tap) for a few minutes; access is still checked on every tap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.conversation.core import Conversation
from bot.staff import callbacks as cb
from bot.staff import paging
from bot.staff.core import Staff
from bot.staff.page_texts import FRESH_FOR
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Manager
from surveys.people.staffing import deactivate_manager
from tests.fixtures.bot_world import (
    AGENT,
    INVITE_SECRET,
    KEY,
    MANAGER,
    Talk,
    build_talk,
    edits,
    sent,
    toasts,
)


@pytest.fixture
async def talk(db: SessionFactory, clock: FrozenClock) -> Talk:
    return await build_talk(db)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The views whose text was built (the real builder, counted)."""
    seen: list[str] = []
    real: Callable[..., Awaitable[str]] = paging.build_text

    async def counted(staff: object, ctx: object, view: str, arg: str) -> str:
        seen.append(view)
        return await real(staff, ctx, view, arg)
    monkeypatch.setattr(paging, "build_text", counted)
    return seen


async def test_a_page_turn_reuses_the_report_text_until_it_is_no_longer_fresh(
    talk: Talk, clock: FrozenClock, builds: list[str]
) -> None:
    first = sent(await talk.send(MANAGER, "/report month"))[0]
    turn = cb.pack(KEY, cb.PAGE, "rep", "month", 1)
    again = edits(await talk.tap(MANAGER, turn))[0]
    assert again.text == first and builds == ["rep"]
    clock.advance(FRESH_FOR + timedelta(seconds=1))
    assert edits(await talk.tap(MANAGER, turn))[0].text == first
    assert builds == ["rep", "rep"]  # built again once stale


async def test_a_stored_report_is_refused_to_a_manager_deactivated_since(
    talk: Talk, builds: list[str]
) -> None:
    await talk.send(MANAGER, "/report month")
    async with talk.db() as s:
        manager = (await s.exec(select(Manager))).one()
    assert manager.id is not None
    await deactivate_manager(db=talk.db, manager_id=manager.id)
    refused = await talk.tap(MANAGER, cb.pack(KEY, cb.PAGE, "rep", "month", 1))
    assert not edits(refused) and "无权查看" in (toasts(refused)[0] or "")
    agent = await talk.tap(AGENT, cb.pack(KEY, cb.PAGE, "rep", "month", 1))
    assert not edits(agent)


async def test_a_page_turn_handed_to_another_replica_reuses_the_text_the_first_sent(
    talk: Talk, builds: list[str]
) -> None:
    first = sent(await talk.send(MANAGER, "/report month"))[0]
    other = Talk(conv=Conversation(db=talk.db, key=KEY, invite_secret=INVITE_SECRET),
                 staff=Staff(db=talk.db, key=KEY))  # a second process on the same database
    again = edits(await other.tap(MANAGER, cb.pack(KEY, cb.PAGE, "rep", "month", 1)))[0]
    assert again.text == first and builds == ["rep"]


async def test_a_kept_text_is_not_shown_in_another_language_or_to_another_viewer(
    talk: Talk, builds: list[str]
) -> None:
    await talk.send(MANAGER, "/report month")
    await talk.send(MANAGER, "/language en")
    english = edits(await talk.tap(MANAGER, cb.pack(KEY, cb.PAGE, "rep", "month", 1)))[0]
    assert builds == ["rep", "rep"] and "Agent assessment" in english.text
    await talk.send(AGENT, "/me month")
    mine = edits(await talk.tap(AGENT, cb.pack(KEY, cb.PAGE, "me", "month", 1)))[0]
    assert builds == ["rep", "rep", "me"] and "王晓梅" in mine.text
