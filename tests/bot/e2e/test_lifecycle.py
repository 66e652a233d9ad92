"""Reminders, expiry and opting out, driven by the scheduler's jobs and a frozen clock."""

from __future__ import annotations

from datetime import timedelta

from surveys.core.clock import FrozenClock
from surveys.models import Survey
from tests.fixtures.chat import OWNERS, button_texts, running_bot


async def test_one_reminder_after_a_day_without_answer(db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], title="电梯异响")
        survey = await owner.wait_survey()
        assert await h.app.run_job("reminders") == 0  # too early
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        reminder = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        assert "电梯异响" in reminder["text"]
        assert reminder["reply_to_message_id"] == survey["message_id"]
        assert await h.app.run_job("reminders") == 0  # only one reminder, ever


async def test_a_reminder_after_every_star_asks_for_the_submit_not_for_stars(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], title="电梯异响")
        survey = await owner.wait_survey()
        await owner.rate(survey["message_id"], 4, 4, 5, 4)  # then the owner leaves
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        reminder = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        assert "不写意见，直接提交" in reminder["text"] and "星级" not in reminder["text"]
        assert reminder["reply_to_message_id"] == survey["message_id"]


async def test_expired_survey_loses_its_buttons_and_refuses_taps(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0])
        data = survey["reply_markup"]["inline_keyboard"][0][4]["callback_data"]
        clock.advance(timedelta(days=8))
        assert await h.app.run_job("expiry") == 1
        expired = await h.client.wait_for_message(h.token, owner.chat_id, contains="已过期")
        assert expired["message_id"] == survey["message_id"] and not button_texts(expired)
        answer = await owner.tap_data(survey["message_id"], data)  # a stale button
        assert "已过期" in (answer.get("text") or "")
        async with h.db() as s:
            row = await s.get(Survey, result.survey_id)
            assert row is not None and row.status == "expired"
