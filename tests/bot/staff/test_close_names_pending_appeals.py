"""/close says when appeals about the month still wait for a decision, so a manager can
decide them first (decided after the close, they become next month's adjustments)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Complaint
from tests.fixtures.bot_world import (
    AGENT,
    MANAGER,
    OWNER,
    Talk,
    bind_owner,
    build_talk,
    close_order,
    sent,
)

IN_NOV = datetime(2026, 11, 10, 2, 0)
AFTER_WINDOW = datetime(2026, 12, 4, 2, 0)


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    clock = FrozenClock(IN_NOV).install()
    talk = await build_talk(db)
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await talk.tap(OWNER, talk.rate(survey_id, question, 1))
    await talk.send(OWNER, "师傅态度很差")
    clock.current = AFTER_WINDOW
    yield talk
    FrozenClock.uninstall()


async def test_close_names_the_appeals_still_waiting_for_a_decision(talk: Talk) -> None:
    async with talk.db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    await talk.send(AGENT, f"/appeal {complaint.id} 业主弄错了师傅")
    (ask,) = sent(await talk.send(MANAGER, "/close 2026-11"))
    assert "1 条关于 2026-11 的申诉仍待裁决" in ask and "/appeals" in ask


async def test_close_without_pending_appeals_says_nothing_of_them(talk: Talk) -> None:
    (ask,) = sent(await talk.send(MANAGER, "/close 2026-11"))
    assert "确定结账 2026-11 吗" in ask and "申诉仍待裁决" not in ask
