"""A reminder whose survey card the owner deleted carries the survey's buttons itself.

The reminder answers the survey card ("tap the stars in the survey message above"). An owner
who tidied the chat deleted that card: the Bot API will not reply to it, and a reminder with
no buttons left them no way to answer in chat. Such a reminder is a fresh card; its taps count
once, with what the owner tapped on the old card before deleting it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.models import Response, Survey, SurveyStatus
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import button_texts, callback_of, running_bot


async def test_a_reminder_after_the_card_was_deleted_is_a_fresh_card_whose_taps_count_once(
        db_url: str, clock: FrozenClock, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        old_overall = callback_of(card, "4⭐")
        await owner.rate(card["message_id"], 4, 5)  # overall and attitude, then the owner leaves
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        fresh = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        text = polite(fresh)
        assert "电梯异响" in text and "上方" not in text  # no card above to point at
        assert "1⭐" in button_texts(fresh) and "★★★★☆" in text  # the stars already given
        await owner.tap_data(fresh["message_id"], old_overall, deliver_twice=True)  # the old tap
        await owner.tap_data(fresh["message_id"], callback_of(fresh, "3⭐"), deliver_twice=True)
        shown = await owner.message(fresh["message_id"])
        await owner.rate(fresh["message_id"], 4)
        done = await owner.tap(fresh["message_id"], "不写意见")
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
            responses = (await s.exec(select(Response))).all()
    assert "1⭐" in button_texts(shown)  # the fresh card asks the next question in place
    assert survey.status == SurveyStatus.SUBMITTED and "已提交" in polite(done)
    assert [(r.overall, r.attitude, r.clarity, r.timeliness) for r in responses] == [
        (4, 5, 3, 4)]
    assert errors_logged() == []


async def test_a_reminder_whose_card_is_still_there_answers_it_without_buttons(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        reminder = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
    assert reminder["reply_to_message_id"] == card["message_id"]
    assert button_texts(reminder) == [] and "上方" in polite(reminder)


async def test_a_reminder_after_every_star_and_a_deleted_card_offers_the_submit_button(
        db_url: str, clock: FrozenClock) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        await owner.rate(card["message_id"], 4, 4, 5, 4)
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        fresh = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        done = await owner.tap(fresh["message_id"], "不写意见")
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
    assert "下方" in polite(fresh) and "上方" not in polite(fresh)
    assert survey.status == SurveyStatus.SUBMITTED and "已提交" in polite(done)


async def test_the_fresh_card_is_the_surveys_card_from_then_on_and_expiry_takes_its_buttons(
        db_url: str, clock: FrozenClock, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        clock.advance(timedelta(hours=25))
        assert await h.app.run_job("reminders") == 1
        fresh = await h.client.wait_for_message(h.token, owner.chat_id, contains="温馨提醒")
        await h.outbox_idle()  # the row marked sent: Telegram shows it a moment before
        clock.advance(timedelta(days=7))
        assert await h.app.run_job("expiry") == 1
        expired = await h.client.wait_for_message(h.token, owner.chat_id, contains="已过期")
        await h.outbox_idle()
    assert expired["message_id"] == fresh["message_id"] and button_texts(expired) == []
    assert errors_logged() == []
