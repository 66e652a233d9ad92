"""A complaint of an owner the bot cannot reach (answered by phone 回访 or on the web page,
never bound in Telegram) is handled without false promises: the agent is told the owner was
not told, instead of "the owner has been told" / "your reply was sent"."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.staff import callbacks as cb
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.models import Complaint, OutboxMessage, Role
from surveys.survey.revisit_staff import Recorder
from surveys.survey.revisits import record_revisit
from tests.fixtures.bot_world import (
    AGENT,
    KEY,
    OTHER_OWNER,
    Talk,
    build_talk,
    close_order,
    sent,
    toasts,
)

NOT_TOLD = "无法通过 Telegram 联系"


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    talk = await build_talk(db)
    await close_order(talk, OTHER_OWNER, "WO-PHONE")  # 刘芳 never bound the bot
    await record_revisit(db=db, work_order="WO-PHONE", recorder=Recorder(Role.REVISITOR, 1, None),
                         ratings={"overall": 1, "attitude": 1, "clarity": 2, "timeliness": 1},
                         words="态度很差", channel="phone", survey_config=SurveyConfig(),
                         complaint_config=ComplaintConfig())
    return talk


async def _complaint(talk: Talk) -> Complaint:
    async with talk.db() as s:
        return (await s.exec(select(Complaint))).one()


async def test_acknowledging_says_the_owner_could_not_be_told(talk: Talk) -> None:
    cid = (await _complaint(talk)).id or 0
    (toast,) = toasts(await talk.tap(AGENT, cb.pack(KEY, cb.ACK, cid)))
    assert toast is not None and NOT_TOLD in toast and "已通知业主" not in toast


async def test_a_reply_is_kept_but_not_called_sent(talk: Talk) -> None:
    cid = (await _complaint(talk)).id or 0
    await talk.tap(AGENT, cb.pack(KEY, cb.REPLY, cid))
    (answer,) = sent(await talk.send(AGENT, "明天上门处理"))
    assert NOT_TOLD in answer and "已转达给业主" not in answer
    async with talk.db() as s:
        kinds = {m.kind for m in (await s.exec(select(OutboxMessage))).all()}
    assert "complaint_reply" not in kinds


async def test_resolving_says_no_follow_up_question_was_sent(talk: Talk) -> None:
    cid = (await _complaint(talk)).id or 0
    (toast,) = toasts(await talk.tap(AGENT, cb.pack(KEY, cb.RESOLVE, cid)))
    assert toast is not None and NOT_TOLD in toast and "将回访业主" not in toast
    assert (await _complaint(talk)).resolved_at is not None
