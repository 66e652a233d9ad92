"""Recording a delivery: the row and its survey marked sent with the message id and expiry,
and a mark that runs to its end even when the sender is cancelled meanwhile."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer
from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage, Survey, SurveyStatus
from surveys.outbox.dispatch import dispatch_once
from surveys.outbox.marks import uncancellable
from tests.fixtures.outbox_rows import FIRST_CHAT, render, seed_surveys


async def test_sent_survey_records_message_id_and_expiry(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    survey_ids = await seed_surveys(db, emulator, 1)
    stats = await dispatch_once(db=db, messenger=messenger, render=render,
                                config=DispatchConfig())
    assert stats.sent == 1
    async with db() as s:
        survey = await s.get(Survey, survey_ids[0])
        row = (await s.exec(select(OutboxMessage))).one()
    assert survey is not None and survey.status == SurveyStatus.SENT
    assert survey.message_id == row.message_id and survey.message_id is not None
    assert survey.chat_id == FIRST_CHAT
    assert survey.sent_at is not None and survey.expires_at is not None
    assert (survey.expires_at - survey.sent_at).days == 7


async def test_a_mark_runs_to_its_end_when_its_caller_is_cancelled_meanwhile() -> None:
    done: list[str] = []

    async def mark() -> None:
        await asyncio.sleep(0.05)
        done.append("marked")

    task = asyncio.create_task(uncancellable(mark()))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert done == ["marked"]
