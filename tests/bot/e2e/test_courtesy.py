"""Courtesy in chat: quiet hours defer a survey and its reminder, the fatigue cap folds orders."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlmodel import col, select

from surveys.core.clock import FrozenClock
from surveys.core.courtesy import CourtesyConfig
from surveys.models import Response, Survey
from tests.fixtures.chat import AGENTS, OWNERS, Harness, button_texts, running_bot

EVENING = datetime(2026, 11, 16, 14, 30)  # 22:30 in 阳光花园 (Asia/Shanghai)
MORNING = datetime(2026, 11, 17, 0, 0)  # 08:00 there


async def _surveys_received(h: Harness, chat_id: int) -> list[str]:
    """Give the sender a few ticks, then return the survey messages the owner has."""
    h.app.wake_dispatcher()
    await asyncio.sleep(0.5)  # the sender ticks every 0.1 s: five chances to send
    messages = await h.client.bot_messages(h.token, chat_id)
    return [m["text"] for m in messages if any("⭐" in t for t in button_texts(m))]


async def _survey(h: Harness, survey_id: int) -> Survey:
    async with h.db() as s:
        found = await s.get(Survey, survey_id)
    assert found is not None
    return found


async def test_a_survey_closed_at_night_arrives_at_eight_and_its_reminder_waits_too(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url, courtesy=CourtesyConfig(fatigue_days=0)) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        clock.current = EVENING
        result = await h.close_order(OWNERS[0], "WO-N1", title="楼道灯不亮")
        assert result.survey_status == "pending"
        assert await _surveys_received(h, owner.chat_id) == []  # nothing at 22:30
        clock.current = MORNING
        h.app.wake_dispatcher()
        survey = await owner.wait_survey()
        assert "楼道灯不亮" in survey["text"]
        row = await _survey(h, result.survey_id)
        assert row.sent_at == MORNING
        assert row.expires_at == MORNING + timedelta(days=7)  # the night cost it nothing
        # The reminder falls due at 08:00 the next day; the job runs at 22:00 that evening.
        clock.current = MORNING + timedelta(hours=38)
        assert await h.app.run_job("reminders") == 1
        await asyncio.sleep(0.5)
        texts = [m["text"] for m in await owner.messages()]
        assert not any("温馨提醒" in t for t in texts)
        clock.current = MORNING + timedelta(days=2)
        h.app.wake_dispatcher()
        reminder = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        assert "楼道灯不亮" in reminder["text"]


async def test_orders_closed_within_three_days_come_as_one_survey_that_names_them(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url, courtesy=CourtesyConfig(quiet_hours="off")) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], "WO-F1", title="厨房水管漏水")
        first = await owner.wait_survey()
        clock.advance(timedelta(days=1))
        second = await h.close_order(OWNERS[0], "WO-F2", title="电梯异响", agent="A002")
        third = await h.close_order(OWNERS[0], "WO-F3", title="门禁卡失灵")
        assert (second.survey_status, third.survey_status) == ("pending", "folded")
        assert len(await _surveys_received(h, owner.chat_id)) == 1  # only the first
        clock.advance(timedelta(days=2))  # three days after the first survey was sent
        h.app.wake_dispatcher()
        survey = await owner.wait_survey(count=2)
        assert survey["message_id"] != first["message_id"]
        assert "电梯异响" in survey["text"] and AGENTS[1][1] in survey["text"]
        assert "本次回访同时涉及" in survey["text"]
        assert "门禁卡失灵" in survey["text"] and "WO-F3" in survey["text"]
        message = await owner.rate(survey["message_id"], 4, 5, 4, 5)
        assert "门禁卡失灵" in message["text"]  # still named after the edits
        await owner.tap(survey["message_id"], "不写意见")
        async with h.db() as s:
            answers = (await s.exec(
                select(Survey.agent_id, Survey.status, Response.overall, Response.timeliness)
                .join(Response, col(Response.survey_id) == col(Survey.id))
                .where(col(Survey.id).in_([second.survey_id, third.survey_id]))
                .order_by(col(Survey.id)))).all()
        folded = await _survey(h, third.survey_id)
        assert folded.folded_into_id == second.survey_id and folded.sent_at is not None
        assert [(status, overall, timeliness) for _a, status, overall, timeliness in answers] == [
            ("submitted", 4, 5), ("submitted", 4, 5)]
        assert answers[0][0] != answers[1][0]  # each order's own agent gets the answer
