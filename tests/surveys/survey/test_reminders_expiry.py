"""One reminder after 24 h, expiry after 7 days, both through the outbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core.clock import FrozenClock
from surveys.core.config import DispatchConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage, Survey, SurveyStatus
from surveys.outbox.dispatch import dispatch_once
from surveys.outbox.ports import Keyboard, OutgoingMessage
from surveys.people.binding import opt_out
from surveys.people.directory import add_owner
from surveys.survey.cards import move_card
from surveys.survey.reminders import expire_surveys, send_reminders
from tests.fixtures.service_world import bind, close, setup_people


class RecordingMessenger:
    """A Messenger that records what it was asked to send (the domain's port, no framework)."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []
        self.edits: list[tuple[int, int, str]] = []

    async def send(self, message: OutgoingMessage) -> int:
        self.sent.append(message)
        return 100 + len(self.sent)

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None = None) -> None:
        self.edits.append((chat_id, message_id, text))

    async def send_document(self, *, chat_id: int, filename: str, data: bytes,
                            caption: str | None = None) -> int:
        raise NotImplementedError

    async def send_photo(self, *, chat_id: int, filename: str, data: bytes,
                         caption: str | None = None) -> int:
        raise NotImplementedError


def render(row: OutboxMessage) -> OutgoingMessage:
    return OutgoingMessage(chat_id=row.chat_id, text=f"{row.kind}:{row.payload['survey_id']}")


async def _sent(db: SessionFactory, messenger: RecordingMessenger) -> int:
    await setup_people(db)
    await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    await bind(db, 501)
    result = await close(db)
    stats = await dispatch_once(db=db, messenger=messenger, render=render,
                                config=DispatchConfig())
    assert stats.sent == 1
    return result.survey_id


async def test_a_survey_unanswered_for_24_hours_gets_one_reminder_pointing_at_it(
        db: SessionFactory, clock: FrozenClock) -> None:
    messenger = RecordingMessenger()
    survey_id = await _sent(db, messenger)
    config = SurveyConfig()
    clock.advance(timedelta(hours=23, minutes=59))
    assert await send_reminders(db=db, survey_config=config) == 0
    clock.advance(timedelta(minutes=2))
    assert await send_reminders(db=db, survey_config=config) == 1
    clock.advance(timedelta(hours=30))
    assert await send_reminders(db=db, survey_config=config) == 0  # only one, ever
    await dispatch_once(db=db, messenger=messenger, render=render, config=DispatchConfig())
    assert [m.text for m in messenger.sent] == [f"survey:{survey_id}", f"reminder:{survey_id}"]
    async with db() as s:
        row = (await s.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))).one()
    assert row.payload["message_id"] == 101  # so the reminder can point at the survey


async def test_no_reminder_for_answered_or_opted_out(db: SessionFactory,
                                                    clock: FrozenClock) -> None:
    messenger = RecordingMessenger()
    await _sent(db, messenger)
    await opt_out(db=db, telegram_user_id=501)
    clock.advance(timedelta(hours=25))
    assert await send_reminders(db=db, survey_config=SurveyConfig()) == 0


async def test_survey_expires_after_7_days_and_its_message_is_edited(
    db: SessionFactory, clock: FrozenClock
) -> None:
    messenger = RecordingMessenger()
    survey_id = await _sent(db, messenger)
    clock.advance(timedelta(days=6, hours=23))
    assert await expire_surveys(db=db) == 0
    clock.advance(timedelta(hours=1, seconds=1))
    assert await expire_surveys(db=db) == 1
    assert await expire_surveys(db=db) == 0
    async with db() as s:
        survey = await s.get(Survey, survey_id)
    assert survey is not None and survey.status == SurveyStatus.EXPIRED
    await dispatch_once(db=db, messenger=messenger, render=render, config=DispatchConfig())
    assert messenger.edits == [(501, 101, f"survey_expired:{survey_id}")]
    # A reminder due at the same time is never sent for an expired survey.
    assert await send_reminders(db=db, survey_config=SurveyConfig()) == 0


async def test_a_card_sent_afresh_is_the_one_expiry_edits_and_a_repeated_move_changes_nothing(
    db: SessionFactory, clock: FrozenClock
) -> None:
    messenger = RecordingMessenger()
    survey_id = await _sent(db, messenger)  # the card is message 101
    move = {"db": db, "survey_id": survey_id, "chat_id": 501}
    assert await move_card(**move, from_message_id=101, to_message_id=140)
    assert not await move_card(**move, from_message_id=101, to_message_id=140)  # twice
    assert not await move_card(**move, from_message_id=101, to_message_id=141)  # stale card
    assert not await move_card(db=db, survey_id=survey_id, chat_id=502, from_message_id=140,
                               to_message_id=142)  # another chat's message
    clock.advance(timedelta(days=7, seconds=1))
    assert await expire_surveys(db=db) == 1
    await dispatch_once(db=db, messenger=messenger, render=render, config=DispatchConfig())
    assert messenger.edits == [(501, 140, f"survey_expired:{survey_id}")]


async def test_an_answer_submitted_while_expiry_runs_stands(
    db: SessionFactory, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    messenger = RecordingMessenger()
    survey_id = await _sent(db, messenger)
    clock.advance(timedelta(days=7, seconds=1))
    real_exec = AsyncSession.exec
    raced: list[bool] = []

    async def owner_submits_after_the_read(self: AsyncSession, statement: Any,
                                           *args: Any, **kwargs: Any) -> Any:
        result = await real_exec(self, statement, *args, **kwargs)
        if not raced and "expires_at" in str(statement):  # the expiry job just read it
            raced.append(True)
            async with db() as other, other.begin():
                await real_exec(other, update(Survey).where(  # type: ignore[call-overload]
                    col(Survey.id) == survey_id).values(status=SurveyStatus.SUBMITTED.value))
        return result

    monkeypatch.setattr(AsyncSession, "exec", owner_submits_after_the_read)
    assert await expire_surveys(db=db) == 0
    monkeypatch.undo()
    assert raced
    async with db() as s:
        survey = await s.get(Survey, survey_id)
        kinds = (await s.exec(select(OutboxMessage.kind))).all()
    assert survey is not None and survey.status == SurveyStatus.SUBMITTED
    assert "survey_expired" not in kinds
